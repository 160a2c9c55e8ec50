import { describe, expect, it } from 'vitest'
import { decodeMaskPng, maskToBase64Png } from '../../canvas'
import { base64ToBytes } from '../../canvas/mask-codec'
import { MaskEncoder, WORKER_MIN_PIXELS, type EncodeReply, type EncodeRequest } from './mask-encoder'

/** A stand-in Worker that runs the real encode asynchronously, or fails as told. */
class FakeWorker {
  onmessage: ((e: MessageEvent<EncodeReply>) => void) | null = null
  onerror: ((e: ErrorEvent) => void) | null = null
  readonly received: EncodeRequest[] = []
  transferred = 0
  terminated = false
  constructor(private readonly mode: 'ok' | 'reply-error' | 'crash' = 'ok') {}
  postMessage(msg: EncodeRequest, transfer: ArrayBuffer[]): void {
    this.received.push(msg)
    this.transferred += transfer.length
    setTimeout(() => {
      if (this.mode === 'crash') return this.onerror?.({ message: 'boom' } as ErrorEvent)
      const reply: EncodeReply = this.mode === 'ok' ? { id: msg.id, base64: maskToBase64Png(msg.data, msg.width, msg.height) } : { id: msg.id, error: 'bad mask' }
      this.onmessage?.({ data: reply } as MessageEvent<EncodeReply>)
    }, 0)
  }
  terminate(): void {
    this.terminated = true
  }
}

const side = Math.ceil(Math.sqrt(WORKER_MIN_PIXELS))

function mask(w: number, h: number): Uint8Array {
  const m = new Uint8Array(w * h).fill(255)
  m.fill(2, 0, w * 3)
  return m
}

describe('MaskEncoder', () => {
  it('sends large masks to the worker (buffer transferred) and gets the same PNG back', async () => {
    const fake = new FakeWorker()
    let started = 0
    const enc = new MaskEncoder(() => {
      started++
      return fake as unknown as Worker
    })
    const b64 = await enc.encode(mask(side, side), side, side)
    const again = await enc.encode(mask(side, side), side, side)
    expect(again).toBe(b64)
    expect([started, fake.received.length, fake.transferred]).toEqual([1, 2, 2])
    const back = decodeMaskPng(base64ToBytes(b64))
    expect([back.width, back.height, back.data[0], back.data[side * 3]]).toEqual([side, side, 2, 255])
    enc.dispose()
    expect(fake.terminated).toBe(true)
  })

  it('encodes small masks in the page, and large ones too when no worker starts', async () => {
    let started = 0
    const enc = new MaskEncoder(() => {
      started++
      return null
    })
    expect(await enc.encode(mask(4, 4), 4, 4)).toBe(maskToBase64Png(mask(4, 4), 4, 4))
    expect(started).toBe(0)
    expect(await enc.encode(mask(side, side), side, side)).toBe(maskToBase64Png(mask(side, side), side, side))
    expect(started).toBe(1)
  })

  it('a failed encode or a crashed worker rejects the save with a message saying so', async () => {
    const failing = new MaskEncoder(() => new FakeWorker('reply-error') as unknown as Worker)
    await expect(failing.encode(mask(side, side), side, side)).rejects.toThrow(/Encoding the mask for saving failed: bad mask/)
    const crashing = new MaskEncoder(() => new FakeWorker('crash') as unknown as Worker)
    await expect(crashing.encode(mask(side, side), side, side)).rejects.toThrow(/mask encoder stopped \(boom\)/)
  })
})
