/**
 * The image being edited and its storage: opens an image (summary, display rendition and stored mask
 * into the editor; a large image's display tiles instead, see tile-source.ts) and saves the editor's mask
 * as a new revision. A save stores the snapshot it read and
 * marks exactly that version saved, so strokes painted while the request runs stay unsaved.
 */
import { onBeforeUnmount, ref, shallowRef, type ShallowRef } from 'vue'
import { AppError, toErrorDto, type ErrorDto, type ImageSummary } from '../../../core/contract'
import type { RendererClient } from '../../api'
import { maskFromDto, shouldTile, type MaskEditor } from '../../canvas'
import { versioned } from '../../components/export/display-version'
import { MaskEncoder } from './mask-encoder'
import { createTileSource, tilingMode } from './tile-source'
import { apiBaseOf, beaconSave, saveInput } from './unload-save'

/** Loads and decodes an image URL. */
export async function loadImageElement(url: string): Promise<HTMLImageElement> {
  const img = new Image()
  img.decoding = 'async'
  img.src = url
  try {
    await img.decode()
  } catch {
    throw new AppError('DECODE_FAILED', `The browser could not load the image at ${url}`)
  }
  return img
}

/** What an unload-time save did: nothing to save, handed to a transport, or impossible. */
export type UnloadSave = 'clean' | 'sent' | 'failed'

export function useMaskSession(client: RendererClient, editor: ShallowRef<MaskEditor | null>) {
  /** Summary of the image in the editor (updated after each save). */
  const image = shallowRef<ImageSummary | null>(null)
  const loading = ref(false)
  const loadError = ref<ErrorDto | null>(null)
  /** Bumped after every stored save or restore, so the revision list can refresh. */
  const savedCount = ref(0)
  /** The image whose mask the editor holds; null while loading or after a failed load. */
  let imageId: number | null = null
  let openToken = 0
  let unloadSent = ''
  /** The pseudo-label the editor was preloaded with (review's Edit); its first save marks it edited. */
  let pseudoId: number | null = null
  /** Encodes large masks off the page's thread (an 8,000² mask takes over a second). */
  const encoder = new MaskEncoder()
  onBeforeUnmount(() => encoder.dispose())

  /**
   * Shows image `id` with its stored mask, or preloaded with pseudo-label `pseudo`'s mask. The caller
   * saves the previous image first.
   */
  async function open(id: number, pseudo: number | null = null): Promise<void> {
    const token = ++openToken
    loading.value = true
    loadError.value = null
    imageId = null
    pseudoId = null
    try {
      const [summary, stored, review] = await Promise.all([
        client.invoke('images:get', { id }),
        client.invoke('masks:get', { imageId: id }),
        pseudo === null ? null : client.invoke('review:get', { id: pseudo }),
      ])
      const preload = review !== null && review.item.imageId === id
      const dto = preload ? { ...stored, pngBase64: review.maskPngBase64 } : stored
      const tiled = shouldTile(summary.width, summary.height, tilingMode())
      const img = tiled ? null : await loadImageElement(versioned(client.imageUrl(id, 'display')))
      if (token !== openToken) return
      const [w, h] = img ? [img.naturalWidth, img.naturalHeight] : [summary.width, summary.height]
      if (w !== dto.width || h !== dto.height) {
        throw new AppError('MASK_SIZE', `${summary.name}: the ${img ? 'display image' : 'image'} is ${w}×${h}, its mask ${dto.width}×${dto.height}`)
      }
      const e = editor.value
      if (!e) return
      if (img) e.load(img, maskFromDto(dto))
      else e.loadTiled(createTileSource(client, id, w, h), maskFromDto(dto))
      image.value = summary
      imageId = id
      pseudoId = preload ? pseudo : null
    } catch (err) {
      if (token === openToken) loadError.value = toErrorDto(err)
    } finally {
      if (token === openToken) loading.value = false
    }
  }

  /** Stores the current mask as a revision (see the module comment). */
  async function save(): Promise<void> {
    const e = editor.value
    const id = imageId
    if (!e || id === null) return
    const snap = e.snapshot()
    const pngBase64 = await encoder.encode(snap.data, snap.width, snap.height)
    const res = await client.invoke('masks:save', saveInput(id, snap, pngBase64))
    if (imageId === id) {
      e.markSaved(snap.version)
      image.value = res.image
      if (pseudoId !== null) {
        const edited = pseudoId
        pseudoId = null
        await client.invoke('review:edited', { id: edited })
      }
    }
    savedCount.value++
  }

  /** After a restore: puts the stored current mask into the editor (history cleared, counts as saved). */
  async function reloadMask(): Promise<void> {
    const e = editor.value
    const id = imageId
    if (!e || id === null) return
    const [summary, dto] = await Promise.all([client.invoke('images:get', { id }), client.invoke('masks:get', { imageId: id })])
    if (imageId !== id) return
    e.setMask(maskFromDto(dto))
    image.value = summary
    savedCount.value++
  }

  /**
   * Saves synchronously enough to survive the page going away: a beacon in browser mode, the IPC message
   * (posted before the page unloads) in Electron. The editor stays dirty: the reply is never seen.
   */
  function saveOnUnload(): UnloadSave {
    const e = editor.value
    const id = imageId
    if (!e || id === null || !e.isDirty()) return 'clean'
    const snap = e.snapshot()
    // beforeunload and pagehide both ask; send each version once.
    const key = `${id}:${snap.version}`
    if (key === unloadSent) return 'sent'
    const input = saveInput(id, snap)
    let sent = true
    if (client.mode === 'electron') {
      void client.invoke('masks:save', input).catch(() => undefined)
    } else {
      const base = apiBaseOf(client.imageUrl(id, 'display'), window.location.href)
      sent = beaconSave(base, input, (url, body) => navigator.sendBeacon(url, body))
    }
    if (sent) unloadSent = key
    return sent ? 'sent' : 'failed'
  }

  return { image, loading, loadError, savedCount, open, save, reloadMask, saveOnUnload, currentId: () => imageId }
}
