/**
 * Model and optimizer state as bytes for the project file, and back. Weights go through tfjs's own
 * save/load handlers (tf.io.withSaveHandler / tf.io.fromMemory), so a checkpoint is exactly what a
 * tfjs model folder holds: the layer topology JSON, the weight manifest and one weight buffer.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
// Registers the custom batch-norm layer, which loading a saved U-Net topology needs.
import '../model/batch-norm'
import { AppError } from '../../contract'

/** A model as stored: topology and weight manifest as JSON text, weights as one buffer. */
export interface SerialisedModel {
  /** JSON of `{ modelTopology, weightSpecs }`. */
  topology: string
  weights: Buffer
}

/** Optimizer slots (Adam's moments and step count) as one buffer and its manifest. */
export interface SerialisedOptimizer {
  data: Buffer
  specs: tf.io.WeightsManifestEntry[]
}

interface TopologyJson {
  modelTopology: tf.io.ModelArtifacts['modelTopology']
  weightSpecs: tf.io.WeightsManifestEntry[]
}

function toBuffer(data: ArrayBuffer): Buffer {
  return Buffer.from(new Uint8Array(data))
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/** Serialises a layers model (topology + weights). */
export async function serialiseModel(model: tfl.LayersModel): Promise<SerialisedModel> {
  let out: SerialisedModel | null = null
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData)
      const json: TopologyJson = { modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs ?? [] }
      out = { topology: JSON.stringify(json), weights: toBuffer(weightData) }
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    }),
  )
  if (!out) throw new AppError('INTERNAL', 'core/train/loop/checkpoint.ts: the model save handler was not called')
  return out
}

/** Rebuilds a model from {@link serialiseModel}'s output. */
export async function deserialiseModel(model: SerialisedModel): Promise<tfl.LayersModel> {
  let json: TopologyJson
  try {
    json = JSON.parse(model.topology) as TopologyJson
  } catch (err) {
    throw new AppError('CORRUPT_PROJECT', `checkpoint topology is not valid JSON: ${(err as Error).message}`)
  }
  return tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightSpecs, weightData: toArrayBuffer(model.weights) }),
  )
}

/** Serialises an optimizer's slot variables. */
export async function serialiseOptimizer(optimizer: tf.Optimizer): Promise<SerialisedOptimizer> {
  const named = await optimizer.getWeights()
  const encoded = await tf.io.encodeWeights(named)
  // getWeights returns fresh tensors for the step count; the slot variables stay owned by the optimizer.
  for (const n of named) if (n.name === 'iter') n.tensor.dispose()
  return { data: toBuffer(encoded.data), specs: encoded.specs }
}

/** Restores slot variables saved by {@link serialiseOptimizer}. */
export async function restoreOptimizer(optimizer: tf.Optimizer, saved: SerialisedOptimizer): Promise<void> {
  const map = tf.io.decodeWeights(toArrayBuffer(saved.data), saved.specs)
  await optimizer.setWeights(saved.specs.map((s) => ({ name: s.name, tensor: map[s.name] })))
  // setWeights copies into new variables; the decoded tensors are no longer needed.
  for (const t of Object.values(map)) t.dispose()
}
