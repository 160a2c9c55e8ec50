/**
 * display:* and images:tile: the project's band choice for multiband imagery (stored in the project
 * file, applied to every multiband image's display rendition and thumbnail, and to later imports) and
 * display tiles of large images.
 */
import { AppError, DisplayBands, type Output, type ParsedInput } from '../../../core/contract'
import { isMultibandFile, isMultibandTiffFile, renderBands } from '../../../core/imaging'
import type { ProjectStore } from '../../../core/project'
import type { ServiceContext } from '../context'
import { cutTile, decodeRaster, TileCache, type Raster } from './tile-cache'

const BANDS_SETTING = 'displayBands'

/** The project's band choice, or undefined (first three bands) when none is stored or it is unreadable. */
export function projectDisplayBands(store: ProjectStore): DisplayBands | undefined {
  const text = store.setting(BANDS_SETTING)
  if (text === null) return undefined
  try {
    const parsed = DisplayBands.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

interface Candidate {
  id: number
  name: string
  bands: number
}

/** Images whose stored metadata allows several non-alpha bands (only TIFFs; headers decide the rest). */
function candidates(store: ProjectStore): Candidate[] {
  return store.db
    .prepare("SELECT id, name, bands FROM images WHERE format = 'tiff' AND (bands = 2 OR bands > 3) ORDER BY id")
    .all() as Candidate[]
}

/**
 * The checked path of a linked original, null for an original stored in the project, 'unreadable' for
 * a linked original that is missing or changed (its display cannot be redrawn; the rest of the project
 * goes on without it).
 */
function linkedSource(store: ProjectStore, id: number): string | null | 'unreadable' {
  if (store.images.linked(id) === null) return null
  try {
    const src = store.images.originalSource(id)
    return src.kind === 'file' ? src.path : null
  } catch (err) {
    if (err instanceof AppError && (err.code === 'NOT_FOUND' || err.code === 'IO')) return 'unreadable'
    throw err
  }
}

export class DisplayService {
  private readonly tiles = new TileCache()
  private tilesOf: string | null = null
  /** The decoded display of the image whose tiles were asked for last (one image: ~200 MB at 8,000²). */
  private raster: Promise<Raster> | null = null

  constructor(private readonly ctx: ServiceContext) {}

  private async multiband(store: ProjectStore): Promise<Candidate[]> {
    const out: Candidate[] = []
    for (const c of candidates(store)) {
      const src = linkedSource(store, c.id)
      if (src === 'unreadable') continue
      const multi = src ? await isMultibandTiffFile(src, c.bands) : await isMultibandFile(store.images.original(c.id).original, c.bands)
      if (multi) out.push(c)
    }
    return out
  }

  async getBands(): Promise<Output<'display:getBands'>> {
    const store = this.ctx.requireStore()
    const images = await this.multiband(store)
    return {
      bands: projectDisplayBands(store) ?? null,
      multibandImages: images.length,
      maxBands: images.reduce((m, c) => Math.max(m, c.bands), 0),
    }
  }

  /** Stores the choice, then redraws each multiband image (one transaction per image, so a failure keeps the rest). */
  async setBands(input: ParsedInput<'display:setBands'>): Promise<Output<'display:setBands'>> {
    const store = this.ctx.requireStore()
    store.setSetting(BANDS_SETTING, JSON.stringify(input.bands))
    const images = await this.multiband(store)
    const redrawn: number[] = []
    for (const c of images) {
      const r = await renderBands(store.images.original(c.id).original, c.name, input.bands)
      if (!r) continue
      store.images.replaceRenditions(c.id, r)
      redrawn.push(c.id)
    }
    this.tiles.clear()
    this.raster = null
    if (redrawn.length > 0) this.ctx.emit('project:changed', { what: 'images', imageIds: redrawn })
    return {
      bands: input.bands,
      multibandImages: images.length,
      maxBands: images.reduce((m, c) => Math.max(m, c.bands), 0),
      regenerated: redrawn.length,
    }
  }

  async tile(input: ParsedInput<'images:tile'>): Promise<Output<'images:tile'>> {
    const store = this.ctx.requireStore()
    if (this.tilesOf !== store.path) {
      this.tiles.clear()
      this.raster = null
      this.tilesOf = store.path
    }
    const key = `${input.id}/${input.level}/${input.x}/${input.y}`
    const cached = this.tiles.get(key)
    if (cached) return cached
    const raster = await this.rasterOf(store, input.id)
    const tile = await cutTile(raster, input.level, input.x, input.y)
    this.tiles.set(key, tile)
    return tile
  }

  /** The decoded display of `id`, decoding it (once, even for concurrent requests) when it is not the cached one. */
  private async rasterOf(store: ProjectStore, id: number): Promise<Raster> {
    const current = this.raster ? await this.raster.catch(() => null) : null
    if (current?.imageId === id) return current
    const { bytes } = store.images.rendition(id, 'display')
    const next = decodeRaster(bytes, id)
    this.raster = next
    try {
      return await next
    } catch (err) {
      if (this.raster === next) this.raster = null
      throw err
    }
  }
}
