/**
 * An 8,000×8,000 image in the editor, in browser mode: it opens through display tiles (the display
 * rendition is never requested; tile calls are), the tiles are drawn where the image's pixels belong at
 * the fitted zoom and at 1:1, and a stroke painted on it (undone and redone) is saved and comes back
 * after a reload with the stored class counts equal to those shown; next / previous switch to a small
 * image (drawn whole, no tiles) and back. The images are made in code (four flat quadrants and a
 * horizontal blue ramp, so a misplaced tile shows) in a project of their own.
 */
import { join } from 'node:path'
import sharp from 'sharp'
import type { Page } from '@playwright/test'
import { centred, fitView } from '../renderer/canvas/viewport'
import { expect, test } from './fixtures'
import { writePngs } from './support/images'

const SIDE = 8000
const NAME = 'large-8000.png'

/** The colour the generated image has at (x, y). */
function colourAt(x: number, y: number): [number, number, number] {
  return [x < SIDE / 2 ? 200 : 40, y < SIDE / 2 ? 200 : 40, Math.floor((x * 255) / SIDE)]
}

/** Writes the SIDE² RGB PNG (rows repeat, so it is built and compressed in a few seconds). */
async function writeLargePng(dir: string): Promise<string> {
  const rowBytes = SIDE * 3
  const rows = [0, SIDE / 2].map((y) => {
    const row = Buffer.alloc(rowBytes)
    for (let x = 0; x < SIDE; x++) row.set(colourAt(x, y), x * 3)
    return row
  })
  const raw = Buffer.alloc(rowBytes * SIDE)
  for (let y = 0; y < SIDE; y++) rows[y < SIDE / 2 ? 0 : 1].copy(raw, y * rowBytes)
  const path = join(dir, NAME)
  await sharp(raw, { raw: { width: SIDE, height: SIDE, channels: 3 } }).png({ compressionLevel: 1 }).toFile(path)
  return path
}

/** images:import of one host path through the web host's API; returns the new image's id. */
async function importPath(page: Page, path: string): Promise<number> {
  return page.evaluate(async (p) => {
    const res = await fetch('/api/call/images:import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jobId: `large-${Date.now()}`, paths: [p] }) })
    const body = (await res.json()) as { ok: boolean; result: { imported: Array<{ id: number }> } }
    if (!body.ok || body.result.imported.length !== 1) throw new Error(`images:import of ${p} failed: ${JSON.stringify(body)}`)
    return body.result.imported[0].id
  }, path)
}

/** Expects the image layer at image point (ix, iy) under `view` to show the generated colour. */
async function expectColourAt(pixel: (sx: number, sy: number) => Promise<number[]>, view: { scale: number; x: number; y: number }, ix: number, iy: number): Promise<void> {
  const rgba = await pixel(ix * view.scale + view.x, iy * view.scale + view.y)
  const want = colourAt(ix, iy)
  expect(rgba[3], `alpha at image (${ix}, ${iy})`).toBe(255)
  for (let c = 0; c < 3; c++) expect(Math.abs(rgba[c] - want[c]), `channel ${c} at image (${ix}, ${iy}): ${rgba.join(',')} vs ${want.join(',')}`).toBeLessThan(30)
}

test('an 8,000×8,000 image opens through tiles, paints, saves and reloads with the counts shown', async ({ page, home, gallery, editor, workDir }) => {
  test.setTimeout(150_000)
  const file = await writeLargePng(workDir)
  const name = `Large ${Date.now()}`
  await home.createProject(name, join(workDir, 'large.labelloop'), [{ name: 'field', color: '#e0c020' }, { name: 'road', color: '#8040c0' }])
  await gallery.expectOpen(name)
  const id = await importPath(page, file)
  const [small] = await writePngs(workDir, 'small', 1, 64)
  await importPath(page, small)

  const displayRequests: string[] = []
  let tileCalls = 0
  page.on('request', (r) => {
    const path = decodeURIComponent(new URL(r.url()).pathname)
    if (path.startsWith(`/api/images/${id}/display`)) displayRequests.push(path)
    if (path === '/api/call/images:tile') tileCalls++
  })

  const opened = Date.now()
  await page.evaluate((imageId) => (window.location.hash = `#/editor/${imageId}`), id)
  await editor.expectImage(NAME)
  const box = await editor.stage.boundingBox()
  if (!box) throw new Error('the editor stage is not visible')
  const fitted = fitView(SIDE, SIDE, box.width, box.height)
  const fitLevel = (await editor.tiles()).level
  expect(fitLevel).toBeGreaterThanOrEqual(3)
  await editor.expectTilesDrawn(fitLevel)
  test.info().annotations.push({ type: 'first screen', description: `${Date.now() - opened} ms from opening to all tiles of the fitted view drawn` })
  const pixel = (sx: number, sy: number): Promise<number[]> => editor.imagePixel(sx, sy)
  for (const [ix, iy] of [[2000, 2000], [6000, 2000], [2000, 6000], [6000, 6000], [7800, 300]]) await expectColourAt(pixel, fitted, ix, iy)

  // 1:1 in the middle: full-resolution tiles of the viewport only.
  await page.keyboard.press('Control+0')
  await editor.expectTilesDrawn(0)
  const tiles = await editor.tiles()
  expect(tiles.visible).toBeLessThanOrEqual(Math.ceil(box.width / 512 + 1) * Math.ceil(box.height / 512 + 1))
  const actual = centred(SIDE, SIDE, box.width, box.height, 1)
  for (const [ix, iy] of [[3850, 3850], [4150, 3850], [3850, 4150], [4150, 4150]]) await expectColourAt(pixel, actual, ix, iy)

  // Back to the whole image; paint across it and save.
  await page.keyboard.press('0')
  await editor.expectTilesDrawn(fitLevel)
  await editor.selectClass(1)
  await editor.brushSize(120)
  await editor.stroke([[0.25, 0.5], [0.75, 0.5], [0.75, 0.6]])
  await expect.poll(async () => (await editor.shownCounts(2)).counts[1]).toBeGreaterThan(0)
  const painted = await editor.shownCounts(2)
  expect(painted.counts[0]).toBe(0)
  expect(painted.unlabeled).toBe(SIDE * SIDE - painted.counts[1])
  await editor.undo()
  await editor.expectCounts({ counts: [0, 0], unlabeled: SIDE * SIDE })
  await editor.redo()
  await editor.expectCounts(painted)
  const saving = Date.now()
  await page.keyboard.press('Control+s')
  await editor.expectSaveStatus('saved')
  test.info().annotations.push({ type: 'save', description: `${Date.now() - saving} ms from Ctrl+S to saved (encode of the 64 MB mask in the page, masks:save)` })

  const reloading = Date.now()
  await page.reload()
  await editor.expectImage(NAME)
  test.info().annotations.push({ type: 'reopen', description: `${Date.now() - reloading} ms from reload to the image and its stored mask in the editor` })
  await editor.expectCounts(painted)
  expect((await editor.storedImage(id)).classPixels).toEqual(painted.counts)
  await editor.expectTilesDrawn(fitLevel)

  await editor.next()
  await editor.expectImage('small-1.png')
  expect((await editor.tiles()).tiled).toBe(false)
  await editor.page.getByTestId('prev-image').click()
  await editor.expectImage(NAME)
  await editor.expectTilesDrawn(fitLevel)
  await expectColourAt(pixel, fitted, 6000, 6000)

  expect(displayRequests).toEqual([])
  expect(tileCalls).toBeGreaterThan(0)
})
