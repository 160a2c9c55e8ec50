/**
 * A tiny typed event emitter: the editor's only way of talking to whatever view mounts it.
 * `on` returns the unsubscribe function so a Vue `onBeforeUnmount` can drop listeners in one call.
 */

/** Listener of one event. */
export type Listener<T> = (payload: T) => void

/** Emits events whose names and payload types are the keys and values of `Events`. */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>()

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name)
    if (!set) {
      set = new Set()
      this.listeners.set(name, set)
    }
    set.add(listener as Listener<never>)
    return () => this.off(name, listener)
  }

  /** Unsubscribes a listener. */
  off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): void {
    this.listeners.get(name)?.delete(listener as Listener<never>)
  }

  /** Calls every listener of the event, in subscription order. */
  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    const set = this.listeners.get(name)
    if (!set) return
    for (const l of [...set]) (l as Listener<Events[K]>)(payload)
  }

  /** Drops every listener (the editor is being destroyed). */
  clear(): void {
    this.listeners.clear()
  }
}
