/**
 * Browser side of the paint-latency benchmark: mounts the real MaskEditor on a generated image and
 * records, for every pointer move while the button is down, the time from the event to the end of
 * the frame that shows it (the task after that frame's animation-frame callbacks and rendering), and
 * the main-thread time spent in the editor's own handler and frame callback.
 */
import { MaskEditor, type MaskState } from '../../renderer/canvas'

/** What the page exposes to the driver. */
export interface BenchPage {
  /** Mounts an editor over a size × size image; resolves when the first frame is drawn. */
  start(size: number, brushSize: number, viewport: 'fit' | '1:1'): Promise<void>
  /** Drops the samples recorded so far. */
  reset(): void
  /** Latency samples (ms), handler samples (ms), frame samples (ms). */
  samples(): { latency: number[]; handler: number[]; frame: number[] }
  state(): MaskState
  undo(): void
  redo(): void
}

declare global {
  interface Window {
    bench: BenchPage
  }
}

let editor: MaskEditor | null = null
let latency: number[] = []
let handler: number[] = []
let frame: number[] = []

/** A size × size test image: coloured tiles with a diagonal gradient, drawn once. */
function makeImage(size: number): HTMLCanvasElement {
  const c = document.createElement('canvas')
  c.width = size
  c.height = size
  const g = c.getContext('2d') as CanvasRenderingContext2D
  const grad = g.createLinearGradient(0, 0, size, size)
  grad.addColorStop(0, '#203040')
  grad.addColorStop(1, '#a0b070')
  g.fillStyle = grad
  g.fillRect(0, 0, size, size)
  for (let y = 0; y < size; y += 256) {
    for (let x = 0; x < size; x += 256) {
      g.fillStyle = `rgba(${(x * 7) % 255}, ${(y * 3) % 255}, 128, 0.3)`
      g.fillRect(x + 16, y + 16, 224, 224)
    }
  }
  return c
}

function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
}

window.bench = {
  async start(size, brushSize, viewport) {
    document.body.style.margin = '0'
    const container = document.createElement('div')
    container.style.width = '1200px'
    container.style.height = '800px'
    document.body.appendChild(container)
    editor = new MaskEditor({
      container,
      classes: [
        { index: 0, name: 'background', color: '#3060ff' },
        { index: 1, name: 'object', color: '#ff4020' },
      ],
      brushSize,
    })
    editor.load(makeImage(size))
    editor.setClass(1)
    if (viewport === '1:1') editor.actualSize()
    // Registered after the editor's listener, so it runs after the editor handled the same event.
    let dispatchStart = 0
    window.addEventListener('pointermove', () => (dispatchStart = performance.now()), { capture: true })
    container.addEventListener('pointermove', (e) => {
      if ((e.buttons & 1) === 0) return
      handler.push(performance.now() - dispatchStart)
      const t0 = e.timeStamp
      requestAnimationFrame((frameStart) => {
        frame.push(performance.now() - frameStart)
        const ch = new MessageChannel()
        ch.port1.onmessage = () => latency.push(performance.now() - t0)
        ch.port2.postMessage(0)
      })
    })
    await afterNextFrame()
    await afterNextFrame()
  },
  reset() {
    latency = []
    handler = []
    frame = []
  },
  samples: () => ({ latency, handler, frame }),
  state: () => (editor as MaskEditor).state(),
  undo: () => editor?.undo(),
  redo: () => editor?.redo(),
}
