import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend'
import { createUNet } from '../model/unet'
import { copyEncoderWeights, createSimClrModels } from './encoder'
import { loadPretrainedEncoder, serialiseEncoder } from './pretrained'

const spec = { inChannels: 3, depth: 3 as const, baseFilters: 8, batchNorm: true }

function values(model: { getLayer(name: string): { getWeights(): tf.Tensor[] } }, name: string): number[][] {
  return model.getLayer(name).getWeights().map((w) => Array.from(w.dataSync()))
}

describe('U-Net encoder for pretraining', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'cpu' })
  })

  it('is the contracting path with the U-Net\u2019s layer names, and projects to z', () => {
    const m = createSimClrModels(spec, { projectionDim: 16, seed: 1 })
    expect(m.encoderLayers[0]).toBe('enc0_conv1')
    expect(m.encoderLayers).toContain('enc2_bn2')
    expect(m.encoderLayers[m.encoderLayers.length - 1]).toBe('bottleneck_bn2')
    expect(m.encoderLayers.some((n) => n.startsWith('dec') || n === 'logits')).toBe(false)
    const shapes = tf.tidy(() => {
      const x = tf.zeros([2, 32, 32, 3])
      return [(m.encoder.predict(x) as tf.Tensor).shape, (m.projector.predict(x) as tf.Tensor).shape]
    })
    expect(shapes).toEqual([[2, 4, 4, 64], [2, 16]])
    // The projector's trainable weights are the encoder's plus the two dense layers (no decoder).
    const encoderVars = m.encoder.trainableWeights.length
    expect(m.projector.trainableWeights.length).toBe(encoderVars + 4)
    m.dispose()
  })

  it('moves encoder weights into a fresh U-Net by name, leaving the decoder untouched', async () => {
    const before = tf.memory().numTensors
    const m = createSimClrModels(spec, { seed: 5 })
    // Make the moving statistics differ from a fresh layer's too.
    const bn = m.encoder.getLayer('enc1_bn1')
    const shifted = bn.getWeights().map((w) => tf.tidy(() => tf.add(w, 0.25)))
    bn.setWeights(shifted)
    tf.dispose(shifted)
    const stored = await serialiseEncoder(m.encoder)
    const unet = createUNet({ ...spec, numClasses: 4, seed: 99 })
    const decoderBefore = ['dec0_conv1_up', 'dec2_conv2', 'dec1_bn2', 'logits'].map((n) => values(unet, n))
    const copied = await loadPretrainedEncoder(unet, { model: stored })
    expect(copied).toEqual(m.encoderLayers)
    for (const name of copied) expect(values(unet, name)).toEqual(values(m.encoder, name))
    expect(values(unet, 'enc1_bn1')).toEqual(values(m.encoder, 'enc1_bn1'))
    expect(['dec0_conv1_up', 'dec2_conv2', 'dec1_bn2', 'logits'].map((n) => values(unet, n))).toEqual(decoderBefore)
    // Different seeds: the copy really changed the U-Net's encoder.
    const fresh = createUNet({ ...spec, numClasses: 4, seed: 99 })
    expect(values(fresh, 'enc0_conv1')).not.toEqual(values(unet, 'enc0_conv1'))
    fresh.dispose()
    unet.dispose()
    m.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('refuses a U-Net of another width, naming the layer', () => {
    const m = createSimClrModels(spec)
    const wider = createUNet({ ...spec, baseFilters: 16, numClasses: 2 })
    expect(() => copyEncoderWeights(m.encoder, wider)).toThrow(/encoder\.ts: layer enc0_conv1 has weights \[3x3x3x8/)
    const shallow = createUNet({ ...spec, depth: 4, numClasses: 2 })
    // Depth 4 has the same layer names for the first levels but a wider bottleneck.
    expect(() => copyEncoderWeights(m.encoder, shallow)).toThrow(/bottleneck_conv1/)
    wider.dispose()
    shallow.dispose()
    m.dispose()
  })
})
