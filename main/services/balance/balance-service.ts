/**
 * balance:* handlers. The service keeps one {@link ProjectBalance} for the open project, dropped when the
 * project changes and updated lazily from the image ids of `project:changed` events, so the Balance view
 * can re-ask after every mask save and pay O(classes) per changed image instead of a pass over all masks.
 *
 * Incremental, not SQL GROUP BY: measured (CPU time, 2 busy cores, Node 22) on 10,000 labeled images
 * × 4 classes (33,000 rows of image_class_pixels), a full load costs 22 ms and one GROUP BY over
 * image_class_pixels with the per-image totals SegNet's frequency needs 18 ms on every call, while a
 * refresh after one mask save costs 0.4 ms and one with nothing changed 0.02 ms. The view re-asks after
 * every save, so the running totals win by 50× at that size, and the gap grows with the project.
 */
import {
  balanceWarnings,
  computeBalance,
  DEFAULT_EFFECTIVE_BETA,
  recommendPreset,
  type BalanceTotals,
} from '../../../core/balance'
import type { BalanceCount, EventName, EventPayload, Output, ParsedInput } from '../../../core/contract'
import type { ServiceContext } from '../context'
import { listImageComposition } from './image-composition'
import { ProjectBalance } from './project-balance'

export class BalanceService {
  private balance: ProjectBalance | null = null
  /** Images announced as changed since the last read. */
  private readonly dirty = new Set<number>()

  constructor(private readonly ctx: ServiceContext) {
    ctx.subscribe(<E extends EventName>(name: E, payload: EventPayload<E>) => {
      if (name === 'project:changed') this.onChanged(payload as EventPayload<'project:changed'>)
    })
  }

  /** Statistics, weights, warnings and the recommended preset of the open project's current masks. */
  get(input: ParsedInput<'balance:get'>): Output<'balance:get'> {
    const balance = this.current()
    const beta = input.beta ?? DEFAULT_EFFECTIVE_BETA
    const classes = balance.store.classes()
    const stats = computeBalance(balance.acc.totals('all'), { names: classes.map((c) => c.name), beta })
    const human = balance.acc.totals('human')
    const pseudo = balance.acc.totals('pseudo')
    return {
      classes: stats.classes.map((c, i) => ({
        index: c.index,
        name: c.name,
        color: classes[i].color,
        pixels: c.pixels,
        share: c.share,
        images: c.images,
        frequency: c.frequency,
        human: countOf(human, i),
        pseudo: countOf(pseudo, i),
      })),
      totals: { labeledPixels: stats.labeledPixels, images: balance.imageCount(), labeledImages: stats.labeledImages },
      weights: stats.weights,
      beta,
      warnings: balanceWarnings(stats).map((w) => w.message),
      recommendation: (({ preset, reason }) => ({ preset, reason }))(recommendPreset(stats)),
    }
  }

  /** A page of the per-image class composition table. */
  images(input: ParsedInput<'balance:images'>): Output<'balance:images'> {
    const store = this.ctx.requireStore()
    return listImageComposition(store.db, store.classes().length, input)
  }

  /** The open project's running totals, loaded on first use and brought up to date. */
  private current(): ProjectBalance {
    const store = this.ctx.requireStore()
    if (!this.balance || !this.balance.describes(store)) {
      this.balance = null
      this.dirty.clear()
      this.balance = new ProjectBalance(store)
      return this.balance
    }
    this.balance.refresh(this.dirty)
    this.dirty.clear()
    return this.balance
  }

  private onChanged(p: EventPayload<'project:changed'>): void {
    if (p.what === 'classes') return
    if (p.what === 'project' || p.imageIds === undefined) {
      this.balance = null
      this.dirty.clear()
      return
    }
    for (const id of p.imageIds) this.dirty.add(id)
  }
}

function countOf(t: BalanceTotals, c: number): BalanceCount {
  return { pixels: t.pixels[c], images: t.images[c] }
}
