/** Helpers for the CLI tests: captured in-process IO and small generated images. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { encode } from 'fast-png'
import sharp from 'sharp'
import type { CliIo, InterruptSignal } from './output'

export interface CapturedIo extends CliIo {
  out: () => string
  err: () => string
  /** Fires the SIGINT handlers as a Ctrl+C would. */
  interrupt(): void
  opened: string[]
}

/** IO that records stdout/stderr; `onStderr` sees every stderr write (to react to progress). */
export function captureIo(env: Record<string, string>, cwd: string, onStderr?: (text: string, io: CapturedIo) => void): CapturedIo {
  let out = ''
  let err = ''
  const handlers = new Set<(signal: InterruptSignal) => void>()
  const io: CapturedIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: {
      write: (s: string) => {
        err += s
        onStderr?.(s, io)
      },
    },
    env,
    cwd,
    onInterrupt(handler) {
      handlers.add(handler)
      return () => handlers.delete(handler)
    },
    openBrowser: (url) => io.opened.push(url),
    out: () => out,
    err: () => err,
    interrupt: () => {
      for (const h of [...handlers]) h('SIGINT')
    },
    opened: [],
  }
  return io
}

/** Writes `count` distinct RGB PNGs (w×h) into `dir` as img-00.png, img-01.png, ... */
export async function writePngs(dir: string, count: number, w = 24, h = 16): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const files: string[] = []
  for (let i = 0; i < count; i++) {
    const file = join(dir, `img-${String(i).padStart(2, '0')}.png`)
    const background = { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53 + 7) % 256 }
    await writeFile(file, await sharp({ create: { width: w, height: h, channels: 3, background } }).png().toBuffer())
    files.push(file)
  }
  return files
}

/** A single-channel index PNG: left half class `a`, right half class `b`. */
export async function writeMask(file: string, w: number, h: number, a: number, b: number): Promise<void> {
  const data = Buffer.alloc(w * h)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = x < w / 2 ? a : b
  await writeFile(file, encode({ width: w, height: h, data, channels: 1, depth: 8 }))
}
