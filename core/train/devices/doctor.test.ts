import { describe, expect, it } from 'vitest'
import type { BackendName } from '../backend'
import { failedReport, formatDoctor, runDoctor, type ProbeReport } from './doctor'

const ENV = { platform: 'linux', arch: 'x64', node: '22.23.3' }
const probe = { size: 256, batch: 8, steps: 3, seconds: 10.4, imagesPerSecond: 2.31, warmupSeconds: 4.2, loss: 1.4 }

describe('runDoctor', () => {
  it('checks every backend in order of preference, one at a time, and names the first that loads', async () => {
    const order: BackendName[] = []
    let running = 0
    const report = await runDoctor(async (name): Promise<ProbeReport> => {
      order.push(name)
      running++
      expect(running).toBe(1)
      await new Promise((r) => setTimeout(r, 5))
      running--
      if (name === 'tensorflow-gpu') return failedReport(name, '@tensorflow/tfjs-node-gpu loaded but found no CUDA device: no NVIDIA driver (nvidia-smi not found)', 'install the NVIDIA driver')
      if (name === 'tensorflow') return failedReport(name, '@tensorflow/tfjs-node is not installed', 'run `npm install`')
      return { backend: name, loads: true, tfName: name, device: `CPU (${name})`, probes: [probe] }
    }, ENV)
    expect(order).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
    expect(report.chosen).toBe('wasm')
    expect(report.notChecked.map((n) => n.backend)).toEqual(['webgpu'])

    const text = formatDoctor(report)
    expect(text).toContain('✗ tensorflow-gpu: @tensorflow/tfjs-node-gpu loaded but found no CUDA device: no NVIDIA driver (nvidia-smi not found)\n    to enable: install the NVIDIA driver')
    expect(text).toContain('✓ wasm: CPU (wasm)\n    training probe 256²: 2.31 img/s (batch 8, 3 steps in 10.4 s, 1 thread; first step 4.2 s)')
    expect(text).toMatch(/Training uses wasm \(the first that loads\)\.$/)
  })

  it('says so when nothing loads', async () => {
    const report = await runDoctor(async (name) => failedReport(name, 'broken', 'reinstall'), ENV)
    expect(report.chosen).toBeNull()
    expect(formatDoctor(report)).toMatch(/No backend loads: training cannot run\.$/)
  })
})
