/** A tiny typed fan-out of contract events to listeners, shared by both transports. */
import type { EventName, EventPayload } from '../../core/contract'

type AnyListener = (payload: unknown) => void

export class EventFanout {
  private readonly listeners = new Map<string, Set<AnyListener>>()

  /** Number of listeners over all events: the web transport keeps its socket open only while > 0. */
  get size(): number {
    let n = 0
    for (const set of this.listeners.values()) n += set.size
    return n
  }

  add<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set<AnyListener>()
    this.listeners.set(event, set)
    const wrapped = listener as AnyListener
    set.add(wrapped)
    return () => {
      set.delete(wrapped)
    }
  }

  /** Delivers one event; a throwing listener is reported and does not stop the others. */
  emit(event: string, payload: unknown): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const listener of [...set]) {
      try {
        listener(payload)
      } catch (err) {
        console.error(`LabelLoop: a listener of ${event} failed`, err)
      }
    }
  }
}
