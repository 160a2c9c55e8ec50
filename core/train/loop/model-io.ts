/**
 * The trained model of a run, as prediction and export need it: the best checkpoint of the chosen run
 * (the active one by default), and its export as a tfjs model folder. Free of tfjs, so the services
 * export without loading it.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { AppError } from '../../contract'
import type { ProjectStore } from '../../project'
import { RunRepo, type StoredCheckpoint } from './run-repo'

/** The best checkpoint of `runId`, or of the active run; NOT_FOUND when there is no trained model. */
export function modelCheckpoint(store: ProjectStore, runId?: number): StoredCheckpoint {
  const runs = new RunRepo(store)
  const id = runId ?? runs.activeRunId()
  if (id === null) throw new AppError('NOT_FOUND', `${store.path} has no trained model yet: run labelloop train first`)
  runs.get(id)
  const checkpoint = runs.bestCheckpoint(id)
  if (!checkpoint) throw new AppError('NOT_FOUND', `run ${id} of ${store.path} has no checkpoint yet`)
  return checkpoint
}

/**
 * Writes a run's best model to `dir` as a tfjs layers-model folder: model.json, weights.bin, and
 * labelloop.json with the classes, the input normalisation, the tile size and where the model came
 * from. Any tfjs `loadLayersModel` reads the folder (the custom batch-norm layer 'LabelLoopBatchNorm'
 * must be registered, as core/train/model/batch-norm does).
 */
export async function exportModel(store: ProjectStore, dir: string, runId?: number): Promise<{ dir: string; files: string[] }> {
  const checkpoint = modelCheckpoint(store, runId)
  const out = resolve(dir)
  const parts = JSON.parse(checkpoint.model.topology) as { modelTopology: unknown; weightSpecs: unknown[] }
  const state = checkpoint.state
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'LabelLoop',
    convertedBy: null,
    modelTopology: parts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: parts.weightSpecs }],
  }
  const info = {
    runId: checkpoint.runId,
    epoch: checkpoint.epoch,
    classes: state.classes,
    normalisation: state.normalisation,
    inputChannels: state.model.inChannels,
    tileSize: state.tileSize,
    best: state.best,
    inputs: 'HWC float32 pixels at the image file precision, per channel (x - mean) / std; output: per-pixel class logits',
  }
  try {
    await mkdir(out, { recursive: true })
    await writeFile(join(out, 'model.json'), JSON.stringify(modelJson))
    await writeFile(join(out, 'weights.bin'), checkpoint.model.weights)
    await writeFile(join(out, 'labelloop.json'), `${JSON.stringify(info, null, 2)}\n`)
  } catch (err) {
    throw new AppError('IO', `cannot write the model to ${out}: ${(err as Error).message}`, out)
  }
  return { dir: out, files: ['model.json', 'weights.bin', 'labelloop.json'].map((f) => join(out, f)) }
}
