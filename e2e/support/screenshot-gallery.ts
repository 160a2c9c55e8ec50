/**
 * Writes docs/gallery.png: the sample project's gallery in browser mode, for the README. Run with
 * `node --import tsx e2e/support/screenshot-gallery.ts` after building the renderer.
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
  await page.goto(host.url)
  await page.getByTestId('open-sample').click()
  await page.getByTestId('gallery-total').filter({ hasText: '40 images' }).waitFor({ timeout: 120_000 })
  await page.waitForFunction(() => {
    const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="gallery-tile"] img'))
    return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0)
  })
  await page.mouse.move(0, 0)
  const out = join(repoRoot, 'docs', 'gallery.png')
  await mkdir(join(repoRoot, 'docs'), { recursive: true })
  await page.screenshot({ path: out })
  process.stdout.write(`wrote ${out}\n`)
} finally {
  await browser.close()
  await host.stop()
}
