import { describe, expect, it } from 'vitest'
import { reportFromChild } from './device-service'

const loaded = { backend: 'cpu', loads: true, tfName: 'cpu', device: 'CPU (plain JavaScript)', probes: [] }
const probe = { size: 128, batch: 8, steps: 2, seconds: 10, imagesPerSecond: 1.6, warmupSeconds: 3, loss: 1.4 }
const banner = 'Hi, looks like you are running TensorFlow.js in Node.js. To speed things up dramatically, install our node backend, visit https://github.com/tensorflow/tfjs-node\n============================'

describe('reportFromChild', () => {
  it('takes the last report line of a finished check', () => {
    const stdout = `noise\n${JSON.stringify(loaded)}\n${JSON.stringify({ ...loaded, probes: [probe] })}\n`
    expect(reportFromChild('cpu', { stdout, stderr: banner, timedOut: false, error: null }, [128], 110_000)).toEqual({ ...loaded, probes: [probe] })
  })

  it('a check killed after the backend loaded keeps the load and names the sizes it could not probe', () => {
    const stdout = `${JSON.stringify({ ...loaded, probes: [probe] })}\n`
    const report = reportFromChild('cpu', { stdout, stderr: banner, timedOut: true, error: 'Command failed' }, [128, 256], 130_000)
    expect(report).toEqual({ ...loaded, probes: [probe], note: 'training probe at 256² did not finish within 130 s: too slow to train on here' })
  })

  it('a check that crashed before loading quotes stderr without tfjs banners', () => {
    const stderr = `${banner}\nSegmentation fault (core dumped)\n`
    const report = reportFromChild('tensorflow', { stdout: '', stderr, timedOut: false, error: 'Command failed: node probe-entry.ts tensorflow\nmore' }, [256], 110_000)
    expect(report).toEqual({
      backend: 'tensorflow',
      loads: false,
      reason: 'the check process failed (Command failed: node probe-entry.ts tensorflow): Segmentation fault (core dumped)',
      step: 'run the check alone: labelloop doctor --json, and report its output',
    })
  })
})
