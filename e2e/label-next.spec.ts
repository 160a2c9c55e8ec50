/**
 * "Label next" in browser mode on a fresh copy of the sample project (no model yet): the gallery's sort
 * lists only images that still need labels, says it ranked by diversity alone, and the editor's button
 * goes to a suggested image (or zooms to a suggested region) with the reason in the header.
 */
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { TrainPage } from './pages/train-page'

interface Listed { items: { id: number; name: string; status: string }[] }
interface Suggested { mode: string; items: { imageId: number; rank: number; region: unknown }[] }

test('the gallery sort lists what to label next and the editor button goes there', async ({ page, home, gallery, editor, workDir }) => {
  void home // opens the app's page (the API calls below need its origin)
  test.setTimeout(180_000)
  const api = new TrainPage(page)
  await api.call('project:openSample', { fresh: true, path: join(workDir, 'label-next.labelloop') })
  await page.reload()
  await expect(gallery.root).toBeVisible({ timeout: 60_000 })
  const labeled = new Set((await api.call<Listed>('images:list', { status: ['labeled'], limit: 500 })).items.map((i) => i.name))
  expect(labeled.size).toBeGreaterThan(0)

  await page.getByTestId('sort').selectOption('next')
  const status = page.getByTestId('label-next-status')
  await expect(status).toHaveAttribute('data-mode', 'diversity-only', { timeout: 60_000 })
  await expect(status).toHaveAttribute('title', /train one first.*diversity only/i)
  await expect(gallery.total).toHaveText(/^\s*\d+ to label\s*$/)
  await expect(gallery.tiles.first()).toBeVisible()
  const names = await gallery.visibleNames()
  expect(names.length).toBeGreaterThan(0)
  expect(names.filter((n) => labeled.has(n))).toEqual([])
  // At the top of the grid are the ranking's first images (the virtual grid's DOM order is not its visual order).
  const ranked = await api.call<Suggested>('suggest:run', { jobId: 'e2e-order', limit: 5000 })
  const byId = new Map((await api.call<Listed>('images:list', { limit: 500 })).items.map((i) => [i.id, i.name]))
  const top = [...new Set(ranked.items.map((s) => byId.get(s.imageId)))].slice(0, names.length)
  expect([...names].sort()).toEqual([...top].sort())

  // From the first image, the editor's button goes to the next suggestion and says why.
  await gallery.tiles.first().click()
  await expect(editor.stage).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
  const first = await editor.imageId()
  await page.getByTestId('label-next').click()
  await expect(page.getByTestId('label-next-reason')).toHaveText(/^\s*#\d+: .+/, { timeout: 30_000 })
  const target = ranked.items.find((s) => !(s.imageId === first && s.region === null))
  expect(target).toBeDefined()
  await expect.poll(() => editor.imageId(), { timeout: 30_000 }).toBe(target?.imageId)
  await expect(editor.stage).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
})
