/** Class statistics and class weights: pure functions over per-image per-class pixel counts. */
export * from './count'
export * from './accumulator'
export * from './weights'
export * from './stats'
export * from './advice'
