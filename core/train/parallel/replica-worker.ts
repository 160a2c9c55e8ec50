/**
 * A data-parallel training replica: a worker thread with its own tfjs engine and backend (its own wasm
 * instance), the run's model and objective. For each step it loads the loop's weights, computes the loss
 * and gradients of its share of the batch and sends them back; the loop averages and applies them.
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
import type { FromReplica, ReplicaInit, ReplicaStep, ToReplica } from './protocol'

interface Replica {
  replica: number
  model: tfl.LayersModel
  objective: Objective
  step: StepModel
  random: SeededMathRandom
}

const port = parentPort
if (!port) throw new Error('replica-worker.ts must run in a worker thread')

function send(message: FromReplica, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer)
}

async function init(msg: ReplicaInit): Promise<Replica> {
  const choice = await selectBackend({ force: msg.backend })
  const model = createUNet({ ...msg.spec, seed: msg.config.seed })
  const objective = createObjective(msg.config, msg.numClasses, msg.classWeights, msg.spec.baseFilters)
  const stepModel = msg.config.loss.pixelContrast > 0 ? withDecoderFeatures(model) : model
  const vars = [...model.trainableWeights.map((w) => w.read() as tf.Variable), ...objective.variables]
  send({ type: 'ready', device: choice.device })
  return {
    replica: msg.replica, model, objective,
    step: { model: stepModel, objective, vars, withBoundary: msg.spec.auxBoundaryHead },
    random: seedMathRandom(mixSeed(msg.config.seed, 7919 + msg.replica)),
  }
}

function step(r: Replica, msg: ReplicaStep): void {
  loadSnapshot(r.model, r.objective, msg.weights)
  r.random.reseed(mixSeed(msg.randomSeed, r.replica))
  const batch = { size: msg.size, count: msg.count, channels: msg.channels, pixels: msg.pixels, labels: msg.labels }
  r.objective.observe(batch.labels)
  r.objective.setClassWeights(msg.classWeights)
  const result = shareGradients(r.step, batch)
  send({ type: 'grads', loss: result.loss, grads: result.grads }, result.grads.filter((g): g is Float32Array => g !== null).map((g) => g.buffer as ArrayBuffer))
}

let replica: Replica | null = null
let queue: Promise<void> = Promise.resolve()

port.on('message', (msg: ToReplica) => {
  queue = queue.then(async () => {
    try {
      if (msg.type === 'init') replica = await init(msg)
      else if (msg.type === 'step') {
        if (!replica) throw new Error('step before init')
        step(replica, msg)
      } else {
        replica?.random.restore()
        replica?.objective.dispose()
        replica?.model.dispose()
        replica = null
        port.close()
      }
    } catch (err) {
      send({ type: 'error', message: err instanceof Error ? err.message : String(err) })
    }
  })
})
