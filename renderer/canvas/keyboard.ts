/**
 * Keyboard shortcuts of the mask editor as data: a key maps to an {@link EditorCommand}, and
 * {@link attachKeyboard} lets a view route a window's keys to an editor. Keys typed into inputs are left alone.
 *
 * 1–9 class in palette order · B brush · E eraser · P polygon · L lasso · F flood fill · I picker ·
 * H pan · Space (hold) pan · [ ] brush size · U fill unlabeled · O outline · V overlay on/off ·
 * 0 fit · Ctrl+0 1:1 · Ctrl+Z undo · Ctrl+Shift+Z / Ctrl+Y redo · Ctrl+S save ·
 * Enter close polygon · Backspace remove last vertex · Escape cancel. Cmd works for Ctrl on macOS.
 */
import type { EditorMode } from './tools/tool'

/** What a shortcut asks the editor to do. */
export type EditorCommand =
  | { type: 'selectClass'; slot: number }
  | { type: 'mode'; mode: EditorMode }
  | { type: 'brushSize'; direction: 1 | -1 }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'save' }
  | { type: 'fit' }
  | { type: 'actualSize' }
  | { type: 'toggleOverlay' }
  | { type: 'toggleOutline' }
  | { type: 'fillUnlabeled' }
  | { type: 'commit' }
  | { type: 'back' }
  | { type: 'cancel' }
  | { type: 'panHold'; active: boolean }

/** The fields of a KeyboardEvent the mapping reads. */
export interface KeyLike {
  key: string
  code: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
  repeat: boolean
}

const MODE_KEYS: Record<string, EditorMode> = {
  KeyB: 'brush',
  KeyE: 'eraser',
  KeyP: 'polygon',
  KeyL: 'lasso',
  KeyF: 'fill',
  KeyI: 'picker',
  KeyH: 'pan',
}

const PLAIN_KEYS: Record<string, EditorCommand> = {
  BracketLeft: { type: 'brushSize', direction: -1 },
  BracketRight: { type: 'brushSize', direction: 1 },
  KeyU: { type: 'fillUnlabeled' },
  KeyO: { type: 'toggleOutline' },
  KeyV: { type: 'toggleOverlay' },
  Digit0: { type: 'fit' },
  Enter: { type: 'commit' },
  NumpadEnter: { type: 'commit' },
  Backspace: { type: 'back' },
  Escape: { type: 'cancel' },
}

/**
 * The command for a key press (`phase` 'down') or release ('up'), or null when the key is not a
 * shortcut. Physical key codes are used, so shortcuts work the same on every keyboard layout.
 */
export function commandForKey(e: KeyLike, phase: 'down' | 'up'): EditorCommand | null {
  if (e.code === 'Space' && !e.ctrlKey && !e.metaKey && !e.altKey) {
    if (phase === 'up') return { type: 'panHold', active: false }
    return e.repeat ? null : { type: 'panHold', active: true }
  }
  if (phase === 'up' || e.altKey) return null
  const mod = e.ctrlKey || e.metaKey
  if (mod) {
    if (e.code === 'KeyZ') return e.shiftKey ? { type: 'redo' } : { type: 'undo' }
    if (e.code === 'KeyY' && !e.shiftKey) return { type: 'redo' }
    if (e.code === 'KeyS' && !e.shiftKey) return { type: 'save' }
    if (e.code === 'Digit0' || e.code === 'Numpad0') return { type: 'actualSize' }
    return null
  }
  if (e.shiftKey) return null
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(e.code)
  if (digit) return { type: 'selectClass', slot: Number(digit[1]) - 1 }
  if (e.code in MODE_KEYS) return { type: 'mode', mode: MODE_KEYS[e.code] }
  return PLAIN_KEYS[e.code] ?? null
}

/** The editor operations shortcuts drive; MaskEditor implements it. */
export interface KeyboardTarget {
  runCommand(command: EditorCommand): void
}

/** Inputs that take no typed text: a slider or checkbox keeps focus after a click, and shortcuts must still work. */
const NON_TEXT_INPUTS = new Set(['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'color'])

/** True for key events typed into a text field, which must not trigger shortcuts. */
function isTextEntry(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; type?: string; isContentEditable?: boolean } | null
  if (!el || typeof el.tagName !== 'string') return false
  const tag = el.tagName.toUpperCase()
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has(String(el.type ?? 'text').toLowerCase())
  return el.isContentEditable === true || tag === 'TEXTAREA' || tag === 'SELECT'
}

/**
 * Routes key presses on `target` (usually `window`) to the editor; returns the function that detaches.
 * Handled keys get preventDefault, so Ctrl+S does not open the browser's save dialog.
 */
export function attachKeyboard(editor: KeyboardTarget, target: EventTarget): () => void {
  const handler = (phase: 'down' | 'up') => (ev: Event) => {
    const e = ev as KeyboardEvent
    if (isTextEntry(e.target)) return
    const command = commandForKey(e, phase)
    if (!command) return
    e.preventDefault()
    editor.runCommand(command)
  }
  const down = handler('down')
  const up = handler('up')
  target.addEventListener('keydown', down)
  target.addEventListener('keyup', up)
  return () => {
    target.removeEventListener('keydown', down)
    target.removeEventListener('keyup', up)
  }
}
