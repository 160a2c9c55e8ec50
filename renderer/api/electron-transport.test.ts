import { describe, expect, it } from 'vitest'
import { AppError } from '../../core/contract'
import { createElectronClient } from './electron-transport'

function fakeBridge() {
  let listener: ((name: string, payload: unknown) => void) | null = null
  const calls: Array<[string, unknown]> = []
  const bridge: LabelLoopBridge = {
    async invoke(method, input) {
      calls.push([method, input])
      if (method === 'project:open') return { ok: false, error: { code: 'NEWER_VERSION', message: '/a.labelloop was written by a newer LabelLoop', file: '/a.labelloop' } }
      return { ok: true, result: [] }
    },
    on(l) {
      listener = l
      return () => (listener = null)
    },
    imageUrl: (id, rendition) => `labelloop-img://image/${id}/${rendition}`,
    getPathForFile: (file) => `/host/${file.name}`,
    dialogs: {
      openFiles: async () => [],
      openDirectory: async () => null,
      saveProject: async () => null,
    },
  }
  return { bridge, calls, emit: (name: string, payload: unknown) => listener?.(name, payload) }
}

describe('electron transport', () => {
  it('unwraps results and rethrows errors as AppError', async () => {
    const f = fakeBridge()
    const client = createElectronClient(f.bridge)
    expect(await client.invoke('project:recent', {})).toEqual([])
    const err = await client.invoke('project:open', { path: '/a.labelloop' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'NEWER_VERSION', file: '/a.labelloop' })
    expect(f.calls).toEqual([['project:recent', {}], ['project:open', { path: '/a.labelloop' }]])
  })

  it('routes bridge events to the listeners of that event only', () => {
    const f = fakeBridge()
    const client = createElectronClient(f.bridge)
    const seen: string[] = []
    const off = client.on('project:changed', (p) => seen.push(p.what))
    client.on('import:progress', () => seen.push('progress'))
    f.emit('project:changed', { what: 'images' })
    off()
    f.emit('project:changed', { what: 'masks' })
    expect(seen).toEqual(['images'])
  })

  it('uses host paths of picked files instead of uploading them', async () => {
    const client = createElectronClient(fakeBridge().bridge)
    const done: number[] = []
    const paths = await client.transferFiles([{ file: new File(['x'], 'a.png'), relPath: 'dir/a.png' }], 'images', { onProgress: (n) => done.push(n) })
    expect(paths).toEqual(['/host/a.png'])
    expect(done).toEqual([1])
    expect(client.imageUrl(3, 'display')).toBe('labelloop-img://image/3/display')
    expect(client.dialogs).not.toBeNull()
  })
})
