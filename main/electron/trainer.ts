/**
 * The desktop app's trainer factory: Electron's utilityProcess.fork of the bundled trainer entry
 * (out/main/trainer.js), so training never runs on the main process's event loop.
 */
import { utilityProcess } from 'electron'
import { join } from 'node:path'
import type { TrainerFactory } from '../trainer/spawn'

const STDERR_TAIL = 2000

export function utilityTrainerFactory(outDir: string): TrainerFactory {
  const entry = join(outDir, 'main', 'trainer.js')
  return () => {
    const child = utilityProcess.fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe'], serviceName: 'LabelLoop trainer' })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL)
    })
    const exitListeners: ((reason: string | null) => void)[] = []
    let exited = false
    child.on('exit', (code) => {
      if (exited) return
      exited = true
      const tail = stderr.trim().split('\n').slice(-5).join(' | ')
      const reason = code === 0 ? null : `trainer process exited with code ${code}${tail ? `: ${tail}` : ''}`
      for (const l of exitListeners) l(reason)
    })
    return {
      get pid() {
        return child.pid
      },
      send: (message) => {
        if (!exited) child.postMessage(message)
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!exited) child.kill()
      },
    }
  }
}
