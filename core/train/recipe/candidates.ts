/**
 * The recipes the `auto` preset races, in prior order. The share rule of core/balance/advice (a class
 * under 1 % → focal/OHEM first; imbalance over 3× → weighted CE + Dice first; else plain CE first) no
 * longer decides the recipe: it only orders the candidates, which matters for ties and for which
 * candidate a very short budget still tries.
 */
import type { RecipeOptions, TrainConfig } from '../../contract'
import { recommendPreset, type BalanceStats } from '../../balance'

/** One candidate recipe. */
export interface RecipeCandidate {
  key: string
  label: string
  recipe: RecipeOptions
}

const PLAIN: RecipeOptions = { loss: 'ce', classWeights: 'none', sampling: 'uniform', rareCrop: 0, copyPaste: 0 }

const BASE: readonly RecipeCandidate[] = [
  { key: 'ce', label: 'cross-entropy', recipe: PLAIN },
  { key: 'ce+crop', label: 'cross-entropy, 50 % rare-class crops', recipe: { ...PLAIN, sampling: 'class-aware', rareCrop: 0.5 } },
  { key: 'ce-dice', label: 'cross-entropy + Dice, median-frequency weights', recipe: { ...PLAIN, loss: 'ce-dice', classWeights: 'median' } },
  { key: 'weighted-ce', label: 'class-weighted cross-entropy (median frequency)', recipe: { ...PLAIN, loss: 'weighted-ce', classWeights: 'median' } },
  { key: 'focal', label: 'focal loss (γ 2)', recipe: { ...PLAIN, loss: 'focal', classWeights: 'none' } },
  { key: 'ohem', label: 'OHEM (hardest 25 % of pixels)', recipe: { ...PLAIN, loss: 'ohem', classWeights: 'none' } },
]

/** Keys in prior order for each verdict of the share rule. */
const PRIOR: Readonly<Record<'rare-objects' | 'balanced' | 'plain', readonly string[]>> = {
  'rare-objects': ['focal', 'ohem', 'ce+crop', 'ce', 'weighted-ce', 'ce-dice'],
  balanced: ['weighted-ce', 'ce-dice', 'ce+crop', 'ce', 'focal', 'ohem'],
  plain: ['ce', 'ce+crop', 'ce-dice', 'weighted-ce', 'focal', 'ohem'],
}

/**
 * The candidates for labels with these statistics: the six base recipes in the share rule's order and,
 * when a present class is under 1 % of labeled pixels, each also with copy-paste of rare objects.
 */
export function raceCandidates(stats: BalanceStats): RecipeCandidate[] {
  const rec = recommendPreset(stats)
  const order = PRIOR[rec.preset === 'auto' ? 'plain' : rec.preset]
  const sorted = order.map((k) => BASE.find((c) => c.key === k) as RecipeCandidate)
  if (rec.rareClasses.length === 0) return sorted
  const pasted = sorted.map((c) => ({ key: `${c.key}+paste`, label: `${c.label}, copy-paste of rare objects`, recipe: { ...c.recipe, copyPaste: 0.5, sampling: 'class-aware' as const } }))
  return sorted.flatMap((c, i) => [c, pasted[i]])
}

/** `config` with a candidate's recipe options set. */
export function withRecipe(config: TrainConfig, recipe: RecipeOptions): TrainConfig {
  return {
    ...config,
    loss: { ...config.loss, name: recipe.loss, classWeights: recipe.classWeights },
    sampling: recipe.sampling,
    rareCrop: recipe.rareCrop,
    copyPaste: recipe.copyPaste,
  }
}

/** The recipe options a config trains with. */
export function recipeOf(config: TrainConfig): RecipeOptions {
  return { loss: config.loss.name, classWeights: config.loss.classWeights, sampling: config.sampling, rareCrop: config.rareCrop, copyPaste: config.copyPaste }
}

/** The candidates with `key` (the project's previous race winner) moved to the front, else as they are. */
export function leadWith<T extends { key: string }>(list: readonly T[], key: string | null): T[] {
  const i = key ? list.findIndex((c) => c.key === key) : -1
  return i <= 0 ? [...list] : [list[i], ...list.slice(0, i), ...list.slice(i + 1)]
}
