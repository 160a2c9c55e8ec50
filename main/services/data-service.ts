/** images:* (except import) and masks:* handlers over the open project. */
import type { ImageRendition, Output, ParsedInput } from '../../core/contract'
import type { ServiceContext } from './context'
import { checkMask } from './mask-check'

export class DataService {
  constructor(private readonly ctx: ServiceContext) {}

  list(input: ParsedInput<'images:list'>): Output<'images:list'> {
    return this.ctx.requireStore().images.list(input)
  }

  get(input: ParsedInput<'images:get'>): Output<'images:get'> {
    return this.ctx.requireStore().images.get(input.id)
  }

  neighbors(input: ParsedInput<'images:neighbors'>): Output<'images:neighbors'> {
    return this.ctx.requireStore().images.neighbors(input.id, input.query)
  }

  delete(input: ParsedInput<'images:delete'>): Output<'images:delete'> {
    const deleted = this.ctx.requireStore().images.delete(input.ids)
    if (deleted > 0) this.ctx.emit('project:changed', { what: 'images', imageIds: [...new Set(input.ids)] })
    return { deleted }
  }

  rendition(imageId: number, rendition: ImageRendition): { bytes: Buffer; mime: string } {
    return this.ctx.requireStore().images.rendition(imageId, rendition)
  }

  maskGet(input: ParsedInput<'masks:get'>): Output<'masks:get'> {
    const store = this.ctx.requireStore()
    const image = store.images.get(input.imageId)
    const current = store.masks.current(input.imageId)
    return {
      imageId: image.id,
      width: image.width,
      height: image.height,
      pngBase64: current ? current.png.toString('base64') : null,
      revisionId: current ? current.revisionId : null,
    }
  }

  /** Validates the mask (decodes, size, classes), stores it canonically as a new revision. */
  maskSave(input: ParsedInput<'masks:save'>): Output<'masks:save'> {
    const store = this.ctx.requireStore()
    const image = store.images.get(input.imageId)
    const bytes = Buffer.from(input.pngBase64, 'base64')
    const mask = checkMask(bytes, `mask of ${image.name}`, image, store.classes().length, input.source)
    const revisionId = store.masks.save(image.id, mask)
    this.ctx.emit('project:changed', { what: 'masks', imageIds: [image.id] })
    return { revisionId, image: store.images.get(image.id) }
  }

  maskRevisions(input: ParsedInput<'masks:revisions'>): Output<'masks:revisions'> {
    return this.ctx.requireStore().masks.revisions(input.imageId)
  }

  maskRestore(input: ParsedInput<'masks:restore'>): Output<'masks:restore'> {
    const store = this.ctx.requireStore()
    const revisionId = store.masks.restore(input.imageId, input.revisionId)
    this.ctx.emit('project:changed', { what: 'masks', imageIds: [input.imageId] })
    return { revisionId, image: store.images.get(input.imageId) }
  }
}
