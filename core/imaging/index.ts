/**
 * core/imaging: decoding, display renditions and thumbnails (sharp; geotiff.js for multiband TIFFs),
 * display tiles of large images, and the mask codec (fast-png). The store and the services use only
 * what is exported here.
 */
export { decodeImage, isImageFileName, readPixels, readPixelsFromFile, renderBands, THUMBNAIL_SIZE, type DecodedImage, type Renditions } from './decode'
export { isMultiband, type DisplayBands } from './display'
export { isMultibandFile, isMultibandTiffFile } from './tiff-bands'
export { decodeMaskPng, encodeMaskPng, maskClassCounts } from './mask-codec'
export { contentHash } from './hash'
export { decodeGeoTiff, readGeoReference, readGeoReferenceFile, encodeGeoTiffMask, interleaveBands, isAffineGeoReference, type GeoReference, type MultibandImage } from './geotiff'
