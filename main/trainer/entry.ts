/**
 * The trainer process. Started by the services with child_process.fork (under tsx) or, in the desktop
 * app, Electron's utilityProcess.fork of a bundled copy; it owns all tfjs state. It waits for one
 * `start`, runs that job (a `cancel` aborts it within a batch), sends `done` or `error` and exits.
 */
import { toErrorDto } from '../../core/contract'
import { parentChannel } from './channel'
import { ToTrainer, type FromTrainer } from './protocol'
import { runJob } from './run-job'
import { watchParent } from './parent-watch'

const channel = parentChannel()
const controller = new AbortController()
let started = false

function emit(message: FromTrainer): void {
  channel.send(message).catch(() => process.exit(1))
}

async function finish(message: FromTrainer): Promise<void> {
  try {
    await channel.send(message)
  } finally {
    process.exit(0)
  }
}

channel.onMessage((raw) => {
  const parsed = ToTrainer.safeParse(raw)
  if (!parsed.success) {
    emit({ type: 'log', level: 'warn', message: `trainer: ignored a malformed message: ${parsed.error.message.slice(0, 200)}` })
    return
  }
  const msg = parsed.data
  if (msg.type === 'cancel') {
    controller.abort()
    return
  }
  if (started) {
    emit({ type: 'log', level: 'warn', message: 'trainer: a job is already running; one job per trainer process' })
    return
  }
  started = true
  runJob(msg.job, controller.signal, emit).then(
    (result) => finish({ type: 'done', result }),
    (err: unknown) => finish({ type: 'error', error: toErrorDto(err) }),
  )
})
// A trainer whose parent went away has nobody to report to and must not keep writing to the project:
// exit at once (what is saved stays saved; a cancelled batch is not). Node's IPC says so on disconnect;
// Electron's utility process has no such event, so the parent pid is watched as well.
process.on('disconnect', () => process.exit(1))
watchParent(() => process.exit(1))
