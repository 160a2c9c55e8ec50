/**
 * The rare-class data pipeline: normalisation statistics and an image cache, tiles with padding,
 * class-aware image sampling, rare-biased crops, a stratified validation split, augmentation,
 * copy-paste of rare-class objects and the batch builder that combines them. Pure functions over typed
 * arrays; the training loop makes tensors of the final batch.
 */
export * from './types'
export * from './normalisation-stats'
export * from './image-cache'
export * from './tiles'
export * from './class-index'
export * from './sampler'
export * from './rare-crop'
export * from './split'
export * from './geometric'
export * from './photometric'
export * from './augment'
export * from './components'
export * from './copy-paste'
export * from './batch-builder'
export * from './from-config'
