/** Fixtures for the service tests: a host in a temp app-data folder and test images made with sharp. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import type { EventName, EventPayload, Input, Method, Output } from '../../core/contract'
import { createServiceHost, type ServiceHost } from './index'

export interface TestHost {
  host: ServiceHost
  dir: string
  events: { name: EventName; payload: EventPayload<EventName> }[]
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>
  cleanup(): Promise<void>
}

/** A service host whose app data and test files live in a fresh temp folder. */
export function makeHost(): TestHost {
  const dir = mkdtempSync(join(tmpdir(), 'labelloop-svc-'))
  const host = createServiceHost({ mode: 'cli', appDataDir: join(dir, 'appdata'), version: '0.0.0-test', nativeDialogs: false })
  const events: TestHost['events'] = []
  host.onEvent((name, payload) => events.push({ name, payload }))
  return {
    host,
    dir,
    events,
    call: (method, input) => host.dispatch(method, input) as Promise<never>,
    async cleanup() {
      await host.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** An RGB PNG of `width`×`height` whose pixels depend on `seed` (so different seeds hash differently). */
export function rgbPng(width: number, height: number, seed: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3)
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + seed * 31) % 256
  return sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer()
}

/** A single-channel PNG of class indices: `fill(x, y)` gives the index of each pixel. */
export function maskPng(width: number, height: number, fill: (x: number, y: number) => number): Promise<Buffer> {
  const data = Buffer.alloc(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = fill(x, y)
  return sharp(data, { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toBuffer()
}
