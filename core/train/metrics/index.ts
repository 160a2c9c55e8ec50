/** Segmentation metrics: a confusion matrix accumulated over batches and the scores derived from it. */
export * from './confusion'
export * from './scores'
