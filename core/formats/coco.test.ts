import { describe, expect, it } from 'vitest'
import { AppError, type ClassDef } from '../contract'
import { CocoWriter, parseCocoJson, type CocoDataset } from './coco'
import { planCocoImport, rasterizeCocoItem, rasterizePolygons } from './coco-import'
import { createImageMatcher } from './match'

const classes: ClassDef[] = [
  { index: 0, name: 'background', color: '#000000' },
  { index: 1, name: 'Road', color: '#ff0000' },
  { index: 2, name: 'car', color: '#00ff00' },
]

function sampleMask(w: number, h: number): Uint8Array {
  const m = new Uint8Array(w * h)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = y === 0 ? 255 : x < 3 ? 0 : x < 6 ? 1 : (x + y) % 2 === 0 ? 2 : 1
  return m
}

describe('COCO export', () => {
  it('writes one RLE annotation per class present, skipping unlabeled pixels, with area and bbox', () => {
    const writer = new CocoWriter(classes)
    const mask = Uint8Array.from([255, 1, 1, 0, 255, 1])
    expect(writer.add({ imageId: 7, fileName: 'a/b.png', width: 3, height: 2, data: mask })).toBe(2)
    const ds = writer.dataset('test')
    expect(ds.images).toEqual([{ id: 7, file_name: 'a/b.png', width: 3, height: 2 }])
    expect(ds.categories.map((c) => [c.id, c.name])).toEqual([[1, 'background'], [2, 'Road'], [3, 'car']])
    const [bg, road] = ds.annotations
    expect(bg).toMatchObject({ image_id: 7, category_id: 1, area: 1, bbox: [0, 1, 1, 1], iscrowd: 0 })
    // Road: column-major 0 0 | 1 0 | 1 1 → counts [2,1,1,2] → "2111".
    expect(road).toMatchObject({ category_id: 2, area: 3, bbox: [1, 0, 2, 2], segmentation: { size: [2, 3], counts: '2111' } })
  })
})

describe('COCO import', () => {
  const projectImages = [
    { id: 1, relPath: 'site/one.tif' },
    { id: 2, relPath: 'two.png' },
  ]

  it('export then import gives the same masks', () => {
    const w = 9
    const h = 5
    const writer = new CocoWriter(classes)
    const masks = new Map([[1, sampleMask(w, h)], [2, sampleMask(w, h).reverse()]])
    writer.add({ imageId: 1, fileName: 'site/one.tif', width: w, height: h, data: masks.get(1)! })
    writer.add({ imageId: 2, fileName: 'two.png', width: w, height: h, data: masks.get(2)! })
    const ds = parseCocoJson(JSON.stringify(writer.dataset('x')), 'annotations.json')
    const plan = planCocoImport(ds, classes, createImageMatcher(projectImages))
    expect(plan.unmapped).toEqual([])
    expect(plan.unmatched).toEqual([])
    expect(plan.items.map((i) => i.projectImageId)).toEqual([1, 2])
    for (const item of plan.items) {
      const back = rasterizeCocoItem(item, plan.mapping, w, h, 'annotations.json')
      expect(Array.from(back)).toEqual(Array.from(masks.get(item.projectImageId)!))
    }
  })

  const foreign: CocoDataset = {
    images: [
      { id: 10, file_name: 'train/ONE.jpg', width: 4, height: 2 },
      { id: 11, file_name: 'missing.jpg', width: 4, height: 2 },
    ],
    categories: [
      { id: 5, name: 'ROAD' },
      { id: 6, name: 'Car' },
      { id: 9, name: 'pedestrian' },
    ],
    annotations: [
      // The road covers everything; the car sits on it; the pedestrian has no project class.
      { id: 1, image_id: 10, category_id: 5, segmentation: { size: [2, 4], counts: [0, 8] } },
      { id: 2, image_id: 10, category_id: 6, segmentation: [[2, 0, 4, 0, 4, 2, 2, 2]] },
      { id: 3, image_id: 10, category_id: 9, segmentation: { size: [2, 4], counts: [0, 2, 6] } },
      { id: 4, image_id: 11, category_id: 5, segmentation: { size: [2, 4], counts: [0, 8] } },
    ],
  }

  it('maps categories by name case-insensitively, reports unmapped ones and unmatched images', () => {
    const plan = planCocoImport(foreign, classes, createImageMatcher(projectImages))
    expect([...plan.mapping.toProject]).toEqual([[5, 1], [6, 2]])
    expect(plan.unmapped).toEqual([{ id: 9, name: 'pedestrian', annotations: 1 }])
    expect(plan.unmatched).toEqual([{ file: 'missing.jpg', reason: 'no project image has this file name' }])
    expect(plan.items).toHaveLength(1)
    // train/ONE.jpg → site/one.tif by file stem, case-insensitively.
    expect(plan.items[0].projectImageId).toBe(1)
    const mask = rasterizeCocoItem(plan.items[0], plan.mapping, 4, 2, 'f.json')
    // Overlap: the smaller car (4 px) wins over the road (8 px); the pedestrian's pixels stay road.
    expect(Array.from(mask)).toEqual([1, 1, 2, 2, 1, 1, 2, 2])
  })

  it('resolves equal-size overlaps in favour of the annotation listed first', () => {
    const ds: CocoDataset = {
      images: [{ id: 1, file_name: 'two.png', width: 2, height: 1 }],
      categories: [{ id: 1, name: 'road' }, { id: 2, name: 'car' }],
      annotations: [
        { image_id: 1, category_id: 2, segmentation: { size: [1, 2], counts: [0, 2] } },
        { image_id: 1, category_id: 1, segmentation: { size: [1, 2], counts: [0, 2] } },
      ],
    }
    const plan = planCocoImport(ds, classes, createImageMatcher(projectImages))
    expect(Array.from(rasterizeCocoItem(plan.items[0], plan.mapping, 2, 1, 'f.json'))).toEqual([2, 2])
  })

  it('refuses an image whose size differs from the project image', () => {
    const plan = planCocoImport(foreign, classes, createImageMatcher(projectImages))
    expect(() => rasterizeCocoItem(plan.items[0], plan.mapping, 8, 4, 'f.json')).toThrow(/f\.json: image "train\/ONE\.jpg" is 4×2 in the COCO file but 8×4/)
  })

  it('fills polygons by pixel centres', () => {
    // Triangle (0,0) (4,0) (0,4): pixel (x, y) is inside when its centre
    // (x + 0.5) + (y + 0.5) < 4, i.e. x + y < 3.
    const m = rasterizePolygons([[0, 0, 4, 0, 0, 4]], 4, 4)
    expect(Array.from(m)).toEqual([1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
  })
})

describe('parseCocoJson', () => {
  it('names the file and the JSON problem for a corrupt file', () => {
    const err = (() => {
      try {
        parseCocoJson('{"images": [', '/data/labels.json')
      } catch (e) {
        return e
      }
      return null
    })()
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('DECODE_FAILED')
    expect((err as AppError).file).toBe('/data/labels.json')
    expect((err as AppError).message).toMatch(/^\/data\/labels\.json: not valid JSON/)
  })

  it('names the first field that is not COCO', () => {
    expect(() => parseCocoJson('{"images": [], "categories": []}', 'x.json')).toThrow(/x\.json: not a COCO annotation file \(annotations: /)
    expect(() => parseCocoJson('{"images": [{"id": 1, "file_name": "a", "width": 0, "height": 2}], "annotations": [], "categories": []}', 'x.json'))
      .toThrow(/x\.json: not a COCO annotation file \(images\.0\.width: /)
  })
})
