/**
 * Mapping another tool's classes onto the project's by name. Names match case-insensitively after
 * trimming ("Road" = " road "); nothing fuzzier, so a mapping is never a surprise. A source class
 * without a project class of the same name is reported, and its pixels become unlabeled (255).
 */
import { z } from 'zod'
import { AppError, UNLABELED, type ClassDef } from '../contract'

/** A class as another tool numbers it: `id` is its COCO category id or its palette index. */
export interface SourceClass {
  id: number
  name: string
}

/** Result of {@link mapClassesByName}: source id → project class index, and the source classes left over. */
export interface ClassMapping {
  toProject: Map<number, number>
  unmapped: SourceClass[]
}

function key(name: string): string {
  return name.trim().toLowerCase()
}

/** Maps source classes to project classes with the same name (case-insensitive, trimmed). */
export function mapClassesByName(source: readonly SourceClass[], project: readonly ClassDef[]): ClassMapping {
  const byName = new Map(project.map((c) => [key(c.name), c.index]))
  const toProject = new Map<number, number>()
  const unmapped: SourceClass[] = []
  for (const s of source) {
    const index = byName.get(key(s.name))
    if (index === undefined) unmapped.push(s)
    else toProject.set(s.id, index)
  }
  return { toProject, unmapped }
}

/**
 * A 256-entry lookup table from source palette index to project class index. With a mapping, indices
 * it does not map become 255; without one (the PNG's indices ARE project classes), indices the project
 * does not have become 255. 255 always stays 255.
 */
export function paletteLut(classCount: number, mapping?: ClassMapping): Uint8Array {
  const lut = new Uint8Array(256).fill(UNLABELED)
  for (let i = 0; i < 255; i++) {
    if (mapping) lut[i] = mapping.toProject.get(i) ?? UNLABELED
    else if (i < classCount) lut[i] = i
  }
  return lut
}

/**
 * Applies `lut` to a mask; also counts, per source index that became unlabeled (other than 255 itself),
 * how many pixels were dropped, so the import report can say what was lost.
 */
export function remapMask(data: Uint8Array, lut: Uint8Array): { data: Uint8Array; dropped: Map<number, number> } {
  const out = new Uint8Array(data.length)
  const hist = new Uint32Array(256)
  for (let i = 0; i < data.length; i++) {
    const v = data[i]
    out[i] = lut[v]
    hist[v]++
  }
  const dropped = new Map<number, number>()
  for (let v = 0; v < 255; v++) if (hist[v] > 0 && lut[v] === UNLABELED) dropped.set(v, hist[v])
  return { data: out, dropped }
}

/**
 * Reads a Pascal VOC / CVAT `labelmap.txt` (`name:r,g,b:parts:actions` per line, `#` comments): the
 * n-th class line is palette index n. DECODE_FAILED naming the file when no class line is found.
 */
export function parseLabelmapTxt(text: string, fileName: string): SourceClass[] {
  const classes: SourceClass[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const name = line.split(':')[0].trim()
    if (name === '') throw new AppError('DECODE_FAILED', `${fileName}: line "${line}" has no class name`, fileName)
    classes.push({ id: classes.length, name })
  }
  if (classes.length === 0) throw new AppError('DECODE_FAILED', `${fileName}: no classes found (expected lines like "road:128,64,128::")`, fileName)
  return classes
}

/** The file LabelLoop writes beside exported PNG masks: the class list and which mask is which image. */
export const LABELS_MANIFEST = 'labelloop-labels.json'

export const LabelsManifest = z.object({
  format: z.enum(['index', 'color']),
  classes: z.array(z.object({ index: z.number().int().min(0).max(254), name: z.string(), color: z.string() })),
  /** Mask file (relative, `/`-separated) → the image's relPath in the project it came from. */
  images: z.array(z.object({ mask: z.string(), image: z.string() })),
})
export type LabelsManifest = z.infer<typeof LabelsManifest>

/** Parses a labels manifest; DECODE_FAILED naming the file when it is not one. */
export function parseLabelsManifest(text: string, fileName: string): LabelsManifest {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new AppError('DECODE_FAILED', `${fileName}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, fileName)
  }
  const parsed = LabelsManifest.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new AppError('DECODE_FAILED', `${fileName}: not a LabelLoop labels manifest (${issue.path.join('.') || 'root'}: ${issue.message})`, fileName)
  }
  return parsed.data
}
