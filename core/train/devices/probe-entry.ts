/**
 * One backend's doctor check in its own process (a native library that crashes takes only this
 * process with it, and tfjs-node and tfjs-node-gpu never share one): tries the backend, and when it
 * loads, probes training at each size. Prints a {@link ProbeReport} JSON line on stdout as soon as the
 * backend loads and again after each probe, so a probe cut short by a timeout still reports the load.
 *
 * Usage: tsx core/train/devices/probe-entry.ts <backend> [--sizes 256|128,256|none] [--seconds 10]
 */
import { parseArgs } from 'node:util'
import { BACKEND_ORDER, tryBackend, type BackendName } from '../backend'
import { failedReport, type ProbeReport } from './doctor'
import { trainingProbe, type ProbeResult } from './probe'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { sizes: { type: 'string', default: '256' }, seconds: { type: 'string', default: '10' } },
})
const name = positionals[0] as BackendName
if (!BACKEND_ORDER.includes(name)) throw new Error(`probe-entry: unknown backend "${positionals[0]}" (one of ${BACKEND_ORDER.join(', ')})`)

let report: ProbeReport
const trial = await tryBackend(name)
if (!trial.ok) report = failedReport(name, trial.reason ?? 'failed', trial.step ?? 'see the reason')
else {
  try {
    const probes: ProbeResult[] = []
    const loaded = (): ProbeReport => ({ backend: name, loads: true, tfName: trial.tfName, device: trial.device, probes: [...probes] })
    process.stdout.write(`${JSON.stringify(loaded())}\n`)
    for (const size of values.sizes === 'none' ? [] : values.sizes.split(',').map(Number)) {
      probes.push(await trainingProbe({ size, seconds: Number(values.seconds) }))
      process.stdout.write(`${JSON.stringify(loaded())}\n`)
    }
    report = loaded()
  } catch (err) {
    const text = err instanceof Error ? err.message.split('\n')[0] : String(err)
    report = failedReport(name, `loads, but training failed: ${text}`, 'report this with `labelloop doctor --json` output')
  }
}
process.stdout.write(`${JSON.stringify(report)}\n`)
process.exit(0)
