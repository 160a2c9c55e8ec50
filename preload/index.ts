/**
 * Exposes the typed client's Electron half as `window.labelloop`: invoke, events, image URLs, file paths
 * and dialogs. Never `ipcRenderer` itself.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'

type Reply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; file?: string } }

const bridge = {
  /** Resolves with `{ok, result}` or `{ok: false, error}`: errors cross contextBridge as plain data. */
  invoke: (method: string, input: unknown): Promise<Reply> => ipcRenderer.invoke('ll:invoke', method, input),
  /** Subscribes to one event name; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void {
    const handler = (_e: unknown, name: string, payload: unknown): void => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on('ll:event', handler)
    return () => ipcRenderer.removeListener('ll:event', handler)
  },
  onMenu(listener: (command: string) => void): () => void {
    const handler = (_e: unknown, command: string): void => listener(command)
    ipcRenderer.on('ll:menu', handler)
    return () => ipcRenderer.removeListener('ll:menu', handler)
  },
  imageUrl: (imageId: number, rendition: string): string => `labelloop-img://image/${imageId}/${rendition}`,
  getPathForFile: (file: File): string => webUtils.getPathForFile(file),
  dialogs: {
    openFiles: (kind: 'images' | 'project'): Promise<string[]> =>
      ipcRenderer.invoke('ll:dialog', kind === 'images' ? 'openImages' : 'openProject'),
    openDirectory: (): Promise<string | null> => ipcRenderer.invoke('ll:dialog', 'openDirectory'),
    saveProject: (defaultName: string): Promise<string | null> => ipcRenderer.invoke('ll:dialog', 'saveProject', defaultName),
  },
}

export type PreloadBridge = typeof bridge

contextBridge.exposeInMainWorld('labelloop', bridge)
