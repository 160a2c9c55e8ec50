/**
 * `labelloop doctor [--json]`: which tfjs backends load on this machine, the device each would train
 * on, a short training probe (img/s at 256², one thread) for each that loads and, for each that does
 * not, the exact reason and the one step that would enable it. Each backend is checked in its own
 * child process (core/train/devices/probe-entry.ts under tsx), so a native library that crashes or
 * hangs costs only its own line.
 */
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Command } from 'commander'
import type { BackendName } from '../../../core/train/backend'
import { failedReport, formatDoctor, runDoctor, type ProbeReport, type ProbeRunner } from '../../../core/train/devices/doctor'
import type { CommandContext } from '../output'

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'core', 'train', 'devices', 'probe-entry.ts')
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
/** Loading, compiling kernels and the first step take up to a minute on a slow CPU; then the probes. */
const STARTUP_MS = 90_000

/** Runs probe-entry.ts for one backend and parses its JSON line; a crash or timeout is a failed report. */
export function childProbeRunner(sizes: number[], seconds: number): ProbeRunner {
  return (name: BackendName) =>
    new Promise<ProbeReport>((resolve) => {
      const args = ['--import', TSX_LOADER, ENTRY, name, '--sizes', sizes.join(','), '--seconds', String(seconds)]
      const timeout = STARTUP_MS + sizes.length * seconds * 2000
      execFile(process.execPath, args, { timeout, maxBuffer: 1 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
        const lines = stdout.split('\n').filter((l) => l.startsWith('{"backend"'))
        const timedOut = err !== null && 'killed' in err && err.killed === true
        const last = lines.length > 0 ? (JSON.parse(lines[lines.length - 1]) as ProbeReport) : null
        if (last && !timedOut) return resolve(last)
        if (last?.loads) {
          const missing = sizes.filter((s) => !last.probes.some((p) => p.size === s)).map((s) => `${s}²`)
          return resolve({ ...last, note: `training probe at ${missing.join(', ')} did not finish within ${Math.round(timeout / 1000)} s: too slow to train on here` })
        }
        const tail = stderr.trim().split('\n').filter((l) => !/tfjs-node|={5,}|^\s*$/.test(l)).slice(-2).join(' | ')
        const why = timedOut ? `the check did not finish within ${Math.round(timeout / 1000)} s` : `the check process failed${err ? ` (${err.message.split('\n')[0]})` : ''}`
        resolve(failedReport(name, `${why}${tail ? `: ${tail}` : ''}`, 'run the check alone: labelloop doctor --json, and report its output'))
      })
    })
}

async function runDoctorCommand(ctx: CommandContext, opts: { seconds: string; sizes: string }): Promise<number> {
  try {
    const seconds = Number(opts.seconds)
    const sizes = opts.sizes.split(',').map(Number)
    if (!(seconds > 0) || sizes.some((s) => !Number.isInteger(s) || s <= 0 || s % 8 !== 0)) {
      throw new Error(`--seconds must be positive and --sizes multiples of 8 (got ${opts.seconds}, ${opts.sizes})`)
    }
    const probe = childProbeRunner(sizes, seconds)
    const report = await runDoctor(
      async (name) => {
        ctx.out.progress(`checking ${name}…`)
        return probe(name)
      },
      { platform: process.platform, arch: process.arch, node: process.versions.node },
    )
    ctx.out.result(report, formatDoctor(report))
    return 0
  } catch (err) {
    return ctx.out.fail(err)
  }
}

/** Registers `doctor` on the program. */
export function registerDoctor(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('doctor')
    .description('check which training backends and devices work here, with a short training probe of each')
    .option('--seconds <s>', 'length of each training probe', '10')
    .option('--sizes <list>', 'tile sides to probe, comma-separated', '256')
    .option('--json', 'print the report as one JSON object on stdout')
    .action(async (opts: { seconds: string; sizes: string; json?: boolean }) => done(await runDoctorCommand(ctx(opts.json === true), opts)))
}
