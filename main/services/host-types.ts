/**
 * The seam between the services and their transports. Electron IPC, the browser-mode web host and the
 * CLI all hold one ServiceHost; none of them knows how the services work inside.
 */
import type { EventName, EventPayload, ImageRendition } from '../../core/contract'
import type { TrainerFactory } from '../trainer/spawn'

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void

export interface ServiceHost {
  /**
   * Validates `rawInput` against the contract's input schema for `method`, runs it and returns the
   * output. Throws AppError (INVALID_INPUT for a bad payload or unknown method).
   */
  dispatch(method: string, rawInput: unknown): Promise<unknown>
  /** Subscribes to every event the services emit; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void
  /** Bytes of an image rendition of the open project (NOT_FOUND for another project's id). */
  imageRendition(imageId: number, rendition: ImageRendition): Promise<{ bytes: Buffer; mime: string }>
  /** Closes the open project and stops background work. */
  close(): Promise<void>
}

export interface ServiceHostOptions {
  mode: 'electron' | 'browser' | 'cli'
  /** Where recent.json and the sample project live. */
  appDataDir: string
  version: string
  nativeDialogs: boolean
  /** Starts a trainer process (default: child_process.fork under tsx; Electron supplies utilityProcess). */
  trainerFactory?: TrainerFactory
  /**
   * Originals of at least this many bytes are linked by path instead of copied into the project
   * (default core/project LINK_ORIGINALS_FROM_BYTES, 256 MiB); tests set it low.
   */
  linkOriginalsFromBytes?: number
  /** Folders the browser-mode file picker (files:browse) may list (default: the app data folder and the user's home). */
  browseRoots?: string[]
}
