/**
 * The one contract between the UI and the services. Every call is `domain:verb` with an input and an
 * output schema; every event is a name with a payload schema. Electron IPC and the browser-mode web host
 * are two transports of exactly this map, so the renderer never knows which one it has.
 */
import { z } from 'zod'
import {
  ClassDef,
  ImagePage,
  ImageQuery,
  ImageSummary,
  ImportFailure,
  ImportResult,
  MaskDto,
  MaskRevision,
  MaskSource,
  NewClass,
  ProjectInfo,
  RecentProject,
} from './model'
import { DeviceReport } from './devices'
import {
  EpochMetrics,
  EvalResult,
  PredictProgress,
  PredictResult,
  PretrainConfig,
  PretrainSummary,
  RunStatus,
  RunSummary,
  StoredPrediction,
  TrainConfigPatch,
  TrainProgress,
} from './train'
import { BalanceImagePage, BalanceImagesQuery, BalanceResult } from './balance'
import { displayApi } from './display'
import { reviewApi } from './review'
import { suggestApi, SuggestProgress } from './suggest'

/** What `export:run` wrote; `files` are relative to `dir`, `/`-separated. */
export const ExportResult = z.object({
  dir: z.string(),
  /** Images whose labels were written. */
  written: z.number().int(),
  files: z.array(z.string()),
  /** Images left out, with why (no mask, or a mask from the other source). */
  skipped: z.array(z.object({ imageId: z.number().int(), file: z.string(), reason: z.string() })),
})
export type ExportResult = z.infer<typeof ExportResult>

/** What `labels:import` did. */
export const LabelImportReport = z.object({
  attached: z.array(z.object({ file: z.string(), imageId: z.number().int() })),
  /**
   * Source classes with no project class of that name (or, for PNGs without a class list, indices the
   * project does not have); their pixels were left unlabeled. `annotations` counts COCO annotations,
   * `pixels` counts PNG pixels; the other is null.
   */
  unmapped: z.array(
    z.object({
      name: z.string(),
      sourceId: z.number().int(),
      annotations: z.number().int().nullable(),
      pixels: z.number().int().nullable(),
    }),
  ),
  /** Label files (COCO images or PNGs) whose name matches no project image, or several. */
  unmatched: z.array(z.object({ file: z.string(), reason: z.string() })),
  failed: z.array(ImportFailure),
})
export type LabelImportReport = z.infer<typeof LabelImportReport>

const Empty = z.object({}).strict()
const Void = z.null()

function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): { input: I; output: O } {
  return { input, output }
}

export const api = {
  /** Version, transport and whether native file dialogs exist (Electron) or paths are typed (browser). */
  'app:info': call(
    Empty,
    z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      nativeDialogs: z.boolean(),
      /** Folder where new projects go by default (and the sample project lives). */
      projectsDir: z.string(),
    }),
  ),
  /**
   * Every training backend on the host: whether it loads, its device, why not and how to enable it;
   * with `probe`, a 10 s training probe at 256² of each that loads (about a minute in all).
   */
  'app:devices': call(z.object({ probe: z.boolean().default(false) }).strict(), DeviceReport),
  'project:recent': call(Empty, z.array(RecentProject)),
  /** Creates a new project file; fails with ALREADY_EXISTS rather than overwrite. */
  'project:create': call(
    z.object({ path: z.string().min(1), name: z.string().trim().min(1).max(120), classes: z.array(NewClass).min(1).max(254) }),
    ProjectInfo,
  ),
  'project:open': call(z.object({ path: z.string().min(1) }), ProjectInfo),
  /**
   * Lists a folder on the host for the browser-mode file picker, only inside the folders the host allows
   * (`roots`: the projects folder and the user's home unless the host was given others); `dir` left out
   * lists the roots. Hidden entries are left out; `kind: 'project'` lists only folders and .labelloop
   * files. FORBIDDEN for a folder outside the roots (symlinks resolved), NOT_FOUND for a missing one.
   */
  'files:browse': call(
    z.object({ dir: z.string().min(1).optional(), kind: z.enum(['project', 'any']).default('project') }),
    z.object({
      roots: z.array(z.string()),
      /** The folder listed, or null for the list of roots. */
      dir: z.string().nullable(),
      /** The folder above `dir` while it is still inside a root, else null. */
      parent: z.string().nullable(),
      entries: z.array(z.object({ name: z.string(), path: z.string(), kind: z.enum(['dir', 'file']) })),
    }),
  ),
  /**
   * Opens the generated sample project, creating it on first use (or again when `fresh`). Without
   * `path` it lives in the app data folder.
   */
  'project:openSample': call(z.object({ fresh: z.boolean().optional(), path: z.string().min(1).optional() }), ProjectInfo),
  'project:close': call(Empty, Void),
  /** The open project, or null when none is open. */
  'project:current': call(Empty, ProjectInfo.nullable()),
  'classes:update': call(z.object({ classes: z.array(ClassDef).min(1) }), ProjectInfo),

  /**
   * Imports image files and folders (recursively) that exist on the host, optionally with a folder of
   * masks matched by file stem. Progress arrives as `import:progress` events carrying `jobId`.
   */
  'images:import': call(
    z.object({
      jobId: z.string().min(1),
      paths: z.array(z.string().min(1)).min(1),
      masksDir: z.string().min(1).optional(),
    }),
    ImportResult,
  ),
  /** Cancels a running import; images already imported stay. */
  'images:cancelImport': call(z.object({ jobId: z.string().min(1) }), Void),
  'images:list': call(ImageQuery, ImagePage),
  'images:get': call(z.object({ id: z.number().int() }), ImageSummary),
  /** Neighbours of an image in a listing order, for next / previous in the editor. */
  'images:neighbors': call(
    z.object({ id: z.number().int(), query: ImageQuery.optional() }),
    z.object({ prev: z.number().int().nullable(), next: z.number().int().nullable() }),
  ),
  'images:delete': call(z.object({ ids: z.array(z.number().int()).min(1) }), z.object({ deleted: z.number().int() })),

  'masks:get': call(z.object({ imageId: z.number().int() }), MaskDto),
  /** Appends a revision and makes it current; earlier revisions stay. */
  'masks:save': call(
    z.object({ imageId: z.number().int(), pngBase64: z.string().min(1), source: MaskSource.default('human') }),
    z.object({ revisionId: z.number().int(), image: ImageSummary }),
  ),
  'masks:revisions': call(z.object({ imageId: z.number().int() }), z.array(MaskRevision)),
  /** Makes an earlier revision current by appending a copy of it (history is never rewritten). */
  'masks:restore': call(
    z.object({ imageId: z.number().int(), revisionId: z.number().int() }),
    z.object({ revisionId: z.number().int(), image: ImageSummary }),
  ),

  /**
   * Class balance of the open project's current masks: per-class pixels, shares, images and SegNet
   * frequency (human labels, accepted pseudo-labels and both), the weights of each scheme with
   * effective-number β (default 0.9999), warnings and the recommended preset. Cheap to call again after a
   * mask save: the service keeps running totals and updates only the changed images.
   */
  'balance:get': call(z.object({ beta: z.number().min(0).lt(1).optional() }).strict(), BalanceResult),
  /** Per-image class composition of the labeled images, sorted by a class's share or pixels, or by name. */
  'balance:images': call(BalanceImagesQuery, BalanceImagePage),

  /**
   * Starts a training run in the trainer process and returns its id at once; progress, epochs and the
   * final status arrive as `train:progress`, `train:epoch` and `train:status` events. Options left out
   * come from `preset`, or (without one) from the preset recommended by the project's class balance,
   * then from TrainConfig's defaults. BUSY while another training or prediction job runs.
   */
  'train:start': call(TrainConfigPatch, z.object({ runId: z.number().int() })),
  /**
   * Starts self-supervised pretraining of the U-Net encoder on every image (labeled or not) in the
   * trainer process and returns its run id at once. Progress and the end arrive as `train:progress` and
   * `train:status` events with that run id (`run` null); `train:cancel` stops it. A completed one is the
   * encoder that training runs with `init: 'pretrained'` start from. BUSY while another job runs.
   */
  'pretrain:start': call(PretrainConfig.partial(), z.object({ runId: z.number().int() })),
  /** The newest pretraining run (with or without a stored encoder), or null when there is none. */
  'pretrain:latest': call(Empty, PretrainSummary.nullable()),
  /** Continues a cancelled, failed or killed run from its last checkpoint (at the next epoch). */
  'train:resume': call(z.object({ runId: z.number().int() }), z.object({ runId: z.number().int() })),
  /** Cancels the running training (it stops within a batch; checkpoints already saved stay). */
  'train:cancel': call(z.object({ runId: z.number().int().optional() }), Void),
  /** Every run of the open project, newest first. */
  'runs:list': call(Empty, z.array(RunSummary)),
  'runs:get': call(z.object({ id: z.number().int() }), RunSummary),
  /** Makes a finished run's best checkpoint the model used for prediction and evaluation. */
  'runs:setActive': call(z.object({ id: z.number().int() }), RunSummary),
  /** Deletes a run with its checkpoints (not the running one). */
  'runs:delete': call(z.object({ id: z.number().int() }), z.object({ deleted: z.number().int() })),
  /**
   * Predicts masks and confidence maps with the active model (or `runId`'s best checkpoint) and stores
   * them as a new pseudo-label round (status pending). Progress arrives as `predict:progress` events.
   */
  'predict:start': call(
    z.object({ jobId: z.string().min(1), images: z.enum(['unlabeled', 'all']).default('unlabeled'), runId: z.number().int().optional() }),
    PredictResult,
  ),
  /** The active model's newest stored prediction of an image (mask + confidence map), or null. */
  'predictions:get': call(z.object({ imageId: z.number().int() }), StoredPrediction.nullable()),
  /** Cancels a running prediction or evaluation; images already stored stay. */
  'predict:cancel': call(z.object({ jobId: z.string().min(1) }), Void),
  /** Scores the active model (or `runId`) against ground-truth index PNGs in `masksDir`, matched by file stem. */
  'models:evaluate': call(z.object({ jobId: z.string().min(1), masksDir: z.string().min(1), runId: z.number().int().optional() }), EvalResult),
  /** Writes a run's best model as a tfjs folder (model.json + weights) with labelloop.json (classes, normalisation). */
  'models:export': call(
    z.object({ runId: z.number().int().optional(), dir: z.string().min(1) }),
    z.object({ dir: z.string(), files: z.array(z.string()) }),
  ),

  /**
   * Writes the open project's labels to a folder: `index` = one single-channel 8-bit PNG of class indices
   * per image (255 = unlabeled), `color` = RGBA PNGs in class colours plus legend.png, `coco` = one
   * annotations.json (RLE per class per image). PNGs are named after the image's relPath without
   * extension, folders kept; GeoTIFF images also get a georeferenced `.tif` mask beside the PNG.
   * `source` picks current masks by origin: human (drawn or imported), pseudo (accepted pseudo-labels).
   */
  'export:run': call(
    z.object({
      dir: z.string().min(1),
      format: z.enum(['index', 'color', 'coco']),
      source: z.enum(['human', 'pseudo', 'both']).default('both'),
    }),
    ExportResult,
  ),
  /**
   * Imports labels made elsewhere as new mask revisions (source 'import'; earlier revisions stay): a COCO
   * JSON file, or a folder of palette / index PNGs (Pascal VOC: palette index = class, 255 = unlabeled;
   * a labelmap.txt or LabelLoop manifest in the folder maps classes by name). Reports what was attached
   * and everything that was not.
   */
  'labels:import': call(z.object({ path: z.string().min(1), format: z.enum(['coco', 'png']) }), LabelImportReport),
  ...displayApi,
  ...reviewApi,
  ...suggestApi,
} as const

export type Api = typeof api
export type Method = keyof Api
export type Input<M extends Method> = z.input<Api[M]['input']>
export type ParsedInput<M extends Method> = z.output<Api[M]['input']>
export type Output<M extends Method> = z.output<Api[M]['output']>

/** Events pushed from the services to every connected UI. */
export const events = {
  'import:progress': z.object({
    jobId: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    file: z.string(),
    imported: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
  }),
  /** Something in the open project changed (images added, a mask saved, ...); views refresh. */
  'project:changed': z.object({
    what: z.enum(['images', 'masks', 'classes', 'project']),
    imageIds: z.array(z.number().int()).optional(),
  }),
  /** A training run's progress within an epoch (at most a few per second). */
  'train:progress': TrainProgress,
  /** A training run finished an epoch (validation metrics included). */
  'train:epoch': z.object({ runId: z.number().int(), metrics: EpochMetrics }),
  /** A training run changed status; terminal ones carry the run's summary and, for failures, the reason. */
  'train:status': z.object({ runId: z.number().int(), status: RunStatus, error: z.string().nullable(), run: RunSummary.nullable() }),
  /** Progress of a prediction or evaluation job. */
  'predict:progress': PredictProgress,
  /** Progress of a `suggest:run` job. */
  'suggest:progress': SuggestProgress,
} as const

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

/** Image renditions the transports serve by URL (custom protocol in Electron, HTTP in browser mode). */
export const ImageRendition = z.enum(['thumb', 'display'])
export type ImageRendition = z.infer<typeof ImageRendition>

/** What the renderer is given: calls, events and image URLs, nothing transport-specific. */
export interface LabelLoopClient {
  invoke<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  imageUrl(imageId: number, rendition: ImageRendition): string
  /**
   * Turns files the user picked or dropped into paths the host can read: the file's own path in
   * Electron, an uploaded copy on the host in browser mode.
   */
  filesToPaths(files: readonly File[], purpose: 'images' | 'masks'): Promise<string[]>
  /** Native dialogs in Electron; null in browser mode, where the UI asks for a host path instead. */
  dialogs: {
    openFiles(kind: 'images' | 'project'): Promise<string[]>
    openDirectory(): Promise<string | null>
    saveProject(defaultName: string): Promise<string | null>
  } | null
}

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(api, name)
}
