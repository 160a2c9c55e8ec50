/**
 * Labels out and back in through the UI, in browser mode: the sample project exports as index PNGs to a
 * host folder from the gallery's Labels dialog (checked on disk), then a fresh project over the same
 * image files imports that folder (typed path, and again uploaded as a folder) and ends up with exactly
 * the same pixels per class. Then a 5-band 16-bit GeoTIFF: all bands imported, the band picker redraws
 * its thumbnail.
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { decode } from 'fast-png'
import { writeArrayBuffer } from 'geotiff'
import type { Page } from '@playwright/test'
import { generateSample } from '../core/sample'
import { expect, test } from './fixtures'
import { LabelsPage } from './pages/labels-page'

/** Labeled pixels per class of the open project (balance:get over the web host, human + pseudo). */
async function classPixels(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const res = await fetch('/api/call/balance:get', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{}' })
    const body = (await res.json()) as { ok: boolean; result: { classes: Array<{ index: number; pixels: number }> } }
    if (!body.ok) throw new Error(`balance:get failed: ${JSON.stringify(body)}`)
    return body.result.classes.sort((a, b) => a.index - b.index).map((c) => c.pixels)
  })
}

test('export the sample as index PNGs, import them into a fresh project, same pixels per class', async ({ page, home, gallery, workDir }) => {
  test.setTimeout(240_000)
  await home.openSample()
  await expect(gallery.root).toBeVisible({ timeout: 90_000 })
  const expected = await classPixels(page)
  expect(expected.reduce((a, b) => a + b, 0)).toBeGreaterThan(0)

  const labels = new LabelsPage(page)
  await labels.open()
  const out = join(workDir, 'exported labels')
  const result = await labels.exportTo(out, 'index', 'both')
  const written = Number(await result.getByTestId('export-written').textContent())
  expect(written).toBeGreaterThan(0)
  await expect(result.getByTestId('export-files')).toHaveText(String(written + 1))

  // On disk: one single-channel 8-bit PNG per labeled image plus the class manifest; counts add up.
  const files = (await readdir(out)).sort()
  const pngs = files.filter((f) => f.endsWith('.png'))
  expect(pngs).toHaveLength(written)
  expect(files).toContain('labelloop-labels.json')
  const onDisk = new Array<number>(expected.length).fill(0)
  for (const f of pngs) {
    const png = decode(await readFile(join(out, f)))
    expect([png.channels, png.depth]).toEqual([1, 8])
    for (const v of png.data) if (v !== 255) onDisk[v]++
  }
  expect(onDisk).toEqual(expected)
  await labels.close()

  // A fresh project with the sample's classes over the same image files.
  const sample = await generateSample()
  const imagesDir = join(workDir, 'images')
  await mkdir(imagesDir)
  const paths: string[] = []
  for (const img of sample.images) {
    const p = join(imagesDir, img.name)
    await writeFile(p, img.png)
    paths.push(p)
  }
  await gallery.closeProject()
  await home.createProject('Round trip', join(workDir, 'round-trip.labelloop'), sample.classes)
  await gallery.expectOpen('Round trip')
  await gallery.importFiles(paths)
  await gallery.closeImport()
  await gallery.expectTotal(sample.images.length)
  expect((await classPixels(page)).every((n) => n === 0)).toBe(true)

  await labels.open()
  const report = await labels.importFrom(out, 'png')
  await expect(report.getByTestId('label-import-attached')).toHaveText(String(written))
  for (const id of ['unmapped', 'unmatched', 'failed']) await expect(report.getByTestId(`label-import-${id}`)).toHaveText('0')
  expect(await classPixels(page)).toEqual(expected)

  // The same folder uploaded from the browser attaches the same masks again (new revisions, same pixels).
  const again = await labels.importUploadedFolder(out)
  await expect(again.getByTestId('label-import-attached')).toHaveText(String(written))
  await labels.close()
  expect(await classPixels(page)).toEqual(expected)
  await expect(gallery.count('unlabeled')).toHaveText(String(sample.images.length - written))
})

test('a 5-band 16-bit GeoTIFF imports with its bands; the band picker redraws its thumbnail', async ({ page, home, gallery, workDir }) => {
  const size = 64
  const data = new Uint16Array(size * size * 5)
  // Band 4 is bright where the others are dark (left half), so showing it as red turns the left red.
  for (let i = 0; i < size * size; i++) {
    const left = i % size < size / 2
    for (let b = 0; b < 5; b++) data[i * 5 + b] = (b === 4) === left ? 40000 + b : 500 + b
  }
  const tif = join(workDir, 'scene.tif')
  await writeFile(tif, Buffer.from(writeArrayBuffer(data, { width: size, height: size, ModelPixelScale: [1, 1, 0], ModelTiepoint: [0, 0, 0, 0, 0, 0], ProjectedCSTypeGeoKey: 32633 })))
  await home.createProject('Bands', join(workDir, 'bands.labelloop'), [{ name: 'water' }, { name: 'land' }])
  await gallery.expectOpen('Bands')
  await gallery.importFiles([tif])
  await gallery.closeImport()
  await expect(gallery.tiles.first()).toHaveAttribute('title', /5 band\(s\), 16-bit/)

  const picker = page.getByTestId('band-picker')
  await expect(picker).toBeVisible()
  await expect(picker.getByTestId('band-R').locator('option')).toHaveCount(5)
  const thumb = gallery.tiles.first().locator('img')
  const redOfLeft = (): Promise<number[]> =>
    thumb.evaluate(async (img: HTMLImageElement) => {
      await img.decode()
      const c = document.createElement('canvas')
      c.width = img.naturalWidth
      c.height = img.naturalHeight
      const g = c.getContext('2d')!
      g.drawImage(img, 0, 0)
      return Array.from(g.getImageData(4, 4, 1, 1).data.slice(0, 3))
    })
  expect((await redOfLeft())[0]).toBeLessThan(20)
  await picker.getByTestId('band-R').selectOption('4')
  await picker.getByTestId('band-apply').click()
  await expect(thumb).toHaveAttribute('src', /\?v=\d+$/)
  await expect.poll(async () => (await redOfLeft())[0]).toBeGreaterThan(235)
})
