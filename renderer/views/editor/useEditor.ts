/**
 * Mounts a {@link MaskEditor} on a container element and mirrors its state into Vue: tool, class,
 * brush, display settings, zoom and the live mask summary (counts, dirty, undo/redo). Keys go to the
 * editor while the view is mounted. Tool settings persist across sessions in localStorage.
 */
import { onBeforeUnmount, onMounted, reactive, shallowRef, type Ref } from 'vue'
import type { ClassDef } from '../../../core/contract'
import { DEFAULT_OVERLAY_OPACITY } from '../../../core/contract/palette'
import { attachKeyboard, MaskEditor, type EditorMode, type FillRule, type MaskEditorEvents } from '../../canvas'

/** What the toolbar, palette and status read. */
export interface EditorState {
  mode: EditorMode
  classIndex: number
  brushSize: number
  fillRule: FillRule
  opacity: number
  overlayVisible: boolean
  outline: boolean
  scale: number
  summary: MaskEditorEvents['change'] | null
}

const PREFS_KEY = 'labelloop.editor'

interface Prefs {
  brushSize?: number
  opacity?: number
  outline?: boolean
  fillRule?: FillRule
}

function readPrefs(): Prefs {
  try {
    const v = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as unknown
    return v && typeof v === 'object' ? (v as Prefs) : {}
  } catch {
    return {}
  }
}

/** The editor instance (null until mounted) and its mirrored state. */
export function useEditor(container: Ref<HTMLDivElement | null>, classes: () => readonly ClassDef[]) {
  const editor = shallowRef<MaskEditor | null>(null)
  const prefs = readPrefs()
  const state = reactive<EditorState>({
    mode: 'brush',
    classIndex: classes()[0]?.index ?? 0,
    brushSize: prefs.brushSize ?? 12,
    fillRule: prefs.fillRule === 'evenodd' ? 'evenodd' : 'nonzero',
    opacity: prefs.opacity ?? DEFAULT_OVERLAY_OPACITY,
    overlayVisible: true,
    outline: prefs.outline ?? false,
    scale: 1,
    summary: null,
  })
  const offs: Array<() => void> = []

  function savePrefs(): void {
    const p: Prefs = { brushSize: state.brushSize, opacity: state.opacity, outline: state.outline, fillRule: state.fillRule }
    localStorage.setItem(PREFS_KEY, JSON.stringify(p))
  }

  onMounted(() => {
    const el = container.value
    if (!el) throw new Error('useEditor: the stage container is not mounted')
    const e = new MaskEditor({
      container: el,
      classes: classes(),
      brushSize: state.brushSize,
      opacity: state.opacity,
      outline: state.outline,
      fillRule: state.fillRule,
    })
    offs.push(
      e.on('change', (s) => (state.summary = s)),
      e.on('modeChange', (m) => (state.mode = m.mode)),
      e.on('classChange', (c) => (state.classIndex = c.classIndex)),
      e.on('brushSizeChange', (b) => {
        state.brushSize = b.size
        savePrefs()
      }),
      e.on('displayChange', (d) => {
        Object.assign(state, d)
        savePrefs()
      }),
      e.on('zoom', (z) => (state.scale = z.scale)),
      attachKeyboard(e, window),
    )
    editor.value = e
  })

  onBeforeUnmount(() => {
    for (const off of offs.splice(0)) off()
    editor.value?.destroy()
    editor.value = null
  })

  /** Sets the fill rule of polygon and lasso fills (the editor emits no event for it). */
  function setFillRule(rule: FillRule): void {
    editor.value?.setFillRule(rule)
    state.fillRule = rule
    savePrefs()
  }

  return { editor, state, setFillRule }
}
