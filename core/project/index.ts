/**
 * The project store: one SQLite file per project (see DESIGN.md's data model). Public API:
 * {@link ProjectStore} and the plain types its repositories take and return.
 */
export { ProjectStore } from './store'
export type { NewImage, ImageBytes } from './image-repo'
export type { NewMaskRevision, CurrentMask } from './mask-repo'
export { LATEST_SCHEMA_VERSION } from './migrations'
