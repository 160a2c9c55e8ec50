/**
 * A data-parallel replica: a worker thread with its own tfjs engine and backend (its own wasm instance)
 * and the run's model. Training: for each step it loads the loop's weights, computes the loss and
 * gradients of its share of the batch with the run's objective and sends them back; the loop averages
 * and applies them; at validation it loads the epoch's weights and scores its share of the tiles.
 * Prediction: it loads fixed weights once, then returns softmax probabilities of the tile batches it is sent.
 * Built as its own entry (`replica`) beside the trainer in the app bundle; under tsx, replica-boot.mjs
 * loads it.
 */
import { parentPort } from 'node:worker_threads'
import type * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { selectBackend } from '../backend'
import { createUNet } from '../model/unet'
import { createObjective, type Objective } from '../loop/objective'
import { mixSeed, seedMathRandom, type SeededMathRandom } from '../loop/rng'
import { withDecoderFeatures } from '../ssl/pixel-contrast'
import { loadSnapshot, shareGradients, type StepModel } from './gradients'
import { averagedRunner, enableMcDropout } from '../pseudo/tta'
import { ConfusionMatrix } from '../metrics'
import { scoreBatch } from '../loop/validate'
import { joinSamples, type PixelSample } from '../calibrate/bias'
import type { TrainConfig } from '../../contract'
import type { FromReplica, ReplicaConfigure, ReplicaInit, ReplicaPredict, ReplicaStep, ReplicaValidate, ToReplica } from './protocol'

interface Replica {
  replica: number
  model: tfl.LayersModel
  /** Null for a prediction-only replica. */
  step: (StepModel & { objective: Objective }) | null
  random: SeededMathRandom
  numClasses: number
  spec: ReplicaInit['spec']
}

const port = parentPort
if (!port) throw new Error('replica-worker.ts must run in a worker thread')

function send(message: FromReplica, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer)
}

async function init(msg: ReplicaInit): Promise<Replica> {
  const choice = await selectBackend({ force: msg.backend })
  const config = msg.config
  const model = createUNet({ ...msg.spec, seed: config?.seed ?? 0 })
  const step = config ? stepFor(model, config, msg.numClasses, msg.classWeights, msg.spec) : null
  send({ type: 'ready', device: choice.device })
  return { replica: msg.replica, model, step, random: seedMathRandom(mixSeed(config?.seed ?? 0, 7919 + msg.replica)), numClasses: msg.numClasses, spec: msg.spec }
}

/** The objective and trainable variables of `config` over the replica's model. */
function stepFor(model: tfl.LayersModel, config: TrainConfig, numClasses: number, classWeights: number[] | null, spec: ReplicaInit['spec']): NonNullable<Replica['step']> {
  const objective = createObjective(config, numClasses, classWeights, spec.baseFilters)
  const stepModel = config.loss.pixelContrast > 0 ? withDecoderFeatures(model) : model
  const vars = [...model.trainableWeights.map((w) => w.read() as tf.Variable), ...objective.variables]
  return { model: stepModel, objective, vars, withBoundary: spec.auxBoundaryHead }
}

function configure(r: Replica, msg: ReplicaConfigure): void {
  r.step?.objective.dispose()
  r.step = stepFor(r.model, msg.config, r.numClasses, msg.classWeights, r.spec)
  send({ type: 'configured' })
}

function predict(r: Replica, msg: ReplicaPredict): void {
  const undo = msg.passes > 1 ? enableMcDropout(r.model) : false
  try {
    const run = averagedRunner(r.model, msg.size, msg.channels, msg.tta, undo ? msg.passes : 1)
    const probs = msg.batches.map((b) => Float32Array.from(run(b.pixels, b.count)))
    send({ type: 'probs', probs }, probs.map((p) => p.buffer as ArrayBuffer))
  } finally {
    if (undo) undo()
  }
}

function validateShare(r: Replica, msg: ReplicaValidate): void {
  if (!r.step) throw new Error('validate on a prediction-only replica')
  const confusion = new ConfusionMatrix(msg.numClasses)
  const losses: number[] = []
  const samples: PixelSample[] = []
  for (const batch of msg.batches) {
    const loss = scoreBatch(r.model, r.step.objective, batch, msg.size, msg.channels, confusion, msg.sampleEvery, samples)
    if (loss !== null) losses.push(loss)
  }
  const sample = joinSamples(samples, msg.numClasses)
  send({ type: 'scores', counts: confusion.counts, losses, logp: sample.logp, sampleLabels: sample.labels }, [sample.logp.buffer as ArrayBuffer, sample.labels.buffer as ArrayBuffer])
}

function step(r: Replica, msg: ReplicaStep): void {
  if (!r.step) throw new Error('step on a prediction-only replica')
  loadSnapshot(r.model, r.step.objective, msg.weights)
  r.random.reseed(mixSeed(msg.randomSeed, r.replica))
  const batch = { size: msg.size, count: msg.count, channels: msg.channels, pixels: msg.pixels, labels: msg.labels }
  r.step.objective.observe(batch.labels)
  r.step.objective.setClassWeights(msg.classWeights)
  const result = shareGradients(r.step, batch)
  send({ type: 'grads', loss: result.loss, grads: result.grads }, result.grads.filter((g): g is Float32Array => g !== null).map((g) => g.buffer as ArrayBuffer))
}

let replica: Replica | null = null
let queue: Promise<void> = Promise.resolve()

port.on('message', (msg: ToReplica) => {
  queue = queue.then(async () => {
    try {
      if (msg.type === 'warm') await selectBackend({ force: msg.backend }).catch(() => undefined)
      else if (msg.type === 'init') replica = await init(msg)
      else if (msg.type === 'close') {
        replica?.random.restore()
        replica?.step?.objective.dispose()
        replica?.model.dispose()
        replica = null
        port.close()
      } else {
        if (!replica) throw new Error(`${msg.type} before init`)
        if (msg.type === 'step') step(replica, msg)
        else if (msg.type === 'load') {
          loadSnapshot(replica.model, null, msg.weights)
          send({ type: 'loaded' })
        } else if (msg.type === 'validate') validateShare(replica, msg)
        else if (msg.type === 'configure') configure(replica, msg)
        else predict(replica, msg)
      }
    } catch (err) {
      send({ type: 'error', message: err instanceof Error ? err.message : String(err) })
    }
  })
})
