/**
 * Padding arithmetic that turns the two gradients of a 2D convolution into plain stride-1
 * convolutions. Pure functions over one spatial axis, so they are easy to check by hand.
 */
import { backend_util } from '@tensorflow/tfjs-core'
import { AppError } from '../../contract/errors'

type PadAttr = 'valid' | 'same' | number | backend_util.ExplicitPadding

/** One spatial axis of a convolution's input-gradient or filter-gradient plan. */
export interface AxisPlan {
  /** Rows (or columns) to crop from the start of the convolution's input. */
  cropBefore: number
  /** Rows (or columns) to crop from the end of the convolution's input. */
  cropAfter: number
  /** Zero padding added before, for the stride-1 convolution. */
  padBefore: number
  /** Zero padding added after. */
  padAfter: number
}

/**
 * Input gradient along one axis: dy dilated by the stride has length (out-1)*stride+1; a stride-1
 * convolution with the flipped filter needs kernel-1-padBefore zeros before it and whatever makes
 * the output exactly `inLength` long after it. Negative paddings become crops.
 */
export function inputGradAxis(inLength: number, outLength: number, kernel: number, stride: number, padBefore: number): AxisPlan {
  const dilated = (outLength - 1) * stride + 1
  const before = kernel - 1 - padBefore
  const after = inLength + kernel - 1 - dilated - before
  return split(before, after)
}

/**
 * Filter gradient along one axis: x is convolved (stride 1) with dy used as a filter dilated by the
 * stride; padded with the forward pass's padBefore, and after it so that the output is `kernel` long.
 */
export function filterGradAxis(inLength: number, outLength: number, kernel: number, stride: number, padBefore: number): AxisPlan {
  const after = kernel - 1 + (outLength - 1) * stride + 1 - inLength - padBefore
  return split(padBefore, after)
}

function split(before: number, after: number): AxisPlan {
  return {
    cropBefore: Math.max(0, -before),
    cropAfter: Math.max(0, -after),
    padBefore: Math.max(0, before),
    padAfter: Math.max(0, after),
  }
}

/** The forward convolution's geometry for an NHWC input and an HWIO filter. */
export function forwardInfo(
  file: string,
  xShape: number[],
  filterShape: number[],
  strides: [number, number] | number,
  pad: PadAttr,
  dataFormat: 'NHWC' | 'NCHW',
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
): backend_util.Conv2DInfo {
  if (dataFormat !== 'NHWC') {
    throw new AppError('INVALID_INPUT', `${file}: only NHWC (channelsLast) is supported on wasm, got ${dataFormat}`)
  }
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  )
}
