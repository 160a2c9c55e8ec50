/**
 * Turning a COCO dataset into project masks. Categories map to project classes by name
 * ({@link mapClassesByName}); images match project images by file name ({@link createImageMatcher}).
 *
 * Overlaps: COCO annotations may overlap, a class mask may not. A pixel covered by several annotations
 * takes the class of the SMALLEST of them (fewest pixels), because in segmentation data the smaller
 * region is nearly always the object lying on the larger one (a car on a road); among equally small ones
 * the annotation listed first in the file wins. The result depends only on the file's content.
 * Pixels no mapped annotation covers are unlabeled (255).
 */
import { AppError, UNLABELED, type ClassDef } from '../contract'
import { mapClassesByName, type ClassMapping } from './class-map'
import type { CocoAnnotation, CocoDataset, CocoImage } from './coco'
import type { MatchResult } from './match'
import { decodeRle } from './rle'

/** A COCO category with no project class of the same name, and how many annotations used it. */
export interface UnmappedCategory {
  id: number
  name: string
  annotations: number
}

/** One COCO image matched to a project image, with its annotations of mapped categories. */
export interface CocoImportItem {
  image: CocoImage
  projectImageId: number
  annotations: CocoAnnotation[]
}

export interface CocoImportPlan {
  mapping: ClassMapping
  items: CocoImportItem[]
  unmapped: UnmappedCategory[]
  /** COCO images with annotations of mapped categories whose file name matches no (or several) project images. */
  unmatched: { file: string; reason: string }[]
}

/** Decides which COCO image goes to which project image and which categories map where. */
export function planCocoImport(
  dataset: CocoDataset,
  classes: readonly ClassDef[],
  match: (fileName: string) => MatchResult,
): CocoImportPlan {
  const mapping = mapClassesByName(dataset.categories, classes)
  const perCategory = new Map<number, number>()
  const perImage = new Map<string, CocoAnnotation[]>()
  for (const a of dataset.annotations) {
    perCategory.set(a.category_id, (perCategory.get(a.category_id) ?? 0) + 1)
    if (!mapping.toProject.has(a.category_id)) continue
    const k = String(a.image_id)
    const list = perImage.get(k)
    if (list) list.push(a)
    else perImage.set(k, [a])
  }
  const unmapped = mapping.unmapped.map((c) => ({ id: c.id, name: c.name, annotations: perCategory.get(c.id) ?? 0 }))
  const items: CocoImportItem[] = []
  const unmatched: CocoImportPlan['unmatched'] = []
  for (const image of dataset.images) {
    const annotations = perImage.get(String(image.id))
    if (!annotations) continue
    const hit = match(image.file_name)
    if (hit === null) unmatched.push({ file: image.file_name, reason: 'no project image has this file name' })
    else if ('ambiguous' in hit) unmatched.push({ file: image.file_name, reason: `matches several project images: ${hit.ambiguous.join(', ')}` })
    else items.push({ image, projectImageId: hit.id, annotations })
  }
  return { mapping, items, unmapped, unmatched }
}

/**
 * Fills polygons (COCO pixel coordinates: pixel (x, y) covers [x, x+1) × [y, y+1)) into a 0/1 mask. A
 * pixel is inside when its centre is, by the even-odd rule of each polygon; several polygons are a union.
 */
export function rasterizePolygons(polygons: readonly (readonly number[])[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height)
  const xs: number[] = []
  for (const poly of polygons) {
    const n = Math.floor(poly.length / 2)
    if (n < 3) continue
    for (let y = 0; y < height; y++) {
      const cy = y + 0.5
      xs.length = 0
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const yi = poly[2 * i + 1]
        const yj = poly[2 * j + 1]
        if ((yi > cy) === (yj > cy)) continue
        const xi = poly[2 * i]
        const xj = poly[2 * j]
        xs.push(xi + ((cy - yi) * (xj - xi)) / (yj - yi))
      }
      xs.sort((a, b) => a - b)
      for (let k = 0; k + 1 < xs.length; k += 2) {
        // Pixel x is inside when its centre x + 0.5 lies in [xs[k], xs[k+1]).
        const from = Math.max(0, Math.ceil(xs[k] - 0.5))
        const to = Math.min(width - 1, Math.ceil(xs[k + 1] - 0.5) - 1)
        for (let x = from; x <= to; x++) out[y * width + x] = 1
      }
    }
  }
  return out
}

function annotationPixels(a: CocoAnnotation, width: number, height: number, where: string): Uint8Array | null {
  const seg = a.segmentation
  if (seg === undefined || (Array.isArray(seg) && seg.length === 0)) return null
  if (Array.isArray(seg)) return rasterizePolygons(seg, width, height)
  const [h, w] = seg.size
  if (w !== width || h !== height) {
    throw new AppError('MASK_SIZE', `${where}: its RLE is ${w}×${h} but the image is ${width}×${height}`)
  }
  return decodeRle(seg, where).data
}

/**
 * The class mask of one matched COCO image (width × height of the project image), overlaps resolved as
 * the module comment says. MASK_SIZE when the COCO image's size differs from the project image's.
 */
export function rasterizeCocoItem(item: CocoImportItem, mapping: ClassMapping, width: number, height: number, fileName: string): Uint8Array {
  const { image } = item
  if (image.width !== width || image.height !== height) {
    throw new AppError('MASK_SIZE', `${fileName}: image "${image.file_name}" is ${image.width}×${image.height} in the COCO file but ${width}×${height} in the project`, fileName)
  }
  const layers: { pixels: Uint8Array; area: number; order: number; cls: number }[] = []
  item.annotations.forEach((a, order) => {
    const cls = mapping.toProject.get(a.category_id)
    if (cls === undefined) return
    const where = `${fileName}: annotation ${a.id ?? order} of "${image.file_name}"`
    const pixels = annotationPixels(a, width, height, where)
    if (pixels === null) return
    let area = 0
    for (let i = 0; i < pixels.length; i++) area += pixels[i]
    layers.push({ pixels, area, order, cls })
  })
  // Largest first and, at equal size, last-listed first: later paints win, so the smallest (then the
  // first-listed) annotation ends on top.
  layers.sort((p, q) => q.area - p.area || q.order - p.order)
  const out = new Uint8Array(width * height).fill(UNLABELED)
  for (const layer of layers) {
    const { pixels, cls } = layer
    for (let i = 0; i < pixels.length; i++) if (pixels[i]) out[i] = cls
  }
  return out
}
