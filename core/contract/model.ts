/**
 * Plain-data shapes (DTOs) of the project model as the UI and the CLI see them.
 * The SQLite layout behind them lives in core/project; these never carry database handles.
 */
import { z } from 'zod'

/** Class index 255 marks unlabeled pixels: never a class, ignored by losses and statistics. */
export const UNLABELED = 255
/** The most classes a project can have (indices 0..254). */
export const MAX_CLASSES = 255

export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must look like #rrggbb')

export const ClassDef = z.object({
  index: z.number().int().min(0).max(254),
  name: z.string().trim().min(1).max(64),
  color: HexColor,
})
export type ClassDef = z.infer<typeof ClassDef>

/** Classes as given when creating a project: indices are assigned in order from 0. */
export const NewClass = z.object({ name: z.string().trim().min(1).max(64), color: HexColor.optional() })
export type NewClass = z.infer<typeof NewClass>

/** Where a mask revision came from: painted, an accepted pseudo-label of a review round, or imported. */
export const MaskSource = z.enum(['human', 'pseudo-accepted', 'import'])
export type MaskSource = z.infer<typeof MaskSource>

export const LabelStatus = z.enum(['unlabeled', 'partial', 'labeled'])
export type LabelStatus = z.infer<typeof LabelStatus>

export const ProjectInfo = z.object({
  /** Absolute path of the project file. */
  path: z.string(),
  name: z.string(),
  schemaVersion: z.number().int(),
  classes: z.array(ClassDef),
  imageCount: z.number().int(),
  counts: z.object({ unlabeled: z.number().int(), partial: z.number().int(), labeled: z.number().int() }),
  createdAt: z.string(),
})
export type ProjectInfo = z.infer<typeof ProjectInfo>

export const RecentProject = z.object({ path: z.string(), name: z.string(), openedAt: z.string() })
export type RecentProject = z.infer<typeof RecentProject>

export const ImageSummary = z.object({
  id: z.number().int(),
  /** File name as imported (no folder). */
  name: z.string(),
  /** Path relative to the import root, for display and export naming. */
  relPath: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bands: z.number().int(),
  bitDepth: z.number().int(),
  status: LabelStatus,
  /** Share of pixels that carry a class (not 255), 0..1. */
  labeledFraction: z.number(),
  /** Labeled pixels per class index (length = number of classes). */
  classPixels: z.array(z.number().int()),
  /** Where the current mask came from (an accepted pseudo-label is not a human label); null without a mask. */
  source: MaskSource.nullable(),
  addedAt: z.string(),
})
export type ImageSummary = z.infer<typeof ImageSummary>

export const ImageSort = z.enum(['name', 'added', 'status', 'labeled'])
export type ImageSort = z.infer<typeof ImageSort>

export const ImageQuery = z.object({
  status: z.array(LabelStatus).optional(),
  /** Substring of the name, case-insensitive. */
  search: z.string().optional(),
  /** Only images with at least one labeled pixel of this class. */
  containsClass: z.number().int().min(0).max(254).optional(),
  /** Only images with no labeled pixel of this class. */
  missingClass: z.number().int().min(0).max(254).optional(),
  /** Only images whose current mask came from one of these sources (images without a mask never match). */
  source: z.array(MaskSource).optional(),
  sort: ImageSort.default('added'),
  order: z.enum(['asc', 'desc']).default('asc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(200),
})
export type ImageQuery = z.input<typeof ImageQuery>

export const ImagePage = z.object({ total: z.number().int(), items: z.array(ImageSummary) })
export type ImagePage = z.infer<typeof ImagePage>

export const ImportFailure = z.object({ file: z.string(), code: z.string(), reason: z.string() })
export const ImportResult = z.object({
  imported: z.array(z.object({
    file: z.string(),
    id: z.number().int(),
    /** True when the original was too large to copy into the project and is linked by its path instead. */
    linked: z.boolean().optional(),
  })),
  skipped: z.array(z.object({ file: z.string(), reason: z.string(), existingId: z.number().int().optional() })),
  failed: z.array(ImportFailure),
  masks: z.object({
    attached: z.array(z.object({ file: z.string(), imageId: z.number().int() })),
    failed: z.array(ImportFailure),
  }),
  cancelled: z.boolean(),
})
export type ImportResult = z.infer<typeof ImportResult>

export const MaskDto = z.object({
  imageId: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  /** 8-bit indexed PNG, base64. Absent when the image has no mask yet (all unlabeled). */
  pngBase64: z.string().nullable(),
  revisionId: z.number().int().nullable(),
})
export type MaskDto = z.infer<typeof MaskDto>

export const MaskRevision = z.object({
  id: z.number().int(),
  imageId: z.number().int(),
  source: MaskSource,
  createdAt: z.string(),
  labeledFraction: z.number(),
  current: z.boolean(),
})
export type MaskRevision = z.infer<typeof MaskRevision>
