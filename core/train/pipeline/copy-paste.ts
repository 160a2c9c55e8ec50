/**
 * Copy-paste of rare-class objects: with a configured probability a tile receives 1..maxCount
 * components from the bank at random positions (clipped to the tile, never written outside it). Each
 * pasted pixel blends source and tile by the component's alpha, and every shape pixel takes the
 * component's class in the mask, so image and mask stay aligned.
 */
import type { Component } from './components'
import { randInt, type LabeledImage, type Random } from './types'

/** Rare-class objects by class, drawn by class weight then uniformly within the class. */
export class ComponentBank {
  private readonly byClass = new Map<number, Component[]>()

  constructor(
    components: readonly Component[],
    private readonly classWeight: readonly number[],
  ) {
    for (const comp of components) {
      const list = this.byClass.get(comp.cls) ?? []
      list.push(comp)
      this.byClass.set(comp.cls, list)
    }
  }

  /** Number of components held. */
  get size(): number {
    let n = 0
    for (const list of this.byClass.values()) n += list.length
    return n
  }

  /** Classes with at least one component. */
  classes(): number[] {
    return [...this.byClass.keys()].sort((a, b) => a - b)
  }

  /** A random component (class by weight among those held), or null when the bank is empty. */
  draw(rng: Random): Component | null {
    const classes = this.classes().filter((c) => (this.classWeight[c] ?? 0) > 0)
    if (classes.length === 0) return null
    let total = 0
    for (const c of classes) total += this.classWeight[c]
    let r = rng.next() * total
    let cls = classes[classes.length - 1]
    for (const c of classes) {
      r -= this.classWeight[c]
      if (r < 0) {
        cls = c
        break
      }
    }
    const list = this.byClass.get(cls) as Component[]
    return list[randInt(rng, list.length)]
  }
}

/** Pastes `comp` with its top-left at (x0, y0) of `tile` (may hang over the edge; clipped), in place. */
export function pasteComponent(tile: LabeledImage, comp: Component, x0: number, y0: number): void {
  const c = tile.channels
  if (comp.channels !== c) return
  for (let y = Math.max(0, -y0); y < comp.h; y++) {
    const ty = y0 + y
    if (ty >= tile.height) break
    for (let x = Math.max(0, -x0); x < comp.w; x++) {
      const tx = x0 + x
      if (tx >= tile.width) break
      const q = y * comp.w + x
      if (!comp.shape[q]) continue
      const a = comp.alpha[q]
      const d = ty * tile.width + tx
      tile.labels[d] = comp.cls
      for (let k = 0; k < c; k++) tile.data[d * c + k] = a * comp.pixels[q * c + k] + (1 - a) * tile.data[d * c + k]
    }
  }
}

export interface CopyPasteOptions {
  /** Probability that a tile receives pastes at all. */
  probability: number
  /** Most objects per tile (uniform in 1..maxCount). */
  maxCount: number
}

/** Where a paste landed (for tests and debugging). */
export interface Placement {
  comp: Component
  x: number
  y: number
}

/**
 * With probability `opts.probability`, pastes 1..maxCount components from `bank` into `tile` in place, at
 * positions where at least half of each object's box lies inside the tile. Returns the placements.
 */
export function copyPaste(tile: LabeledImage, bank: ComponentBank, opts: CopyPasteOptions, rng: Random): Placement[] {
  if (bank.size === 0 || !(rng.next() < opts.probability)) return []
  const count = 1 + randInt(rng, Math.max(1, opts.maxCount))
  const placed: Placement[] = []
  for (let i = 0; i < count; i++) {
    const comp = bank.draw(rng)
    if (!comp) break
    const x = halfInsideOrigin(tile.width, comp.w, rng)
    const y = halfInsideOrigin(tile.height, comp.h, rng)
    pasteComponent(tile, comp, x, y)
    placed.push({ comp, x, y })
  }
  return placed
}

/** A random origin along one axis such that at least half of `size` lies within [0, length). */
function halfInsideOrigin(length: number, size: number, rng: Random): number {
  const half = Math.floor(size / 2)
  return randInt(rng, Math.max(1, length - size + 1 + 2 * half)) - half
}
