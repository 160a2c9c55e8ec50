/**
 * The contract methods of training, prediction and models, bound to one TrainingSupervisor per
 * service context (so the host can stop its trainer on close).
 */
import type { Method, Output, ParsedInput } from '../../../core/contract'
import type { ServiceContext } from '../context'
import { storedPrediction } from './predictions'
import { TrainingSupervisor } from './supervisor'

type TrainingMethod =
  | 'train:start' | 'train:resume' | 'train:cancel' | 'runs:list' | 'runs:get' | 'runs:setActive' | 'runs:delete'
  | 'predict:start' | 'predict:cancel' | 'models:evaluate' | 'models:export' | 'pretrain:start' | 'pretrain:latest'
  | 'predictions:get'

type TrainingHandlers = { [M in TrainingMethod & Method]: (input: ParsedInput<M>) => Output<M> | Promise<Output<M>> }

const supervisors = new WeakMap<ServiceContext, TrainingSupervisor>()

/** The context's supervisor, created on first use with the host's trainer factory (child_process.fork by default). */
export function trainingFor(ctx: ServiceContext): TrainingSupervisor {
  let s = supervisors.get(ctx)
  if (!s) {
    s = new TrainingSupervisor(ctx, ctx.opts.trainerFactory)
    supervisors.set(ctx, s)
  }
  return s
}

/** Handlers of the training methods, for the services' handler table. */
export function trainingHandlers(ctx: ServiceContext): TrainingHandlers {
  const t = trainingFor(ctx)
  return {
    'train:start': (i) => t.start(i),
    'train:resume': (i) => t.resume(i),
    'train:cancel': (i) => t.cancel(i),
    'runs:list': () => t.list(),
    'runs:get': (i) => t.get(i),
    'runs:setActive': (i) => t.setActive(i),
    'runs:delete': (i) => t.delete(i),
    'predict:start': (i) => t.predict(i),
    'predict:cancel': (i) => t.cancelImages(i),
    'models:evaluate': (i) => t.evaluate(i),
    'models:export': (i) => t.exportModel(i),
    'pretrain:start': (i) => t.pretrain(i),
    'pretrain:latest': () => t.latestPretrain(),
    'predictions:get': (i) => storedPrediction(ctx.requireStore(), i.imageId),
  }
}
