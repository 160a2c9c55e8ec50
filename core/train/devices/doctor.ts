/**
 * `labelloop doctor`'s report: every backend, whether it loads, its device, a short training probe for
 * each that loads and, for each that does not, the exact reason and the one step that would enable it.
 * Each backend is checked in its own process by probe-entry.ts; `runDoctor` takes that runner injected.
 */
import { BACKEND_ORDER, type BackendName } from '../backend'
import type { ProbeResult } from './probe'

/** One backend's check, as probe-entry.ts prints it. */
export type ProbeReport =
  | { backend: BackendName; loads: true; tfName: string; device: string; probes: ProbeResult[]; note?: string }
  | { backend: BackendName; loads: false; reason: string; step: string }

/** The whole report. */
export interface DoctorReport {
  platform: string
  arch: string
  node: string
  /** The backend a run with `backend: auto` would train on (first that loads), or null. */
  chosen: BackendName | null
  backends: ProbeReport[]
  /** Backends the command line cannot check, with why. */
  notChecked: { backend: string; reason: string }[]
}

/** Runs one backend's check (a child process in the CLI). */
export type ProbeRunner = (name: BackendName) => Promise<ProbeReport>

/** Checks every backend in order of preference, one at a time (probes must not share the CPU). */
export async function runDoctor(run: ProbeRunner, env: { platform: string; arch: string; node: string }): Promise<DoctorReport> {
  const backends: ProbeReport[] = []
  for (const name of BACKEND_ORDER) backends.push(await run(name))
  const chosen = backends.find((b) => b.loads)?.backend ?? null
  const notChecked = [
    { backend: 'webgpu', reason: 'WebGPU and WebGL exist only inside a browser engine, so Node cannot check them; the e2e suite checks their training on a software adapter' },
  ]
  return { ...env, chosen, backends, notChecked }
}

/** A failed check from an error thrown outside tryBackend (the probe itself, or the child process). */
export function failedReport(name: BackendName, reason: string, step: string): ProbeReport {
  return { backend: name, loads: false, reason, step }
}

const fmt = (n: number): string => (n >= 10 ? n.toFixed(1) : n.toFixed(2))

/** The report as text: one block per backend, then the choice. */
export function formatDoctor(report: DoctorReport): string {
  const lines = [`LabelLoop doctor — ${report.platform}-${report.arch}, Node ${report.node}`, '']
  for (const b of report.backends) {
    if (b.loads) {
      lines.push(`✓ ${b.backend}: ${b.device}`)
      if (b.note) lines.push(`    ${b.note}`)
      for (const p of b.probes) {
        lines.push(`    training probe ${p.size}²: ${fmt(p.imagesPerSecond)} img/s (batch ${p.batch}, ${p.steps} steps in ${p.seconds.toFixed(1)} s, 1 thread; first step ${p.warmupSeconds.toFixed(1)} s)`)
      }
    } else {
      lines.push(`✗ ${b.backend}: ${b.reason}`, `    to enable: ${b.step}`)
    }
  }
  for (const n of report.notChecked) lines.push(`- ${n.backend}: not checked here (${n.reason})`)
  lines.push('', report.chosen ? `Training uses ${report.chosen} (the first that loads).` : 'No backend loads: training cannot run.')
  return lines.join('\n')
}
