/**
 * core/sample: the generated sample project behind "Open sample project" and `labelloop new --sample`.
 * Aerial-like tiles with four imbalanced classes, made in code from a seed, so every install gets the
 * same learnable dataset without shipping image files.
 */
import sharp from 'sharp'
import { Rng } from './prng'
import { paintScene } from './scene'
import { scribbleMask } from './scribble'

/** Fully labeled images at the start of the sample. */
export const SAMPLE_LABELED = 8
/** Images with scribbles only, after the fully labeled ones. */
export const SAMPLE_SCRIBBLED = 4

/**
 * Colours from the one class palette (core/contract/palette.ts) that stand out on what they label:
 * neutral grey ground (the background), magenta roads on grey asphalt, cyan buildings on red-brown and
 * light roofs, yellow vehicles.
 */
const CLASSES = [
  { name: 'ground', color: '#8d8d8d' },
  { name: 'road', color: '#f032e6' },
  { name: 'building', color: '#42d4f4' },
  { name: 'vehicle', color: '#ffe119' },
]

/** Mixes the sample seed and the image number into the seed of that image's own generator. */
function imageSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  h = Math.imul(h ^ (index + 1), 0x85ebca6b) >>> 0
  return (h ^ (h >>> 13)) >>> 0
}

/**
 * Generates the sample dataset: `count` (default 40) RGB PNG tiles of `size`×`size` (default 256),
 * named sample-001.png…, with the classes ground, road, building and vehicle (rare: under 1% of labeled
 * pixels). The first 8 images carry full masks, the next 4 scribbles (255 elsewhere), the rest none.
 * The same `seed` (default 1) always gives the same bytes.
 */
export async function generateSample(opts: { seed?: number; count?: number; size?: number } = {}): Promise<{
  name: string
  classes: { name: string; color: string }[]
  images: { name: string; png: Buffer; mask: Uint8Array | null }[]
}> {
  const seed = opts.seed ?? 1
  const count = opts.count ?? 40
  const size = opts.size ?? 256
  const images: { name: string; png: Buffer; mask: Uint8Array | null }[] = []
  for (let i = 0; i < count; i++) {
    const rng = new Rng(imageSeed(seed, i))
    const labeled = i < SAMPLE_LABELED
    const scribbled = !labeled && i < SAMPLE_LABELED + SAMPLE_SCRIBBLED
    const scene = paintScene(rng, size, labeled || scribbled ? 2 : 0)
    const png = await sharp(scene.rgb, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer()
    let mask: Uint8Array | null = null
    if (labeled) mask = scene.labels
    else if (scribbled) mask = scribbleMask(scene.labels, size, CLASSES.length, rng)
    images.push({ name: `sample-${String(i + 1).padStart(3, '0')}.png`, png, mask })
  }
  return { name: 'Aerial sample', classes: CLASSES.map((c) => ({ ...c })), images }
}
