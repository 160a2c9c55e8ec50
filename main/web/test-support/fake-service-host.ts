/**
 * A small, real ServiceHost for transport tests: it validates inputs against the contract like the real
 * one, answers a few methods from memory, serves one image and lets a test emit events. It keeps the
 * web host's tests independent of SQLite and sharp.
 */
import { AppError, api, isMethod, type EventName, type EventPayload, type ImageRendition, type ProjectInfo } from '../../../core/contract'
import type { EventListener, ServiceHost } from '../../services/host-types'

/** One PNG pixel, the bytes the fake serves as image 1. */
export const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
)

export class FakeServiceHost implements ServiceHost {
  readonly calls: { method: string; input: unknown }[] = []
  private readonly listeners = new Set<EventListener>()
  private project: ProjectInfo | null = null
  closed = false

  async dispatch(method: string, rawInput: unknown): Promise<unknown> {
    if (!isMethod(method)) throw new AppError('INVALID_INPUT', `Unknown method ${method}`)
    const parsed = api[method].input.safeParse(rawInput)
    if (!parsed.success) throw new AppError('INVALID_INPUT', `${method}: ${parsed.error.issues[0]?.message ?? 'bad input'}`)
    this.calls.push({ method, input: parsed.data })
    switch (method) {
      case 'app:info':
        return { version: '0.0.0-test', mode: 'browser', nativeDialogs: false, projectsDir: '/tmp' }
      case 'project:current':
        return this.project
      case 'project:create': {
        const input = api['project:create'].input.parse(rawInput)
        if (input.path.endsWith('exists.labelloop')) throw new AppError('ALREADY_EXISTS', `${input.path}: already exists`, input.path)
        this.project = {
          path: input.path,
          name: input.name,
          schemaVersion: 1,
          classes: input.classes.map((c, index) => ({ index, name: c.name, color: c.color ?? '#808080' })),
          imageCount: 0,
          counts: { unlabeled: 0, partial: 0, labeled: 0 },
          createdAt: '2025-01-01T00:00:00.000Z',
        }
        this.emit('project:changed', { what: 'project' })
        return this.project
      }
      case 'project:open': {
        const input = api['project:open'].input.parse(rawInput)
        throw new AppError('NOT_FOUND', `${input.path}: no such file`, input.path)
      }
      case 'project:close':
        this.project = null
        return null
      case 'images:import':
        throw new AppError('BUSY', 'Another import is running')
      case 'images:get':
        throw new Error('boom: an unexpected failure')
      default:
        throw new AppError('NO_PROJECT', `${method} needs an open project`)
    }
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Sends an event to every subscriber, as the services would. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(name, payload)
  }

  get listenerCount(): number {
    return this.listeners.size
  }

  async imageRendition(imageId: number, rendition: ImageRendition): Promise<{ bytes: Buffer; mime: string }> {
    if (imageId !== 1) throw new AppError('NOT_FOUND', `Image ${imageId} is not in the open project`)
    return { bytes: rendition === 'thumb' ? ONE_PIXEL_PNG : Buffer.concat([ONE_PIXEL_PNG, Buffer.from([0])]), mime: 'image/png' }
  }

  async close(): Promise<void> {
    this.closed = true
  }
}
