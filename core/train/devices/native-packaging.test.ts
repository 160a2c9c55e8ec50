/**
 * The native tfjs packages install where libtensorflow can be downloaded and are skipped cleanly where
 * it cannot: optional dependencies whose install script npm is allowed to run (npm 11 blocks
 * dependencies' scripts unless package.json's allowScripts names them), unpacked from app.asar by
 * electron-builder. The npm behaviour is checked offline on two tiny local packages standing in for
 * tfjs-node: one whose install succeeds, one whose install fails as tfjs-node's does without network.
 * (npm runs scripts of local file: packages without allowScripts, so the blocking of registry packages
 * is not reproducible offline; the lockfile test pins what makes the real packages' scripts run.)
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..', '..')
const NATIVE = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
const run = promisify(execFile)

interface Checker {
  checkConfig(config: unknown, baseDir: string): string[]
}

describe('native tfjs packages: package.json, lockfile, installed state', () => {
  const pkg = readJson(join(root, 'package.json')) as Record<string, Record<string, unknown>>
  const lock = readJson(join(root, 'package-lock.json')) as { packages: Record<string, Record<string, unknown>> }
  const coreVersion = (readJson(createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/package.json')) as { version: string }).version

  it('are optional dependencies pinned to the tfjs-core version, with their install scripts allowed', () => {
    for (const name of NATIVE) {
      expect(pkg.optionalDependencies[name]).toBe(coreVersion)
      expect(pkg.dependencies[name]).toBeUndefined()
      expect(pkg.allowScripts[name]).toBe(true)
      expect(lock.packages[`node_modules/${name}`]).toMatchObject({ version: coreVersion, optional: true, hasInstallScript: true })
    }
  })

  it('are either absent (npm skipped a failed install) or complete with libtensorflow, never half-installed', () => {
    for (const name of NATIVE) {
      const dir = join(root, 'node_modules', name)
      if (!existsSync(dir)) continue
      expect(existsSync(join(dir, 'deps', 'lib')), `${dir}/deps/lib (libtensorflow)`).toBe(true)
      expect(existsSync(join(dir, 'lib')), `${dir}/lib (the N-API binding)`).toBe(true)
    }
  })
})

describe('electron-builder.yml keeps libtensorflow outside app.asar', () => {
  const load = async (): Promise<{ checker: Checker; config: Record<string, unknown> }> => {
    const checker = (await import(join(root, 'scripts', 'check-builder-config.mjs'))) as Checker
    // js-yaml comes with ESLint and has no types here; a computed specifier keeps it untyped.
    const yamlModule = 'js-yaml'
    const yaml = (await import(yamlModule)) as { load(text: string): unknown }
    return { checker, config: yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> }
  }

  it('the shipped config passes the check', async () => {
    const { checker, config } = await load()
    expect(checker.checkConfig(config, root)).toEqual([])
  })

  it('a config that leaves deps/lib inside the archive, or drops it from files, is refused by name', async () => {
    const { checker, config } = await load()
    const unpack = (config.asarUnpack as string[]).filter((p) => !p.startsWith('node_modules/@tensorflow/tfjs-node-gpu'))
    const problems = checker.checkConfig({ ...config, asarUnpack: unpack }, root)
    expect(problems).toContain('asarUnpack must unpack node_modules/@tensorflow/tfjs-node-gpu/deps/lib/libtensorflow.so.2 (libtensorflow cannot be loaded from inside app.asar)')
    const trimmed = checker.checkConfig({ ...config, files: [...(config.files as string[]), '!**/deps/**'] }, root)
    expect(trimmed).toContain('files must not exclude node_modules/@tensorflow/tfjs-node/deps/lib/tensorflow.dll')
  })
})

describe('npm with allowScripts: an optional native package installs, or is skipped when its install fails', () => {
  const work = mkdtempSync(join(tmpdir(), 'labelloop-optional-'))
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  /** A package whose install script records that it ran, then succeeds or fails like a download would. */
  async function fakeNative(name: string, succeed: boolean): Promise<string> {
    const dir = join(work, 'src', name)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', scripts: { install: 'node install.js' } }))
    const marker = JSON.stringify(join(work, `${name}.ran`))
    writeFileSync(
      join(dir, 'install.js'),
      `require('fs').writeFileSync(${marker}, 'ran')\n` +
        (succeed ? `require('fs').mkdirSync('deps/lib', { recursive: true })\n` : `console.error('* Downloading libtensorflow: getaddrinfo ENOTFOUND'); process.exit(1)\n`),
    )
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: dir })
    return join(work, stdout.trim().split('\n').slice(-1)[0])
  }

  async function install(project: string, ok: string, fail: string): Promise<number> {
    const dir = join(work, project)
    mkdirSync(dir)
    const optionalDependencies = { 'native-ok': `file:${ok}`, 'native-fail': `file:${fail}` }
    const allowScripts = { 'native-ok': true, 'native-fail': true }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: project, version: '1.0.0', private: true, optionalDependencies, allowScripts }))
    const t0 = performance.now()
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: { ...process.env, npm_config_cache: join(work, 'cache') } })
    return performance.now() - t0
  }

  it('runs the allowed scripts: the working package is kept, the failing one removed, and install succeeds quickly', async () => {
    const ok = await fakeNative('native-ok', true)
    const fail = await fakeNative('native-fail', false)
    const ms = await install('allowed', ok, fail)
    expect(existsSync(join(work, 'native-ok.ran'))).toBe(true)
    expect(existsSync(join(work, 'native-fail.ran'))).toBe(true)
    expect(existsSync(join(work, 'allowed', 'node_modules', 'native-ok', 'deps', 'lib'))).toBe(true)
    expect(existsSync(join(work, 'allowed', 'node_modules', 'native-fail'))).toBe(false)
    expect(ms).toBeLessThan(30_000)
  })
})
