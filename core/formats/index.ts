/**
 * core/formats: label formats in and out, all pure functions over class-index masks (row-major
 * Uint8Array, 255 = unlabeled). COCO RLE and JSON, colour renderings with a legend, Pascal-VOC palette
 * PNG class remapping, matching label files to images and naming exported masks.
 */
export * from './rle'
export * from './coco'
export * from './coco-import'
export * from './class-map'
export * from './color'
export * from './match'
export * from './names'
