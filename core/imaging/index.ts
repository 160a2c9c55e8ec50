/**
 * core/imaging: decoding, display renditions and thumbnails (sharp), and the mask codec (fast-png).
 * The store and the import service use only what is exported here.
 */
export { decodeImage, isImageFileName, readPixels, THUMBNAIL_SIZE, type DecodedImage } from './decode'
export { decodeMaskPng, encodeMaskPng, maskClassCounts } from './mask-codec'
export { contentHash } from './hash'
export { decodeGeoTiff, readGeoReference, encodeGeoTiffMask, interleaveBands, isAffineGeoReference, type GeoReference, type MultibandImage } from './geotiff'
