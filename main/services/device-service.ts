/**
 * The device report behind `labelloop doctor` and `app:devices`: each backend is checked by
 * core/train/devices/probe-entry.ts in its own child process (Node, or Electron run as Node) under
 * tsx, so a native library that crashes or hangs costs only its own line. Checks never overlap: a
 * second request while one runs gets the same answer.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { DeviceReport } from '../../core/contract/devices'
import type { BackendName } from '../../core/train/backend'
import { failedReport, runDoctor, type ProbeReport, type ProbeRunner } from '../../core/train/devices/doctor'

const ENTRY_PATH = join('core', 'train', 'devices', 'probe-entry.ts')
/** Loading, compiling kernels and the first step take up to a minute on a slow CPU; then the probes. */
const STARTUP_MS = 90_000

/** probe-entry.ts found from this file's folder upwards (source tree or electron-vite's out/main), or null. */
function findEntry(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, ENTRY_PATH))) return join(dir, ENTRY_PATH)
    dir = dirname(dir)
  }
  return null
}

/** Runs probe-entry.ts for one backend and parses its last JSON line; a crash or timeout is a failed report. */
export function childProbeRunner(sizes: number[], seconds: number): ProbeRunner {
  const entry = findEntry()
  return (name: BackendName) =>
    new Promise<ProbeReport>((resolve) => {
      if (!entry) return resolve(failedReport(name, 'the device check needs the source tree (core/train/devices/probe-entry.ts), which this build does not ship', 'run `npx labelloop doctor` in the repository'))
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
      const args = ['--import', tsx, entry, name, '--sizes', sizes.length > 0 ? sizes.join(',') : 'none', '--seconds', String(seconds)]
      const timeout = STARTUP_MS + sizes.length * seconds * 2000
      const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' }
      execFile(process.execPath, args, { timeout, maxBuffer: 1 << 20, encoding: 'utf8', env }, (err, stdout, stderr) => {
        const timedOut = err !== null && 'killed' in err && err.killed === true
        resolve(reportFromChild(name, { stdout, stderr, timedOut, error: err ? err.message : null }, sizes, timeout))
      })
    })
}

/** What a finished (or killed) probe-entry process left behind. */
export interface ChildOutcome {
  stdout: string
  stderr: string
  timedOut: boolean
  error: string | null
}

/**
 * One backend's report from its check process: the last JSON line it printed; for a process killed
 * by the timeout after the backend loaded, that load plus a note naming the sizes it could not probe;
 * otherwise a failure quoting the end of stderr (tfjs' banner lines dropped).
 */
export function reportFromChild(name: BackendName, out: ChildOutcome, sizes: number[], timeoutMs: number): ProbeReport {
  const lines = out.stdout.split('\n').filter((l) => l.startsWith('{"backend"'))
  const last = lines.length > 0 ? (JSON.parse(lines[lines.length - 1]) as ProbeReport) : null
  if (last && !out.timedOut) return last
  const limit = `${Math.round(timeoutMs / 1000)} s`
  if (last?.loads) {
    const missing = sizes.filter((s) => !last.probes.some((p) => p.size === s)).map((s) => `${s}²`)
    return { ...last, note: `training probe at ${missing.join(', ')} did not finish within ${limit}: too slow to train on here` }
  }
  const tail = out.stderr.trim().split('\n').filter((l) => !/tfjs-node|={5,}|^\s*$/.test(l)).slice(-2).join(' | ')
  const why = out.timedOut ? `the check did not finish within ${limit}` : `the check process failed${out.error ? ` (${out.error.split('\n')[0]})` : ''}`
  return failedReport(name, `${why}${tail ? `: ${tail}` : ''}`, 'run the check alone: labelloop doctor --json, and report its output')
}

/** Builds the report: every backend checked, probed at `sizes` for `seconds` each when sizes are given. */
export function checkDevices(sizes: number[], seconds: number, onBackend?: (name: BackendName) => void): Promise<DeviceReport> {
  const probe = childProbeRunner(sizes, seconds)
  return runDoctor(
    async (name) => {
      onBackend?.(name)
      return probe(name)
    },
    { platform: process.platform, arch: process.arch, node: process.versions.node },
  )
}

let previous: Promise<unknown> = Promise.resolve()
const inFlight = new Map<boolean, Promise<DeviceReport>>()

/** `app:devices`: the report, with the 10 s training probes at 256² when `probe`; one check at a time. */
export function devicesFor(input: { probe: boolean }): Promise<DeviceReport> {
  const running = inFlight.get(input.probe)
  if (running) return running
  const report = previous.catch(() => undefined).then(() => checkDevices(input.probe ? [256] : [], 10))
  previous = report
  inFlight.set(input.probe, report)
  report.then(
    () => inFlight.delete(input.probe),
    () => inFlight.delete(input.probe),
  )
  return report
}
