/**
 * The desktop shell: launches the built app with Playwright's Electron driver when the Electron binary
 * is installed. Installs made with ELECTRON_SKIP_BINARY_DOWNLOAD have no binary; the spec says so.
 */
import { _electron as electron, expect, test } from '@playwright/test'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from './support/host-process'

function electronBinary(): string | null {
  const dist = join(repoRoot, 'node_modules', 'electron', 'dist')
  const candidates = [join(dist, 'electron'), join(dist, 'electron.exe'), join(dist, 'Electron.app', 'Contents', 'MacOS', 'Electron')]
  return candidates.find((p) => existsSync(p)) ?? null
}

test('the desktop app opens on Home and the sample project shows its gallery', async () => {
  const binary = electronBinary()
  test.skip(binary === null, 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD): desktop shell not testable here')
  const home = await mkdtemp(join(tmpdir(), 'labelloop-e2e-electron-'))
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: [join(repoRoot, 'out', 'main', 'index.js'), '--no-sandbox'],
    env: { ...process.env, LABELLOOP_HOME: home },
  })
  try {
    const page = await app.firstWindow()
    await expect(page.getByTestId('home')).toBeVisible()
    await page.getByTestId('open-sample').click()
    await expect(page.getByTestId('gallery-total')).toHaveText(/40 images/, { timeout: 90_000 })
  } finally {
    await app.close()
    await rm(home, { recursive: true, force: true })
  }
})
