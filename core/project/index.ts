/**
 * The project store: one SQLite file per project (see DESIGN.md's data model).
 *
 * Public API: {@link ProjectStore}
 * - `ProjectStore.create(path, name, classes)` / `ProjectStore.open(path)` / `store.close()`
 * - `store.info()`, `store.classes()`, `store.setClasses(classes)`, `store.write(fn)` (one transaction),
 *   `store.setting(key)` / `store.setSetting(key, value)` (project settings in the meta table)
 * - `store.images`: insert, findByHash, get, exists, list(ImageQuery), neighbors, delete, rendition,
 *   replaceRenditions, original (bytes; a linked original is read from its checked file), originalSource
 *   (bytes or the checked path of a linked original), linked, counts
 * - `store.masks`: current, save (appends a revision), revisions, revisionPng, restore (appends a copy),
 *   classPixels
 * - `store.db` for repositories of later features (runs, checkpoints, rounds, pseudo_labels tables exist).
 */
export { ProjectStore } from './store'
export type { NewImage, ImageBytes, OriginalSource } from './image-repo'
export { LINK_ORIGINALS_FROM_BYTES, hashFileSync, type LinkedFile } from './linked-original'
export type { NewMaskRevision, CurrentMask } from './mask-repo'
export { LATEST_SCHEMA_VERSION } from './migrations'
export { PseudoLabelRepo, type PseudoLabelRow, type RoundRow, type PseudoReview, type PseudoLabelQuery } from './pseudo-label-repo'
