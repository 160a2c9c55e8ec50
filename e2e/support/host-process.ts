/**
 * Starts browser mode the way a user does, `labelloop serve --port 0 --no-open --json`, with its own
 * app data folder, and reads the URL (with the access token) from the JSON line it prints once running.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..')

export interface RunningHost {
  url: string
  port: number
  /** The app data folder (LABELLOOP_HOME) the host uses: recent projects, the sample project. */
  home: string
  stop(): Promise<void>
}

/** The command that runs the CLI: the package's bin, or its TypeScript entry through tsx. */
function cliCommand(): string[] {
  const bin = join(repoRoot, 'bin', 'labelloop.js')
  if (existsSync(bin)) return [bin]
  return ['--import', 'tsx', join(repoRoot, 'main', 'cli', 'index.ts')]
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      done(true)
    })
  })
}

export async function startHost(timeoutMs = 90_000): Promise<RunningHost> {
  const home = await mkdtemp(join(tmpdir(), 'labelloop-e2e-home-'))
  const child = spawn(process.execPath, [...cliCommand(), 'serve', '--port', '0', '--no-open', '--json'], {
    cwd: repoRoot,
    env: { ...process.env, LABELLOOP_HOME: home, LABELLOOP_RENDERER_DIR: join(repoRoot, 'out', 'renderer') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
    if (process.env.LABELLOOP_E2E_VERBOSE) process.stderr.write(d)
  })

  const info = await new Promise<{ url: string; port: number }>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`labelloop serve printed no URL within ${timeoutMs} ms.\nstderr:\n${stderr}`)), timeoutMs)
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString()
      for (const line of stdout.split('\n')) {
        if (!line.trim().startsWith('{')) continue
        try {
          const parsed = JSON.parse(line) as { url?: string; port?: number }
          if (typeof parsed.url === 'string') {
            clearTimeout(timer)
            done({ url: parsed.url, port: parsed.port ?? 0 })
            return
          }
        } catch {
          // an incomplete line: wait for the rest
        }
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`labelloop serve exited with code ${code} before it was ready.\nstdout:\n${stdout}\nstderr:\n${stderr}`))
    })
  })

  return {
    ...info,
    home,
    async stop() {
      child.kill('SIGTERM')
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL')
        await waitForExit(child, 5_000)
      }
      await rm(home, { recursive: true, force: true })
    },
  }
}
