/**
 * The GPU backends train the same U-Net as the CPU: in headless Chromium, on the software WebGPU
 * adapter (SwiftShader: vendor "google", architecture "swiftshader", only reachable from a secure
 * context, hence 127.0.0.1) and on WebGL, the loss and every weight's gradient of one batch match the
 * cpu backend's, and a few Adam steps follow the same losses. The page is e2e/webgpu-harness.ts,
 * bundled with esbuild. This checks correctness only; a software adapter is never used for real training.
 */
import { chromium, expect, test, type Browser, type Page } from '@playwright/test'
import { build } from 'esbuild'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { chooseBrowserGpu } from '../core/train/devices/gpu-choice'
import type { HarnessResult } from './webgpu-harness'

const STEPS = 2
let server: Server
let browser: Browser
let page: Page

test.beforeAll(async () => {
  // The wasm kernels' assembler (wabt, reached through the model's kernel registry) has Node-only
  // branches that the browser never takes: their require()s stay unresolved.
  const external = ['fs', 'path', 'crypto', 'url', 'os', 'worker_threads', 'node:*']
  const bundle = await build({ entryPoints: [join(import.meta.dirname, 'webgpu-harness.ts')], bundle: true, format: 'esm', platform: 'browser', external, write: false, logLevel: 'silent' })
  const js = bundle.outputFiles[0].text
  server = createServer((req, res) => {
    if (req.url === '/harness.js') {
      res.setHeader('content-type', 'text/javascript')
      return res.end(js)
    }
    res.setHeader('content-type', 'text/html')
    res.end('<!doctype html><meta charset="utf-8"><script type="module" src="/harness.js"></script>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'],
  })
  page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  await page.waitForFunction(() => 'unetOn' in window)
})

test.afterAll(async () => {
  await browser?.close()
  if (server) await new Promise((resolve) => server.close(resolve))
})

function onBackend(backend: string): Promise<HarnessResult> {
  return page.evaluate(([b, steps]) => (window as unknown as { unetOn(b: string, s: number): Promise<HarnessResult> }).unetOn(b, steps), [backend, STEPS] as const)
}

/** Largest gradient error of any weight relative to that weight's largest cpu gradient. */
function worstGradientError(got: number[][], want: number[][]): number {
  let worst = 0
  for (let i = 0; i < want.length; i++) {
    const scale = Math.max(1e-6, ...want[i].map(Math.abs))
    for (let j = 0; j < want[i].length; j++) worst = Math.max(worst, Math.abs(got[i][j] - want[i][j]) / scale)
  }
  return worst
}

let cpu: HarnessResult

test('cpu reference: the loss falls over a few Adam steps', async () => {
  cpu = await onBackend('cpu')
  expect(cpu.backend).toBe('cpu')
  expect(cpu.trainLosses[STEPS - 1]).toBeLessThan(cpu.trainLosses[0])
})

for (const backend of ['webgpu', 'webgl']) {
  test(`${backend}: the U-Net's loss, gradients and training steps match cpu`, async () => {
    test.skip(!cpu, 'needs the cpu reference')
    const got = await onBackend(backend)
    expect(got.backend).toBe(backend)
    if (backend === 'webgpu') {
      // Headless here: the SwiftShader adapter, usable to check correctness and exactly what training
      // must refuse. On a machine whose Chromium exposes a hardware adapter, that one is accepted.
      expect(got.adapter).not.toBeNull()
      const software = got.adapter?.isFallbackAdapter === true || got.adapter?.architecture === 'swiftshader'
      const choice = chooseBrowserGpu({ cuda: false, webgpu: got.adapter, webglRenderer: null })
      if (software) expect(choice).toEqual({ backend: null, reason: expect.stringContaining('software') })
      else expect(choice.backend).toBe('webgpu')
    }
    expect(got.grads.map((g) => g.length)).toEqual(cpu.grads.map((g) => g.length))
    expect(Math.abs(got.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, cpu.loss))
    expect(worstGradientError(got.grads, cpu.grads)).toBeLessThan(2e-3)
    for (let i = 0; i < STEPS; i++) expect(Math.abs(got.trainLosses[i] - cpu.trainLosses[i])).toBeLessThan(5e-3 * cpu.trainLosses[0])
  })
}
