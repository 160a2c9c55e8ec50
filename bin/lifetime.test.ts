import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const lifetime = pathToFileURL(resolve(__dirname, 'lifetime.js')).href
const launcher = resolve(__dirname, 'labelloop.js')
let dir: string
const started: number[] = []

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'labelloop-lifetime-test-'))
})

afterEach(async () => {
  for (const pid of started.splice(0)) if (running(pid)) process.kill(pid, 'SIGKILL')
  await rm(dir, { recursive: true, force: true })
})

/** True while `pid` runs: an exited process nobody has reaped yet (a zombie) counts as gone. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    try {
      process.kill(pid, 0)
      return process.platform !== 'linux'
    } catch {
      return false
    }
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end; ) {
    if (!running(pid)) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return !running(pid)
}

/** Resolves with the first stdout line of `child` that matches `re`. */
function line(child: ChildProcess, re: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((done, fail) => {
    let text = ''
    const timer = setTimeout(() => fail(new Error(`no line matching ${re} in: ${text}`)), timeoutMs)
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      const hit = text.split('\n').find((l) => re.test(l))
      if (hit !== undefined) {
        clearTimeout(timer)
        done(hit)
      }
    })
  })
}

/** A launcher process (superviseChild) whose child prints its pid and the signals it gets. */
function launch(viaShell: boolean): ChildProcess {
  const grandchild = `console.log('child ' + process.pid); for (const s of ['SIGINT','SIGTERM','SIGHUP']) process.on(s, () => { console.log('got ' + s); process.exit(0) }); setInterval(() => {}, 1000)`
  const script = `const { spawn } = await import('node:child_process'); const { superviseChild } = await import(${JSON.stringify(lifetime)});
superviseChild(spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'inherit' })); console.log('supervising')`
  const node = [process.execPath, '--input-type=module', '-e', script]
  const child = viaShell
    ? spawn('sh', ['-c', `${node.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}; true`], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(node[0], node.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] })
  if (child.pid) started.push(child.pid)
  return child
}

describe('launchers pass signals on and never leave children behind (real processes)', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('forwards %s to the child and exits with it', async (signal) => {
    const child = launch(false)
    // Both lines: the launcher's handlers are installed, and the child's.
    const [childLine] = await Promise.all([line(child, /^child \d+/), line(child, /^supervising$/)])
    const pid = Number(childLine.split(' ')[1])
    started.push(pid)
    const got = line(child, /^got /)
    child.kill(signal)
    expect(await got).toBe(`got ${signal}`)
    expect(await gone(pid, 3000)).toBe(true)
    expect(await gone(child.pid ?? 0, 3000)).toBe(true)
  })

  it('stops its child when its own parent is killed without a chance to pass anything on', async () => {
    const shell = launch(true)
    const pid = Number((await line(shell, /^child \d+/)).split(' ')[1])
    started.push(pid)
    shell.kill('SIGKILL')
    expect(await gone(pid, 4000)).toBe(true)
  })

  describe('labelloop serve', () => {
    let env: NodeJS.ProcessEnv
    beforeEach(async () => {
      await mkdir(join(dir, 'renderer'))
      await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>LabelLoop</title>')
      env = { ...process.env, LABELLOOP_HOME: join(dir, 'home'), LABELLOOP_RENDERER_DIR: join(dir, 'renderer') }
      delete env.LABELLOOP_DETACHED
    })
    const serve = ['serve', '--no-open', '--json']

    it('shuts down on SIGTERM', async () => {
      const child = spawn(process.execPath, [launcher, ...serve], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
      if (child.pid) started.push(child.pid)
      const { url } = JSON.parse(await line(child, /^\{/)) as { url: string }
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      await expect(fetch(url)).rejects.toThrow()
    })

    it('stops by itself when the process that started it dies', async () => {
      const command = [process.execPath, launcher, ...serve].map((a) => `'${a}'`).join(' ')
      const shell = spawn('sh', ['-c', `${command}; true`], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
      if (shell.pid) started.push(shell.pid)
      const { url } = JSON.parse(await line(shell, /^\{/)) as { url: string }
      shell.kill('SIGKILL')
      for (let i = 0; i < 50; i++) {
        const up = await fetch(url).then(() => true, () => false)
        if (!up) break
        await new Promise((r) => setTimeout(r, 100))
      }
      await expect(fetch(url)).rejects.toThrow()
    })
  })
})
