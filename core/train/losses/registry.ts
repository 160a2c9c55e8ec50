/**
 * The loss registry: the training engine looks losses up by the contract's `LossName`. An unknown
 * name throws an error listing the valid ones.
 */
import { AppError, LossName } from '../../contract'
import type { LossFn } from './common'
import { crossEntropy, weightedCrossEntropy } from './cross-entropy'
import { ceDiceLoss, diceLoss } from './dice'
import { focalLoss } from './focal'
import { ohemLoss } from './ohem'

const LOSSES: Readonly<Record<LossName, LossFn>> = {
  ce: (logits, labels) => crossEntropy(logits, labels),
  'weighted-ce': weightedCrossEntropy,
  focal: focalLoss,
  dice: diceLoss,
  'ce-dice': ceDiceLoss,
  ohem: ohemLoss,
}

/** Every registered loss name. */
export function lossNames(): LossName[] {
  return [...LossName.options]
}

/** The loss registered under `name`; throws INVALID_INPUT listing the valid names otherwise. */
export function getLoss(name: string): LossFn {
  const parsed = LossName.safeParse(name)
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', `Unknown loss "${name}". Valid losses: ${lossNames().join(', ')}.`)
  }
  return LOSSES[parsed.data]
}
