import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { filterGradAxis, inputGradAxis } from './conv-geometry'
import { fastConvCalls } from './generated/conv-kernels'
import { setGeneratedKernelsEnabled } from './generated/runtime'
import { initBackends, randomValues, relativeError, rng, runOn } from './test-helpers'

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]

interface Case {
  batch: number
  h: number
  w: number
  cin: number
  cout: number
  kh: number
  kw: number
  strides: [number, number]
  pad: Pad
}

const pads: Pad[] = ['same', 'valid', [[0, 0], [1, 2], [0, 1], [0, 0]], [[0, 0], [3, 0], [2, 2], [0, 0]]]

/** The values each field of a case is drawn from. */
type Choices = { [K in keyof Case]: readonly Case[K][] }

/** Seeded random cases drawn from `choices`; 'valid' padding only where the kernel fits the input. */
function casesFrom(choices: Choices, count: number, seed: number): Case[] {
  const next = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]
  const cases: Case[] = []
  while (cases.length < count) {
    const c: Case = {
      batch: pick(choices.batch), h: pick(choices.h), w: pick(choices.w), cin: pick(choices.cin), cout: pick(choices.cout),
      kh: pick(choices.kh), kw: pick(choices.kw), strides: pick(choices.strides), pad: pick(choices.pad),
    }
    if (c.pad === 'valid' && (c.kh > c.h || c.kw > c.w)) continue
    cases.push(c)
  }
  return cases
}

/** Every stride and padding, small odd channel counts (mostly the XNNPACK paths). */
const randomCases = (count: number, seed: number): Case[] =>
  casesFrom({
    batch: [1, 2, 3], h: [5, 7, 8, 11], w: [4, 6, 9, 13], cin: [1, 2, 3, 5, 8], cout: [1, 3, 4, 7], kh: [1, 2, 3, 5], kw: [1, 3, 4],
    strides: [[1, 1], [2, 2], [3, 3], [1, 2], [2, 1]], pad: pads,
  }, count, seed)

/** Stride-1 cases the generated FMA kernels cover: channel counts that are multiples of 4. */
const fastCases = (count: number, seed: number): Case[] =>
  casesFrom({
    batch: [1, 2, 3], h: [4, 7, 9, 16], w: [3, 5, 8, 13], cin: [3, 4, 8, 12, 16], cout: [4, 8, 12, 16, 24], kh: [1, 3, 5], kw: [1, 3],
    strides: [[1, 1]], pad: pads,
  }, count, seed)

function convGrads(c: Case, seed: number): tf.Tensor[] {
  const next = rng(seed)
  const x = tf.tensor4d(randomValues(c.batch * c.h * c.w * c.cin, next), [c.batch, c.h, c.w, c.cin])
  const f = tf.tensor4d(randomValues(c.kh * c.kw * c.cin * c.cout, next), [c.kh, c.kw, c.cin, c.cout])
  const out = tf.conv2d(x, f, c.strides, c.pad)
  const r = tf.tensor(randomValues(out.size, next), out.shape)
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)))
  return [out, ...g([x, f])]
}

function transposeGrads(c: Case, seed: number): tf.Tensor[] {
  const next = rng(seed)
  const pad = c.pad === 'same' ? 'same' : 'valid'
  const inH = c.h
  const inW = c.w
  const outH = pad === 'same' ? inH * c.strides[0] : (inH - 1) * c.strides[0] + c.kh
  const outW = pad === 'same' ? inW * c.strides[1] : (inW - 1) * c.strides[1] + c.kw
  const x = tf.tensor4d(randomValues(c.batch * inH * inW * c.cin, next), [c.batch, inH, inW, c.cin])
  const f = tf.tensor4d(randomValues(c.kh * c.kw * c.cout * c.cin, next), [c.kh, c.kw, c.cout, c.cin])
  const shape: [number, number, number, number] = [c.batch, outH, outW, c.cout]
  const run = (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, shape, c.strides, pad)
  const out = run(x, f)
  const r = tf.tensor(randomValues(out.size, next), out.shape)
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(run(a, b), r)))
  return [out, ...g([x, f])]
}

/** Fused conv + bias + activation forward, and its gradients with respect to x, filter and bias. */
function fusedGrads(c: Case, activation: 'linear' | 'relu' | 'elu', seed: number): tf.Tensor[] {
  const next = rng(seed)
  const x = tf.tensor4d(randomValues(c.batch * c.h * c.w * c.cin, next), [c.batch, c.h, c.w, c.cin])
  const f = tf.tensor4d(randomValues(c.kh * c.kw * c.cin * c.cout, next), [c.kh, c.kw, c.cin, c.cout])
  const b = tf.tensor1d(randomValues(c.cout, next))
  const run = (a: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) =>
    tf.fused.conv2d({ x: a as tf.Tensor4D, filter: w as tf.Tensor4D, bias, activation, strides: c.strides, pad: c.pad })
  const out = run(x, f, b)
  const r = tf.tensor(randomValues(out.size, next), out.shape)
  const g = tf.grads((a: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) => tf.sum(tf.mul(run(a, w, bias), r)))
  return [out, ...g([x, f, b])]
}

describe('conv padding plans', () => {
  it('input gradient of a stride-1 "same" 3x3 conv pads 1 on both sides', () => {
    expect(inputGradAxis(10, 10, 3, 1, 1)).toEqual({ cropBefore: 0, cropAfter: 0, padBefore: 1, padAfter: 1 })
  })
  it('input gradient crops when the forward pad exceeds kernel - 1', () => {
    expect(inputGradAxis(5, 5, 2, 1, 3).cropBefore).toBe(2)
  })
  it('filter gradient of a stride-2 valid conv on an odd leftover crops the last row', () => {
    // in 8, kernel 3, stride 2 -> out 3 uses rows 0..6; row 7 is never read.
    expect(filterGradAxis(8, 3, 3, 2, 0)).toEqual({ cropBefore: 0, cropAfter: 1, padBefore: 0, padAfter: 0 })
  })
})

describe('wasm Conv2DBackpropInput / Conv2DBackpropFilter match cpu gradients', () => {
  beforeAll(initBackends)

  const cases = randomCases(40, 7)
  it.each(cases.map((c, i) => [i, c] as const))('conv2d case %i %o', (i, c) => {
    const seed = 1000 + i
    const want = runOn('cpu', () => convGrads(c, seed))
    const got = runOn('wasm', () => convGrads(c, seed))
    expect(got.map((g) => g.length)).toEqual(want.map((g) => g.length))
    for (let k = 0; k < want.length; k++) expect(relativeError(got[k], want[k])).toBeLessThan(1e-4)
  })

  const tcases = randomCases(16, 11)
  it.each(tcases.map((c, i) => [i, c] as const))('conv2dTranspose case %i %o', (i, c) => {
    const seed = 2000 + i
    const want = runOn('cpu', () => transposeGrads(c, seed))
    const got = runOn('wasm', () => transposeGrads(c, seed))
    for (let k = 0; k < want.length; k++) expect(relativeError(got[k], want[k])).toBeLessThan(1e-4)
  })

  it.each([
    ['strided (XNNPACK)', [2, 2]],
    ['stride 1 (generated kernels)', [1, 1]],
  ] as const)('keeps reference counts balanced, %s: no tensors or backend buffers leak over repeated steps', (_name, strides) => {
    const c: Case = { batch: 2, h: 9, w: 8, cin: 4, cout: 8, kh: 3, kw: 3, strides: [strides[0], strides[1]], pad: 'same' }
    runOn('wasm', () => convGrads(c, 1))
    tf.setBackend('wasm')
    const tensors = tf.memory().numTensors
    const buffers = tf.backend().numDataIds()
    for (let i = 0; i < 5; i++) runOn('wasm', () => convGrads(c, i))
    expect(tf.memory().numTensors).toBe(tensors)
    expect(tf.backend().numDataIds()).toBe(buffers)
  })
})

describe('wasm stride-1 convolutions on the generated FMA kernels match cpu', () => {
  beforeAll(initBackends)

  const cases = fastCases(24, 23)
  it.each(cases.map((c, i) => [i, c] as const))('conv2d case %i %o', (i, c) => {
    const seed = 3000 + i
    const before = { ...fastConvCalls }
    const want = runOn('cpu', () => convGrads(c, seed))
    const got = runOn('wasm', () => convGrads(c, seed))
    for (let k = 0; k < want.length; k++) expect(relativeError(got[k], want[k])).toBeLessThan(1e-4)
    // Every part ran on the generated kernels (the input gradient needs cin % 4 == 0).
    expect(fastConvCalls.forward).toBeGreaterThan(before.forward)
    expect(fastConvCalls.filterGrad).toBeGreaterThan(before.filterGrad)
    if (c.cin % 4 === 0) expect(fastConvCalls.inputGrad).toBeGreaterThan(before.inputGrad)
  })

  it.each(['linear', 'relu', 'elu'] as const)('fused conv2d with bias and %s activation, and its gradients', (activation) => {
    const c: Case = { batch: 2, h: 7, w: 10, cin: 8, cout: 12, kh: 3, kw: 3, strides: [1, 1], pad: 'same' }
    const before = fastConvCalls.forward
    const want = runOn('cpu', () => fusedGrads(c, activation, 5))
    const got = runOn('wasm', () => fusedGrads(c, activation, 5))
    for (let k = 0; k < want.length; k++) expect(relativeError(got[k], want[k])).toBeLessThan(1e-4)
    // elu is not fused by the generated kernel: the stock one runs the forward pass.
    if (activation !== 'elu') expect(fastConvCalls.forward).toBeGreaterThan(before)
  })

  it('with the generated kernels off (LABELLOOP_GENERATED_KERNELS=0, or wabt failed to load), XNNPACK gives the same results', () => {
    const c: Case = { batch: 2, h: 9, w: 10, cin: 8, cout: 16, kh: 3, kw: 3, strides: [1, 1], pad: 'same' }
    const on = runOn('wasm', () => convGrads(c, 12))
    const before = { ...fastConvCalls }
    setGeneratedKernelsEnabled(false)
    try {
      const off = runOn('wasm', () => convGrads(c, 12))
      expect(fastConvCalls).toEqual(before)
      for (let k = 0; k < on.length; k++) expect(relativeError(off[k], on[k])).toBeLessThan(1e-4)
    } finally {
      setGeneratedKernelsEnabled(true)
    }
  })

  it('hands shapes it does not cover to XNNPACK: 6 output channels, dilation 2', () => {
    const c: Case = { batch: 1, h: 9, w: 9, cin: 4, cout: 6, kh: 3, kw: 3, strides: [1, 1], pad: 'same' }
    const before = { ...fastConvCalls }
    const want = runOn('cpu', () => convGrads(c, 9))
    const got = runOn('wasm', () => convGrads(c, 9))
    for (let k = 0; k < want.length; k++) expect(relativeError(got[k], want[k])).toBeLessThan(1e-4)
    expect(fastConvCalls.forward).toBe(before.forward)
    expect(fastConvCalls.filterGrad).toBe(before.filterGrad)
    const dilated = () => {
      const next = rng(4)
      const x = tf.tensor4d(randomValues(2 * 9 * 9 * 4, next), [2, 9, 9, 4])
      const f = tf.tensor4d(randomValues(3 * 3 * 4 * 8, next), [3, 3, 4, 8])
      return [tf.conv2d(x, f, 1, 'same', 'NHWC', 2)]
    }
    const forward = fastConvCalls.forward
    expect(relativeError(runOn('wasm', dilated)[0], runOn('cpu', dilated)[0])).toBeLessThan(1e-5)
    expect(fastConvCalls.forward).toBe(forward)
  })
})
