/**
 * Plain-language advice from a run's numbers, so a non-expert knows what to do next: which class the
 * model misses (and whether to label more of it or switch preset; never the latter under Auto, which
 * races the recipes itself), which classes it mixes up, whether it overfits or would gain from more
 * epochs. Pure: the Train view shows what this returns.
 */
import type { ClassDef, EpochMetrics, Preset } from '../../../core/contract'

export type GuidanceLevel = 'warn' | 'info' | 'ok'

export interface Guidance {
  level: GuidanceLevel
  text: string
  /** The class the advice is about, when there is one. */
  classIndex?: number
}

export interface GuidanceInput {
  /** Every epoch so far, in order; the last one is judged. */
  epochs: readonly EpochMetrics[]
  classes: readonly ClassDef[]
  /** The run's preset (null: a custom configuration). */
  preset: Preset | null
  /** Epochs the run was configured for (to tell "still improving" from "done"). */
  plannedEpochs: number
}

/** Recall or precision under this is called out. */
export const WEAK_SCORE = 0.5
/** A class whose validation pixels are fewer than this has scores too noisy to judge. */
export const MIN_SUPPORT = 50
/** Share of a class's pixels predicted as one other class that counts as a confusion worth naming. */
export const CONFUSION_SHARE = 0.25
/** Epochs of rising validation loss (with falling training loss) that count as overfitting. */
export const OVERFIT_EPOCHS = 3

const MAX_ITEMS = 6

const fmt = (v: number): string => v.toFixed(2)

/** "vehicle" → "vehicles", "bus" → "buses", "body" → "bodies"; names of several words get "pixels". */
export function plural(name: string): string {
  if (/\s/.test(name.trim())) return `${name} pixels`
  if (/(s|x|z|ch|sh)$/i.test(name)) return `${name}es`
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`
  return `${name}s`
}

function nameOf(classes: readonly ClassDef[], index: number): string {
  return classes.find((c) => c.index === index)?.name ?? `class ${index}`
}

/** The other class that takes the largest share of `row`'s true pixels, with that share. */
function worstConfusion(confusion: readonly (readonly number[])[], row: number): { to: number; share: number } | null {
  const counts = confusion[row]
  if (!counts) return null
  const total = counts.reduce((a, b) => a + b, 0)
  if (total === 0) return null
  let to = -1
  let best = 0
  counts.forEach((n, j) => {
    if (j !== row && n > best) {
      best = n
      to = j
    }
  })
  return to < 0 ? null : { to, share: best / total }
}

function classAdvice(m: EpochMetrics, classes: readonly ClassDef[], preset: Preset | null): Guidance[] {
  const out: Guidance[] = []
  const byRecall = [...m.perClass].sort((a, b) => a.recall - b.recall)
  for (const c of byRecall) {
    const name = nameOf(classes, c.index)
    if (c.support === 0) {
      out.push({ level: 'warn', classIndex: c.index, text: `${name} has no labeled pixels in the validation images, so its scores mean nothing — label ${plural(name)} in more images.` })
      continue
    }
    if (c.support < MIN_SUPPORT) {
      out.push({ level: 'info', classIndex: c.index, text: `${name} has only ${c.support} validation pixels — its scores are noisy; label more ${plural(name)}.` })
      continue
    }
    if (c.recall < WEAK_SCORE) {
      // Auto races class-balancing recipes (rare-class crops, focal loss, copy-paste) itself: no preset to switch to.
      const fix = preset === 'rare-objects' ? 'or train longer' : preset === 'auto' ? 'or train longer; Auto already raced the recipes on validation (see the race in the run report)' : 'or switch to Rare objects'
      out.push({ level: 'warn', classIndex: c.index, text: `${name} recall ${fmt(c.recall)} — label more ${plural(name)} ${fix}.` })
    } else if (c.precision < WEAK_SCORE) {
      const conf = mostPredictedFrom(m.confusion, c.index)
      const where = conf !== null ? ` (often where the truth is ${nameOf(classes, conf)})` : ''
      out.push({
        level: 'warn',
        classIndex: c.index,
        text: `${name} precision ${fmt(c.precision)} — the model paints ${name} where it is not${where}; check those labels or use a milder class weighting.`,
      })
    }
  }
  return out
}

/** The true class whose pixels most often get predicted as `col` (other than `col` itself). */
function mostPredictedFrom(confusion: readonly (readonly number[])[], col: number): number | null {
  let best = 0
  let from: number | null = null
  for (let i = 0; i < confusion.length; i++) {
    const n = confusion[i][col] ?? 0
    if (i !== col && n > best) {
      best = n
      from = i
    }
  }
  return from
}

function confusionAdvice(m: EpochMetrics, classes: readonly ClassDef[], skip: ReadonlySet<number>): Guidance[] {
  const out: Guidance[] = []
  m.confusion.forEach((_, row) => {
    if (skip.has(row)) return
    const w = worstConfusion(m.confusion, row)
    if (!w || w.share < CONFUSION_SHARE) return
    const a = nameOf(classes, row)
    const b = nameOf(classes, w.to)
    out.push({
      level: 'info',
      classIndex: row,
      text: `${Math.round(w.share * 100)}% of ${a} pixels are predicted as ${b} — label more ${a}/${b} borders carefully, or enable the boundary head.`,
    })
  })
  return out
}

function trendAdvice(epochs: readonly EpochMetrics[], plannedEpochs: number): Guidance[] {
  const n = epochs.length
  const last = epochs[n - 1]
  if (!last) return []
  const recent = epochs.slice(-(OVERFIT_EPOCHS + 1))
  const vals = recent.map((e) => e.valLoss)
  if (recent.length === OVERFIT_EPOCHS + 1 && vals.every((v): v is number => v !== null)) {
    const valRising = vals.every((v, i) => i === 0 || v > vals[i - 1])
    const trainFalling = recent[recent.length - 1].trainLoss < recent[0].trainLoss
    if (valRising && trainFalling) {
      return [{ level: 'warn', text: `Validation loss rose for ${OVERFIT_EPOCHS} epochs while training loss fell — the model is overfitting: label more images, use strong augmentation, or lower the epochs.` }]
    }
  }
  if (n >= 2 && n >= plannedEpochs) {
    const gain = last.macroF1 - epochs[Math.max(0, n - 3)].macroF1
    if (gain > 0.02) {
      return [{ level: 'info', text: `Macro-F1 still rose by ${fmt(gain)} over the last epochs — more epochs would likely help.` }]
    }
  }
  return []
}

/**
 * Advice for the last epoch of a run, warnings first, at most six items. With nothing to fix, one 'ok'
 * item says so with the macro-F1.
 */
export function guidance(input: GuidanceInput): Guidance[] {
  const last = input.epochs[input.epochs.length - 1]
  if (!last) return []
  const perClass = classAdvice(last, input.classes, input.preset)
  const named = new Set(perClass.map((g) => g.classIndex).filter((i): i is number => i !== undefined))
  const items = [...perClass, ...trendAdvice(input.epochs, input.plannedEpochs), ...confusionAdvice(last, input.classes, named)]
  if (items.length === 0) {
    return [{ level: 'ok', text: `Every class has recall and precision of at least ${WEAK_SCORE} (macro-F1 ${fmt(last.macroF1)}). Label more images to push it further.` }]
  }
  const rank: Record<GuidanceLevel, number> = { warn: 0, info: 1, ok: 2 }
  return items.sort((a, b) => rank[a.level] - rank[b.level]).slice(0, MAX_ITEMS)
}
