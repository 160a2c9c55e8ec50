/** Reading every image of the open project in id order, page by page (the listing caps a page at 5,000). */
import type { ImageSummary } from '../../../core/contract'
import type { ProjectStore } from '../../../core/project'

const PAGE = 5000

/** All images of the project, oldest first. */
export function allImages(store: ProjectStore): ImageSummary[] {
  const out: ImageSummary[] = []
  for (let offset = 0; ; offset += PAGE) {
    const page = store.images.list({ sort: 'added', order: 'asc', offset, limit: PAGE })
    out.push(...page.items)
    if (page.items.length < PAGE || out.length >= page.total) return out
  }
}

/** A path relative to a folder, `/`-separated, from its parts. */
export function toPosix(rel: string): string {
  return rel.split(/[\\/]+/).join('/')
}
