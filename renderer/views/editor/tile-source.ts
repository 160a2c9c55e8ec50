/**
 * Display tiles of a large image for the editor, fetched with `images:tile` through whichever transport
 * the client has (IPC or the web host's /api/call), and decoded off the main thread by the browser
 * (createImageBitmap). Which images are tiled follows their size unless `labelloop.editor.tiling` in
 * localStorage forces it ('always' / 'never'), for tests and troubleshooting.
 */
import type { LabelLoopClient, TileResult } from '../../../core/contract'
import type { LoadedTile, TileKey, TileSource, TilingMode } from '../../canvas'
import { base64ToBytes } from '../../canvas/mask-codec'

/** localStorage key that forces tiling on or off. */
export const TILING_KEY = 'labelloop.editor.tiling'

/** The tiling mode stored under {@link TILING_KEY} ('auto' unless forced). */
export function tilingMode(storage: Pick<Storage, 'getItem'> = localStorage): TilingMode {
  const v = storage.getItem(TILING_KEY)
  return v === 'always' || v === 'never' ? v : 'auto'
}

/** Turns a tile's encoded bytes into something a canvas can draw. */
export type TileDecoder = (bytes: Uint8Array<ArrayBuffer>, mime: string) => Promise<ImageBitmap | HTMLCanvasElement>

const browserDecode: TileDecoder = (bytes, mime) => createImageBitmap(new Blob([bytes], { type: mime }))

/** The tiles of image `imageId` (width × height pixels) through `client`. */
export function createTileSource(
  client: Pick<LabelLoopClient, 'invoke'>,
  imageId: number,
  width: number,
  height: number,
  decode: TileDecoder = browserDecode,
): TileSource {
  return {
    width,
    height,
    async load(t: TileKey): Promise<LoadedTile> {
      const r: TileResult = await client.invoke('images:tile', { id: imageId, level: t.level, x: t.x, y: t.y })
      const bytes = new Uint8Array(base64ToBytes(r.bytesBase64))
      return { image: await decode(bytes, r.mime), source: r.source }
    },
  }
}
