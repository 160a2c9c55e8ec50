/**
 * Plain-language advice from balance statistics: warnings about rare or missing classes, and the
 * training preset to start from. Thresholds are options so the view and the CLI say the same thing.
 */
import type { Preset } from '../contract'
import type { BalanceStats } from './stats'

/** Why a class is flagged. */
export type BalanceWarningKind = 'missing' | 'rare' | 'few-images'

/** One warning, with its numbers and a sentence for the user. */
export interface BalanceWarning {
  index: number
  name: string
  kind: BalanceWarningKind
  share: number
  images: number
  labeledImages: number
  message: string
}

export interface WarningOptions {
  /** Flag a class whose share of labeled pixels is below this (default 0.02 = 2%). */
  minShare?: number
  /** Flag a class present in fewer than this fraction of labeled images (default 0.1). */
  minImageFraction?: number
}

/** The training presets a project can start from (the contract's `Preset`); the engine maps each to a setup. */
export type BalancePreset = Preset

export interface PresetRecommendation {
  preset: BalancePreset
  reason: string
  /** Present classes under 1% of labeled pixels. */
  rareClasses: number[]
}

/** Share below which a class counts as rare for the preset (1%). */
export const RARE_SHARE = 0.01
/** Largest/smallest share above which labels count as imbalanced for the preset. */
export const IMBALANCE_RATIO = 3

/** Formats a 0..1 share as a percentage with sensible precision: "45%", "2.5%", "0.4%", "0.041%". */
export function formatShare(share: number): string {
  const pct = share * 100
  if (pct === 0) return '0%'
  if (pct >= 10) return `${Math.round(pct)}%`
  if (pct >= 0.1) return `${trimZero(pct.toFixed(1))}%`
  return `${Number(pct.toPrecision(2))}%`
}

/**
 * Warnings for classes under `minShare` of labeled pixels, present in few images, or with no labels,
 * e.g. "vehicle: 0.4% of labeled pixels, in 3 of 40 images — label more of it, or train with focal
 * loss, OHEM or copy-paste". Nothing is flagged before any pixel is labeled.
 */
export function balanceWarnings(stats: BalanceStats, options: WarningOptions = {}): BalanceWarning[] {
  const minShare = options.minShare ?? 0.02
  const minImageFraction = options.minImageFraction ?? 0.1
  if (stats.labeledPixels <= 0) return []
  const out: BalanceWarning[] = []
  for (const c of stats.classes) {
    const base = { index: c.index, name: c.name, share: c.share, images: c.images, labeledImages: stats.labeledImages }
    if (c.pixels <= 0) {
      out.push({ ...base, kind: 'missing', message: `${c.name}: no labeled pixels yet — label some of it, or the model cannot learn it` })
      continue
    }
    const rare = c.share < minShare
    const fewImages = c.images < minImageFraction * stats.labeledImages
    if (!rare && !fewImages) continue
    const images = `in ${c.images} of ${stats.labeledImages} image${stats.labeledImages === 1 ? '' : 's'}`
    out.push({
      ...base,
      kind: rare ? 'rare' : 'few-images',
      message: `${c.name}: ${formatShare(c.share)} of labeled pixels, ${images} — label more of it, or train with focal loss, OHEM or copy-paste`,
    })
  }
  return out
}

/**
 * Picks the preset to start training from: 'rare-objects' (focal/OHEM, rare-class sampling and
 * copy-paste) when a present class covers under 1% of labeled pixels; 'balanced' (class-weighted CE +
 * Dice) when the largest class share exceeds the smallest by more than 3×; otherwise 'plain' (CE).
 */
export function recommendPreset(stats: BalanceStats): PresetRecommendation {
  const present = stats.classes.filter((c) => c.pixels > 0)
  if (present.length === 0) {
    return { preset: 'plain', reason: 'No labeled pixels yet: start with plain cross-entropy and revisit after labeling.', rareClasses: [] }
  }
  const rare = present.filter((c) => c.share < RARE_SHARE).sort((a, b) => a.share - b.share)
  if (rare.length > 0) {
    const list = rare.map((c) => `${c.name} (${formatShare(c.share)})`).join(', ')
    return {
      preset: 'rare-objects',
      reason: `Rare class${rare.length === 1 ? '' : 'es'} under 1% of labeled pixels: ${list}. Focal loss, OHEM and rare-class sampling keep them from being ignored.`,
      rareClasses: rare.map((c) => c.index),
    }
  }
  const sorted = [...present].sort((a, b) => a.share - b.share)
  const smallest = sorted[0]
  const largest = sorted[sorted.length - 1]
  const ratio = largest.share / smallest.share
  if (ratio > IMBALANCE_RATIO) {
    return {
      preset: 'balanced',
      reason: `${largest.name} (${formatShare(largest.share)}) has ${ratio.toFixed(1)}× the pixels of ${smallest.name} (${formatShare(smallest.share)}): class-weighted cross-entropy plus Dice evens this out.`,
      rareClasses: [],
    }
  }
  return {
    preset: 'plain',
    reason: `Classes are roughly balanced (largest share at most ${ratio.toFixed(1)}× the smallest): plain cross-entropy is enough.`,
    rareClasses: [],
  }
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s
}
