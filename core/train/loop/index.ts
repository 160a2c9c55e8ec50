/**
 * The training engine's loop: data access, batches, the loop itself, checkpoints, prediction,
 * evaluation and the project-level jobs the trainer process runs.
 */
export * from './data-source'
export * from './normalisation'
export * from './split'
export * from './sampler'
export * from './batch'
export * from './config'
export * from './objective'
export * from './state'
export * from './checkpoint'
export * from './predict'
export * from './validate'
export * from './prepare'
export * from './train-loop'
export * from './run-repo'
export * from './round-repo'
export * from './project-source'
export * from './model-io'
export * from './jobs'
export { Rng, mixSeed } from './rng'
