/// <reference types="vite/client" />

/**
 * What the Electron preload exposes as `window.labelloop`. The renderer only ever sees it through the
 * Electron transport in api/electron-transport.ts; in browser mode it is absent.
 */
interface LabelLoopBridgeReply {
  ok: boolean
  result?: unknown
  error?: { code: string; message: string; file?: string }
}

interface LabelLoopBridge {
  /** Runs a contract method; errors come back as `{ ok: false, error }`, never as a rejection. */
  invoke(method: string, input: unknown): Promise<LabelLoopBridgeReply>
  /** Receives every contract event; returns the unsubscribe function. */
  on(listener: (name: string, payload: unknown) => void): () => void
  /** Application-menu commands (new-project, open-project, import). */
  onMenu?(listener: (command: string) => void): () => void
  imageUrl(imageId: number, rendition: string): string
  /** The host path of a picked or dropped file (Electron's webUtils.getPathForFile). */
  getPathForFile(file: File): string
  dialogs: {
    openFiles(kind: 'images' | 'project'): Promise<string[]>
    openDirectory(): Promise<string | null>
    saveProject(defaultName: string): Promise<string | null>
  }
}

interface Window {
  labelloop?: LabelLoopBridge
}
