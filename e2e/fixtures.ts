/** Shared fixtures: the host URL from global setup, page objects, and a temp folder per test. */
import { test as base } from '@playwright/test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EditorPage } from './pages/editor-page'
import { GalleryPage } from './pages/gallery-page'
import { HomePage } from './pages/home-page'

interface Fixtures {
  hostUrl: string
  home: HomePage
  gallery: GalleryPage
  editor: EditorPage
  workDir: string
}

export const test = base.extend<Fixtures>({
  hostUrl: async ({}, use) => {
    const url = process.env.LABELLOOP_E2E_URL
    if (!url) throw new Error('LABELLOOP_E2E_URL is not set: run the specs through playwright.config.ts (its global setup starts the host)')
    await use(url)
  },
  home: async ({ page, hostUrl }, use) => {
    const home = new HomePage(page)
    await home.open(hostUrl)
    await use(home)
    await home.closeAnyProject()
  },
  gallery: async ({ page }, use) => {
    await use(new GalleryPage(page))
  },
  editor: async ({ page }, use) => {
    await use(new EditorPage(page))
  },
  workDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'labelloop-e2e-'))
    await use(dir)
    await rm(dir, { recursive: true, force: true })
  },
})

export { expect } from '@playwright/test'
