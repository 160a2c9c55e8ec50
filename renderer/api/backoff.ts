/** Reconnect delays for the event socket: 0.5 s doubling up to 10 s, so a restarted host is found fast. */
export function nextDelay(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.max(0, attempt))
}
