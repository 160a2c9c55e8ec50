import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

/** True while `pid` runs; an exited, unreaped process (zombie) counts as gone. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat[stat.lastIndexOf(')') + 2] !== 'Z'
  } catch {
    return false
  }
}

describe('a trainer whose parent dies', () => {
  it.runIf(process.platform === 'linux')('exits within seconds when its parent is killed with SIGKILL (real processes)', async () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    const spawnTs = pathToFileURL(join(__dirname, 'spawn.ts')).href
    const script = `const { forkTrainer } = await import(${JSON.stringify(spawnTs)}); console.log('trainer ' + forkTrainer().pid); setInterval(() => {}, 1000)`
    const parent = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const pid = await new Promise<number>((done) => {
      let text = ''
      parent.stdout.on('data', (c: Buffer) => {
        text += c.toString()
        const m = /trainer (\d+)/.exec(text)
        if (m) done(Number(m[1]))
      })
    })
    expect(running(pid)).toBe(true)
    parent.kill('SIGKILL')
    const end = Date.now() + 8000
    while (running(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100))
    const left = running(pid)
    if (left) process.kill(pid, 'SIGKILL')
    expect(left).toBe(false)
  })
})
