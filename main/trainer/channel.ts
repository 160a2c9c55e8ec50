/**
 * The trainer's end of its message channel, whichever way it was started: Electron's utilityProcess
 * (messages on `process.parentPort`) or Node's child_process.fork (process.send / 'message'). No
 * electron import: the utility-process port is found on `process` at run time.
 */

/** Sends and receives plain-data messages to and from the parent. */
export interface ParentChannel {
  send(message: unknown): Promise<void>
  onMessage(listener: (message: unknown) => void): void
}

interface UtilityPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (e: { data: unknown }) => void): void
}

/** The channel of this process; throws when it was started without one. */
export function parentChannel(): ParentChannel {
  const port = (process as unknown as { parentPort?: UtilityPort }).parentPort
  if (port) {
    return {
      send: async (message) => port.postMessage(message),
      onMessage: (listener) => port.on('message', (e) => listener(e.data)),
    }
  }
  const send = process.send?.bind(process)
  if (!send) throw new Error('main/trainer/entry.ts must be started by the services (child_process.fork or utilityProcess.fork)')
  return {
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        send(message, undefined, undefined, (err) => (err ? reject(err) : resolve()))
      }),
    onMessage: (listener) => process.on('message', listener),
  }
}
