/**
 * The review queue's services: rounds (start, list, roll back) and per pseudo-label decisions. Accepting
 * appends a mask revision with source 'pseudo-accepted' and remembers the revision it replaced, so a
 * reject or a rollback can put the earlier label back (as a new revision: history is never rewritten).
 * Which decision is allowed in which state is core/train/pseudo/status's `transition`.
 */
import { UNLABELED, type Output, type ParsedInput, type PredictResult, type ReviewItem } from '../../../core/contract'
import { encodeMaskPng } from '../../../core/imaging'
import { PseudoLabelRepo, type ProjectStore, type PseudoLabelRow } from '../../../core/project'
import { transition, type ReviewEvent } from '../../../core/train/pseudo/status'
import type { ServiceContext } from '../context'
import { checkMask } from '../mask-check'
import { trainingFor } from '../training/handlers'
import { roundSummary } from './round-summary'

const now = (): string => new Date().toISOString()

/** The contract's view of a stored row. */
export function toItem(row: PseudoLabelRow): ReviewItem {
  const { acceptedRevisionId: _a, previousRevisionId: _p, ...item } = row
  return item
}

export class ReviewService {
  constructor(private readonly ctx: ServiceContext) {}

  private repo(store: ProjectStore = this.ctx.requireStore()): PseudoLabelRepo {
    return new PseudoLabelRepo(store)
  }

  /** Predicts the unlabeled images into a new round in the trainer process; resolves when it is stored. */
  async startRound(input: ParsedInput<'rounds:start'>): Promise<PredictResult> {
    const { jobId, runId, ...round } = input
    return trainingFor(this.ctx).predict({ jobId, images: 'unlabeled', runId, round })
  }

  listRounds(): Output<'rounds:list'> {
    const store = this.ctx.requireStore()
    const repo = this.repo(store)
    const current = repo.currentClassPixels(store.classes().length)
    return repo.rounds().map((r) => roundSummary(store, repo, r, current))
  }

  list(input: ParsedInput<'review:list'>): Output<'review:list'> {
    const page = this.repo().list(input)
    return { total: page.total, items: page.items.map(toItem) }
  }

  get(input: ParsedInput<'review:get'>): Output<'review:get'> {
    const repo = this.repo()
    const row = repo.get(input.id)
    const maps = repo.maps(row.id)
    const area = row.width * row.height
    const thresholds = repo.round(row.roundId).params.thresholds
    return {
      item: toItem(row),
      maskPngBase64: maps.mask.toString('base64'),
      confidencePngBase64: maps.confidence ? maps.confidence.toString('base64') : null,
      classShares: row.classPixels.map((px) => (area > 0 ? px / area : 0)),
      thresholds: Array.isArray(thresholds) ? (thresholds as (number | null)[]) : null,
    }
  }

  decide(input: ParsedInput<'review:decide'>): ReviewItem {
    const store = this.ctx.requireStore()
    const row = this.apply(store, this.repo(store).get(input.id), input.decision, input.ms ?? null)
    return toItem(row)
  }

  edited(input: ParsedInput<'review:edited'>): ReviewItem {
    const store = this.ctx.requireStore()
    return toItem(this.apply(store, this.repo(store).get(input.id), 'edit', input.ms ?? null))
  }

  acceptAbove(input: ParsedInput<'review:acceptAbove'>): Output<'review:acceptAbove'> {
    const store = this.ctx.requireStore()
    const repo = this.repo(store)
    repo.round(input.roundId)
    const rows = repo.ofRound(input.roundId).filter((r) => r.status === 'pending' && r.score !== null && r.score >= input.score)
    store.write(() => {
      for (const row of rows) this.apply(store, row, 'accept', null, false)
    })
    if (rows.length > 0) this.ctx.emit('project:changed', { what: 'masks', imageIds: rows.map((r) => r.imageId) })
    return { accepted: rows.length, ids: rows.map((r) => r.id) }
  }

  rollback(input: ParsedInput<'rounds:rollback'>): Output<'rounds:rollback'> {
    const store = this.ctx.requireStore()
    const repo = this.repo(store)
    repo.round(input.roundId)
    let reverted = 0
    let keptChanged = 0
    let reset = 0
    const changed: number[] = []
    store.write(() => {
      for (const row of repo.ofRound(input.roundId)) {
        const t = transition(row.status, 'rollback')
        if (t.effect === 'revert') {
          if (this.revert(store, row)) {
            reverted++
            changed.push(row.imageId)
          } else keptChanged++
        }
        if (t.next !== row.status) {
          reset++
          repo.decide(row.id, t.next, { at: null, ms: null, acceptedRevisionId: null, previousRevisionId: null })
        }
      }
      repo.markRolledBack(input.roundId, now())
    })
    if (changed.length > 0) this.ctx.emit('project:changed', { what: 'masks', imageIds: changed })
    return { reverted, keptChanged, reset }
  }

  /** Applies a review event to one pseudo-label (in one transaction) and returns the updated row. */
  private apply(store: ProjectStore, row: PseudoLabelRow, event: ReviewEvent, ms: number | null, announce = true): PseudoLabelRow {
    const repo = this.repo(store)
    const t = transition(row.status, event)
    let labelChanged = false
    store.write(() => {
      let accepted = row.acceptedRevisionId
      let previous = row.previousRevisionId
      if (t.effect === 'apply') {
        previous = repo.currentRevision(row.imageId)
        const image = store.images.get(row.imageId)
        const mask = checkMask(repo.maps(row.id).mask, `pseudo-label of ${image.name}`, image, store.classes().length, 'pseudo-accepted')
        accepted = store.masks.save(row.imageId, mask)
        labelChanged = true
      } else if (t.effect === 'revert') {
        labelChanged = this.revert(store, row)
        accepted = null
        previous = null
      }
      repo.decide(row.id, t.next, { at: now(), ms, acceptedRevisionId: accepted, previousRevisionId: previous })
    })
    if (announce && labelChanged) this.ctx.emit('project:changed', { what: 'masks', imageIds: [row.imageId] })
    return repo.get(row.id)
  }

  /**
   * Puts back the label an accept replaced, when the accepted one is still current: the earlier
   * revision restored, or a cleared mask when there was none. False when the image's label changed since.
   */
  private revert(store: ProjectStore, row: PseudoLabelRow): boolean {
    const repo = this.repo(store)
    if (row.acceptedRevisionId === null || repo.currentRevision(row.imageId) !== row.acceptedRevisionId) return false
    if (row.previousRevisionId !== null) {
      store.masks.restore(row.imageId, row.previousRevisionId)
    } else {
      const image = store.images.get(row.imageId)
      const empty = new Uint8Array(image.width * image.height).fill(UNLABELED)
      const classPixels = new Array<number>(store.classes().length).fill(0)
      store.masks.save(row.imageId, { png: encodeMaskPng(empty, image.width, image.height), source: 'human', labeledFraction: 0, classPixels })
    }
    return true
  }
}
