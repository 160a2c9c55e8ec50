/**
 * The client as the renderer uses it: the contract's LabelLoopClient plus the few things only the UI
 * needs (upload progress and cancel, connection state). Both transports implement it.
 */
import type { LabelLoopClient } from '../../core/contract'

/** A file the user picked or dropped, with its path relative to the picked folder (or its own name). */
export interface PickedFile {
  file: File
  relPath: string
}

export interface TransferOptions {
  /** Called after each file with the number done and the total. */
  onProgress?: (done: number, total: number) => void
  signal?: AbortSignal
}

/** `live`: events flow; `connecting`: (re)connecting after a drop; browser mode only ever changes it. */
export type ConnectionState = 'live' | 'connecting'

export interface RendererClient extends LabelLoopClient {
  readonly mode: 'electron' | 'browser'
  /**
   * Turns picked files into host paths, keeping folder structure (browser mode uploads them into one
   * batch folder on the host; Electron just reads their paths).
   */
  transferFiles(files: readonly PickedFile[], purpose: 'images' | 'masks', options?: TransferOptions): Promise<string[]>
  /** Follows the event connection's state; returns the unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void
  /** Application-menu commands in Electron (new-project, open-project, import). */
  onMenu(listener: (command: string) => void): () => void
}

/** The picked file with its folder-relative path (webkitRelativePath when a folder was picked). */
export function toPicked(file: File): PickedFile {
  const rel = file.webkitRelativePath
  return { file, relPath: rel && rel.length > 0 ? rel : file.name }
}
