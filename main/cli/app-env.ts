/** Where the CLI finds its package (version, built renderer) and the app data folder. */
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository / package root (two folders above main/cli). */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

let cachedVersion: string | null = null

/** The version in package.json. */
export function packageVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version
  return cachedVersion
}

/**
 * The app data folder (recent projects, the sample project): `LABELLOOP_HOME`, else
 * `$XDG_CONFIG_HOME/labelloop`, else `~/.config/labelloop`.
 */
export function appDataDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.LABELLOOP_HOME) return resolve(env.LABELLOOP_HOME)
  if (env.XDG_CONFIG_HOME) return resolve(env.XDG_CONFIG_HOME, 'labelloop')
  return join(env.HOME || homedir(), '.config', 'labelloop')
}

/** The built renderer that `serve` hands to the web host (`LABELLOOP_RENDERER_DIR` overrides it). */
export function rendererDir(env: Readonly<Record<string, string | undefined>>): string {
  return env.LABELLOOP_RENDERER_DIR ? resolve(env.LABELLOOP_RENDERER_DIR) : join(packageRoot, 'out', 'renderer')
}
