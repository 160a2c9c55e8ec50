/**
 * Keyboard of the review view as a pure mapping: A accept, R reject, E edit, O overlay, arrows move
 * through the grid (left/right by one, up/down by a row). Keys typed into form fields are not commands.
 */
export type ReviewCommand = { kind: 'accept' | 'reject' | 'edit' | 'overlay' } | { kind: 'move'; delta: number }

/** The command of a key press, or null. `columns` is the grid's row length. */
export function reviewCommand(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; targetTag: string }, columns: number): ReviewCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null
  if (['INPUT', 'SELECT', 'TEXTAREA'].includes(e.targetTag)) return null
  switch (e.key) {
    case 'a':
    case 'A':
      return { kind: 'accept' }
    case 'r':
    case 'R':
      return { kind: 'reject' }
    case 'e':
    case 'E':
      return { kind: 'edit' }
    case 'o':
    case 'O':
      return { kind: 'overlay' }
    case 'ArrowRight':
      return { kind: 'move', delta: 1 }
    case 'ArrowLeft':
      return { kind: 'move', delta: -1 }
    case 'ArrowDown':
      return { kind: 'move', delta: Math.max(1, columns) }
    case 'ArrowUp':
      return { kind: 'move', delta: -Math.max(1, columns) }
    default:
      return null
  }
}
