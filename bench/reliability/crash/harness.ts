/**
 * One kill point: copy the scenario's template, start its child, SIGKILL the child's process group after a
 * seeded delay, then run the scenario's checks on what is left.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { killGroup, waitFor, type Child } from './child'
import { mulberry32 } from './random'
import type { Scenario, Verdict } from './scenarios'

export interface KillResult extends Verdict {
  seed: number
  /** Milliseconds after spawn the SIGKILL was sent. */
  killAtMs: number
  /** False when the child had already finished by itself before the kill time. */
  killedWhileRunning: boolean
}

export interface Prepared {
  scenario: Scenario
  templateDir: string
  home: string
  /** Duration of one unkilled run of the child, in ms. */
  runMs: number
  /** When the calibration run first wrote something (ms after spawn); kill windows start there. */
  anchorMs: number
}

/**
 * Builds the template and times one unkilled run, whose checks must pass too. Without `calibrate` only the
 * template is built, for kill points given by a trigger.
 */
export async function prepare(scenario: Scenario, root: string, calibrate = true): Promise<Prepared> {
  const templateDir = mkdtempSync(join(root, 'template-'))
  const home = join(root, 'home')
  await scenario.template(templateDir, home)
  if (!calibrate) return { scenario, templateDir, home, runMs: 0, anchorMs: 0 }
  const work = mkdtempSync(join(root, 'calibrate-'))
  cpSync(templateDir, work, { recursive: true })
  const child = scenario.start(work, home, 1)
  const end = await child.exited
  if (end.code !== 0) throw new Error(`${scenario.name}: the unkilled run failed (${end.code}): ${child.stderr()}`)
  const verdict = await scenario.verify(work, home, child)
  if (verdict.problems.length > 0) throw new Error(`${scenario.name}: the unkilled run fails its checks: ${verdict.problems.join('; ')}`)
  rmSync(work, { recursive: true, force: true })
  const anchorMs = scenario.anchor === 'output' ? (child.firstOutputMs() ?? 0) : 0
  return { scenario, templateDir, home, runMs: end.ms, anchorMs }
}

/**
 * Runs kill point `seed`. The kill lands uniformly in the calibrated working window: from the child's first
 * output (scenarios anchored on output, so start-up does not eat the kill points) or from spawn, to the end
 * of the calibration run.
 */
export async function killPoint(p: Prepared, root: string, seed: number): Promise<KillResult> {
  return runAndKill(p, root, seed, async (child) => {
    // Spawn-anchored children spend their first ~40% starting Node and tsx; the window skips most of it.
    const from = p.scenario.anchor === 'spawn' ? 0.4 * p.runMs : 0
    const delay = Math.round(from + mulberry32(seed)() * Math.max(1, p.runMs - p.anchorMs - from))
    if (p.scenario.anchor === 'output') await waitFor(() => child.firstOutputMs() !== null || child.done(), 120_000)
    const anchor = child.firstOutputMs() ?? 0
    await Promise.race([child.exited, new Promise((r) => setTimeout(r, delay))])
    return Math.round(anchor + delay)
  })
}

/**
 * A kill point given by what the child has done rather than by time (for the test suite): the SIGKILL
 * follows as soon as `trigger` holds on the child's output, so it lands at the same step on any machine.
 */
export async function killWhen(p: Prepared, root: string, seed: number, trigger: (child: Child) => boolean): Promise<KillResult> {
  return runAndKill(p, root, seed, async (child) => {
    const t0 = performance.now()
    await waitFor(() => trigger(child) || child.done(), 300_000)
    return Math.round(performance.now() - t0)
  })
}

async function runAndKill(p: Prepared, root: string, seed: number, wait: (child: Child) => Promise<number>): Promise<KillResult> {
  const work = mkdtempSync(join(root, `kill-${seed}-`))
  try {
    cpSync(p.templateDir, work, { recursive: true })
    const child = p.scenario.start(work, p.home, seed)
    const killAtMs = await wait(child)
    const killedWhileRunning = !child.done()
    await killGroup(child)
    const verdict = await p.scenario.verify(work, p.home, child)
    return { seed, killAtMs, killedWhileRunning, ...verdict }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
