/** The words of a suggestion's reason: why a label there would help, and how diversity placed it. */
import type { Ranked } from './rank'
import type { AreaScore } from './regions'

/** A class is called rare when its rarity is at least this and it is not the most common class. */
export const RARE_AT = 0.5

export function percent(share: number): string {
  const v = share * 100
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} %`
}

/** What the model's doubt says about an area; `imagePixels` is the whole image's pixel count. */
export function doubtReason(a: AreaScore, rarity: readonly number[], names: readonly string[], imagePixels: number, region: boolean): string {
  const where = region ? ' in this unlabeled region' : ''
  if (a.topUncertainPixels === 0) {
    const name = a.topClass === 255 ? 'unkept pixels' : `class '${names[a.topClass] ?? a.topClass}'`
    return `model fairly sure${where} (most doubt: ${name})`
  }
  const share = percent(a.topUncertainPixels / Math.max(1, imagePixels))
  if (a.topClass === 255) return `model uncertain over ${share} of the image${where}, with no class kept nearby`
  const rare = a.topRarity >= RARE_AT && a.topRarity > Math.min(...rarity)
  return `${rare ? 'rare class' : 'class'} '${names[a.topClass] ?? a.topClass}' uncertain over ${share} of the image${where}`
}

/** What the diversity penalty adds to a reason (nothing when the pick is unlike everything). */
export function diversityNote(r: Ranked): string {
  const notes: string[] = []
  if (r.likeRank !== null && r.likeChosen >= 0.5) notes.push(`looks like #${r.likeRank} above`)
  if (r.likeLabeled >= 0.5) notes.push('resembles a labeled image')
  return notes.length > 0 ? `; ${notes.join(', ')}` : ''
}

/** The reason of a candidate the model has not predicted. */
export function unpredictedReason(r: Ranked, modelMode: boolean, region: boolean): string {
  const head = modelMode ? 'not predicted by the active model yet' : 'diversity'
  const what = region ? 'unlabeled region' : 'image'
  const unlike = r.likeChosen < 0.5 && r.likeLabeled < 0.5 ? `: an ${what} unlike those above and the labeled ones` : ''
  return `${head}${unlike}`
}
