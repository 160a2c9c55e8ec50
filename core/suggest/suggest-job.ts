/**
 * The "Label next" job: reads every image of the project once (progress per image, cancellable between
 * images), turns the unlabeled ones into whole-image candidates and the partly labeled ones into their
 * best mostly-unlabeled grid cell, scores each by the active model's rarity-weighted doubt (./regions),
 * and ranks them with the diversity penalty (./rank) against each other and the labeled images.
 * A candidate the model has not predicted gets the mean score of those it has (unknown ≈ average).
 */
import { AppError, type SuggestResult, type Suggestion } from '../contract'
import { PseudoLabelRepo, type ProjectStore } from '../project'
import { RunRepo } from '../train/loop/run-repo'
import { countClasses, rarityWeights } from '../train/pseudo/scoring'
import { classShares, colourHistogram, type Feature } from './diversity'
import { currentLabels, imageRows, storedMaps, thumbPixels, type ImageRow } from './project-read'
import { rankDiverse, type Candidate } from './rank'
import { diversityNote, doubtReason, unpredictedReason } from './reasons'
import { gridCells, openCells, scoreArea, unlabeledShare, type AreaScore, type Rect } from './regions'
import { pixelDoubt, type PredictionMaps } from './uncertainty'

export interface SuggestOptions {
  limit: number
  requireModel?: boolean
  signal?: AbortSignal
  onProgress?: (done: number, total: number, image: string | null) => void
}

interface Info {
  image: ImageRow
  region: Rect | null
  area: AreaScore | null
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const NO_MODEL = 'No trained model yet: train one first (labelloop train, or Train in the app) to rank by rare-class uncertainty'

type Thumb = Awaited<ReturnType<typeof thumbPixels>>

/** The colour feature of the whole image or of `region` (all zero when the thumbnail cannot be read). */
function colourOf(thumb: Thumb, image: ImageRow, region: Rect | null): Float32Array {
  if (!thumb) return new Float32Array(24)
  return colourHistogram(thumb.data, thumb.width, thumb.height, thumb.channels, region ? { ...region, of: image } : undefined)
}

/** The best cell of a partly labeled image: highest doubt score, or (without a prediction) most unlabeled. */
function bestCell(image: ImageRow, labels: Uint8Array, doubt: ReturnType<typeof pixelDoubt> | null, rarity: readonly number[]): { rect: Rect; area: AreaScore | null } | null {
  const cells = openCells(labels, image.width, image.height)
  if (cells.length === 0) return null
  if (!doubt) {
    const share = (r: Rect): number => unlabeledShare(labels, image.width, r)
    return { rect: cells.reduce((a, b) => (share(b) > share(a) ? b : a)), area: null }
  }
  let best: { rect: Rect; area: AreaScore } | null = null
  for (const rect of cells) {
    const area = scoreArea(doubt, image.width, rect, rarity, labels)
    if (!best || area.score > best.area.score) best = { rect, area }
  }
  return best
}

/** Ranks what to label next in `store` (see the file comment). */
export async function suggestJob(store: ProjectStore, opts: SuggestOptions): Promise<SuggestResult> {
  const runId = new RunRepo(store).activeRunId()
  if (runId === null && opts.requireModel) throw new AppError('NOT_FOUND', NO_MODEL)
  const classes = store.classes()
  const numClasses = classes.length
  const names: string[] = []
  for (const c of classes) names[c.index] = c.name
  const rarity = rarityWeights(new PseudoLabelRepo(store).currentClassPixels(numClasses))
  const images = imageRows(store)
  const candidates: Candidate<Info>[] = []
  const labeled: { imageId: number; feature: Feature }[] = []
  let cancelled = false
  for (let i = 0; i < images.length; i++) {
    if (opts.signal?.aborted) {
      cancelled = true
      break
    }
    const image = images[i]
    opts.onProgress?.(i, images.length, image.name)
    const thumb = await thumbPixels(store, image.id)
    if (image.labeledFraction > 0) {
      labeled.push({ imageId: image.id, feature: { colour: colourOf(thumb, image, null), classes: classShares(store.masks.classPixels(image.id, numClasses)) } })
    }
    if (image.labeledFraction < 1) {
      const maps: PredictionMaps | null = runId === null ? null : storedMaps(store, runId, image)
      const doubt = maps ? pixelDoubt(maps, numClasses) : null
      const predicted = maps ? classShares(countClasses(maps.mask, numClasses)) : null
      if (image.labeledFraction <= 0) {
        const area = doubt ? scoreArea(doubt, image.width, gridCells(image.width, image.height, 1)[0], rarity, null) : null
        candidates.push({ score: area?.score ?? -1, imageId: image.id, feature: { colour: colourOf(thumb, image, null), classes: predicted }, data: { image, region: null, area } })
      } else {
        const labels = currentLabels(store, image)
        const cell = labels ? bestCell(image, labels, doubt, rarity) : null
        if (cell) {
          candidates.push({ score: cell.area?.score ?? -1, imageId: image.id, feature: { colour: colourOf(thumb, image, cell.rect), classes: null }, data: { image, region: cell.rect, area: cell.area } })
        }
      }
    }
    await tick()
  }
  const scored = candidates.filter((c) => c.data.area !== null)
  const modelMode = scored.length > 0
  const fill = modelMode ? scored.reduce((a, c) => a + c.score, 0) / scored.length : 1
  for (const c of candidates) if (c.data.area === null) c.score = fill
  const ranked = rankDiverse(candidates, labeled, opts.limit)
  const items: Suggestion[] = ranked.map((r, k) => {
    const { image, region, area } = r.candidate.data
    const reason = area ? doubtReason(area, rarity, names, image.width * image.height, region !== null) : unpredictedReason(r, modelMode, region !== null)
    return {
      rank: k + 1,
      imageId: image.id,
      imageName: image.name,
      width: image.width,
      height: image.height,
      region,
      score: r.value,
      uncertainty: area ? area.score : null,
      className: area && area.topClass !== 255 ? (names[area.topClass] ?? null) : null,
      uncertainShare: area ? area.topUncertainPixels / Math.max(1, image.width * image.height) : null,
      reason: reason + diversityNote(r),
      image: store.images.get(image.id),
    }
  })
  if (!cancelled) opts.onProgress?.(images.length, images.length, null)
  const unpredicted = candidates.length - scored.length
  let note: string | null = null
  if (runId === null) note = `${NO_MODEL}; ranked for diversity only.`
  else if (!modelMode && candidates.length > 0) note = 'The active model has not predicted these images yet; ranked for diversity only. Run a pseudo-label round (Review → New round, or labelloop predict) first.'
  else if (unpredicted > 0) note = `${unpredicted} of ${candidates.length} candidates are not predicted by the active model yet (predict all images to rank them too).`
  return { mode: modelMode ? 'model' : 'diversity-only', runId, note, candidates: candidates.length, items, cancelled }
}
