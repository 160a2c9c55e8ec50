/** Segmentation losses (tfjs, pure functions inside tf.tidy) and their registry. */
export * from './common'
export * from './cross-entropy'
export * from './focal'
export * from './dice'
export * from './ohem'
export * from './dynamic-weights'
export * from './uncertainty'
export * from './registry'
