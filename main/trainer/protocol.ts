/**
 * The message protocol between the services (supervisor) and the trainer process: plain data only,
 * validated with zod on both ends. The parent sends `start` (one job per process) and `cancel`; the
 * trainer answers with `progress`, `epoch`, `log`, and exactly one of `done` or `error`, then exits.
 */
import { z } from 'zod'
import { BackendName, EpochMetrics, ErrorDto, EvalResult, PredictResult, PretrainSummary, RoundParams, RunSummary, TrainProgress } from '../../core/contract'

/** A job for the trainer process. */
export const TrainerJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('train'), projectPath: z.string(), runId: z.number().int(), resume: z.boolean(), backend: BackendName }),
  z.object({
    kind: z.literal('predict'), projectPath: z.string(), jobId: z.string(), runId: z.number().int().optional(), images: z.enum(['unlabeled', 'all']),
    /** A pseudo-label round (TTA, MC dropout, class-balanced thresholds, review scores) of the unlabeled images. */
    round: RoundParams.optional(),
  }),
  z.object({ kind: z.literal('eval'), projectPath: z.string(), jobId: z.string(), runId: z.number().int().optional(), masksDir: z.string() }),
  z.object({ kind: z.literal('pretrain'), projectPath: z.string(), runId: z.number().int(), backend: BackendName }),
])
export type TrainerJob = z.infer<typeof TrainerJob>

/** Parent → trainer. */
export const ToTrainer = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), job: TrainerJob }),
  z.object({ type: z.literal('cancel') }),
])
export type ToTrainer = z.infer<typeof ToTrainer>

/** Progress of a prediction or evaluation: images done of total. */
export const ImageJobProgress = z.object({ done: z.number().int(), total: z.number().int(), image: z.string().nullable() })

/** What a finished job returns. */
export const JobResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('train'), run: RunSummary }),
  z.object({ kind: z.literal('predict'), result: PredictResult }),
  z.object({ kind: z.literal('eval'), result: EvalResult }),
  z.object({ kind: z.literal('pretrain'), run: PretrainSummary }),
])
export type JobResult = z.infer<typeof JobResult>

/** Trainer → parent. */
export const FromTrainer = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), train: TrainProgress.optional(), images: ImageJobProgress.optional() }),
  z.object({ type: z.literal('epoch'), runId: z.number().int(), metrics: EpochMetrics }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn']), message: z.string() }),
  z.object({ type: z.literal('done'), result: JobResult }),
  z.object({ type: z.literal('error'), error: ErrorDto }),
])
export type FromTrainer = z.infer<typeof FromTrainer>
