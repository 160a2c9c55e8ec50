/**
 * Pseudo-labelling: class-balanced confidence thresholds, review scores, review status rules, flip-TTA
 * and MC-dropout probabilities, the round job of the trainer process, and unreviewed pseudo-labels as
 * low-weight training data.
 */
export * from './thresholds'
export * from './scoring'
export * from './status'
export * from './tta'
export * from './round-job'
export * from './unreviewed-source'
