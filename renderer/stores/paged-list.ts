/**
 * A sparse, page-cached view of a long server-side listing (images:list). The gallery keeps one for the
 * current filter and asks it for whatever rows the virtual scroller shows; pages load on demand, at most
 * once each, and answers to an outdated filter (after `reset`) are dropped.
 */
export interface Page<T> {
  total: number
  items: T[]
}

export type PageFetcher<T> = (offset: number, limit: number) => Promise<Page<T>>

export class PagedList<T> {
  private inflight = new Map<number, Promise<void>>()
  private generation = 0
  private totalCount = 0
  private loadedOnce = false

  /**
   * @param pageSize rows per request
   * @param fetchPage loads one page of the current listing
   * @param onChange called after any page or the total changed (the store bumps a version ref)
   * @param maxPages pages kept in memory; the ones farthest from the last request are dropped first
   * @param pages where pages live: pass a reactive Map so that readers of one page re-render only when
   *   that page changes, not on every page load
   */
  constructor(
    private readonly pageSize: number,
    private readonly fetchPage: PageFetcher<T>,
    private readonly onChange: () => void = () => undefined,
    private readonly maxPages = 60,
    private readonly pages: Map<number, T[]> = new Map(),
  ) {}

  get total(): number {
    return this.totalCount
  }

  /** True once the first answer for the current listing arrived. */
  get loaded(): boolean {
    return this.loadedOnce
  }

  /** Row `index`, or undefined while its page is not loaded. */
  get(index: number): T | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize))
    return page?.[index % this.pageSize]
  }

  /** Forgets every page (the filter or the data changed); in-flight answers will be ignored. */
  reset(): void {
    this.generation++
    this.pages.clear()
    this.inflight.clear()
    this.loadedOnce = false
  }

  /** Loads every page that overlaps rows [start, end] (inclusive) and is not loaded or loading yet. */
  async ensureRange(start: number, end: number): Promise<void> {
    const first = Math.max(0, Math.floor(start / this.pageSize))
    const lastRow = this.loadedOnce ? Math.min(end, Math.max(0, this.totalCount - 1)) : end
    const last = Math.max(first, Math.floor(Math.max(start, lastRow) / this.pageSize))
    const waits: Promise<void>[] = []
    for (let p = first; p <= last; p++) waits.push(this.loadPage(p, first))
    await Promise.all(waits)
  }

  private loadPage(pageIndex: number, near: number): Promise<void> {
    if (this.pages.has(pageIndex)) return Promise.resolve()
    const running = this.inflight.get(pageIndex)
    if (running) return running
    const generation = this.generation
    const task = this.fetchPage(pageIndex * this.pageSize, this.pageSize).then(
      (page) => {
        if (generation !== this.generation) return
        this.inflight.delete(pageIndex)
        this.pages.set(pageIndex, page.items)
        this.totalCount = page.total
        this.loadedOnce = true
        this.evict(near)
        this.onChange()
      },
      (err: unknown) => {
        if (generation === this.generation) this.inflight.delete(pageIndex)
        throw err
      },
    )
    this.inflight.set(pageIndex, task)
    return task
  }

  private evict(near: number): void {
    if (this.pages.size <= this.maxPages) return
    const byDistance = [...this.pages.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near))
    for (const p of byDistance.slice(0, this.pages.size - this.maxPages)) this.pages.delete(p)
  }
}
