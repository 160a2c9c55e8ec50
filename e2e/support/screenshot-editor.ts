/**
 * Writes docs/editor.png: the mask editor on a labeled image of the sample project in browser mode, for
 * the README. Run with `node --import tsx e2e/support/screenshot-editor.ts` after building the renderer.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { repoRoot, startHost } from './host-process'

const host = await startHost()
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 })
  page.on('console', (m) => process.stdout.write(`console: ${m.text()}\n`))
  page.on('pageerror', (e) => process.stdout.write(`pageerror: ${e.message}\n`))
  await page.goto(host.url)
  await page.getByTestId('open-sample').click()
  await page.getByTestId('gallery-total').filter({ hasText: '40 images' }).waitFor({ timeout: 120_000 })
  await page.getByTestId('filter-labeled').click()
  await page.getByTestId('gallery-tile').filter({ visible: true }).first().click()
  await page.locator('[data-testid="editor-stage"][data-ready="true"]').waitFor({ timeout: 60_000 })
  await page.getByTestId('revision-item').first().waitFor()
  await page.waitForTimeout(300)
  const box = await page.getByTestId('editor-stage').boundingBox()
  if (box) await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.55)
  await page.waitForTimeout(200)
  const out = join(repoRoot, 'docs', 'editor.png')
  await mkdir(join(repoRoot, 'docs'), { recursive: true })
  await page.screenshot({ path: out })
  process.stdout.write(`wrote ${out}\n`)
} finally {
  await browser.close()
  await host.stop()
}
