/**
 * "Label next" (issue 19): ranks unlabeled images and unlabeled regions of partly labeled images by how
 * much a label there would help (the active model's rarity-weighted doubt), with a diversity penalty.
 */
export { suggestJob, type SuggestOptions } from './suggest-job'
export { rankDiverse, type Candidate, type Ranked } from './rank'
export { colourHistogram, distance, similarity, type Feature } from './diversity'
export { pixelDoubt, fillUnkept, type PredictionMaps } from './uncertainty'
export { scoreArea, gridCells, openCells, type Rect, type AreaScore } from './regions'
