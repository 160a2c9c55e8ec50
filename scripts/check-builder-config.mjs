#!/usr/bin/env node
/**
 * Validates electron-builder.yml without electron-builder and without any download: the YAML parses,
 * the targets the project ships are configured (Linux AppImage + deb, Windows NSIS, macOS dmg), native
 * modules are unpacked from the asar archive (including the libtensorflow that tfjs-node and
 * tfjs-node-gpu keep in deps/lib beside their binding in lib/napi-v*), no rebuild is requested, the
 * files list holds the built app and excludes none of those, and every icon or resource the config
 * names exists. Exit 0 when valid; otherwise each problem
 * on its own line and exit 1. `node scripts/check-builder-config.mjs [path/to/electron-builder.yml]`.
 *
 * The YAML is read with js-yaml when node_modules has it (ESLint depends on it); otherwise with the
 * small parser below, which understands the subset the config uses (nested mappings, block lists,
 * quoted and plain scalars, comments).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const file = resolve(process.argv[2] ?? join(root, 'electron-builder.yml'))

function scalar(text) {
  const t = text.trim()
  if (/^".*"$/.test(t)) return JSON.parse(t)
  if (/^'.*'$/.test(t)) return t.slice(1, -1).replace(/''/g, "'")
  if (t === 'true' || t === 'false') return t === 'true'
  if (t === 'null' || t === '~' || t === '') return null
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t)
  return t
}

function stripComment(line) {
  let quote = null
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === quote) quote = null
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i)
  }
  return line
}

/** Minimal YAML: mappings and block sequences by indentation, scalars; throws with a line number. */
export function parseSimpleYaml(text) {
  const lines = text.split(/\r?\n/).map((raw, i) => ({ n: i + 1, raw: stripComment(raw).replace(/\s+$/, '') })).filter((l) => l.raw.trim() !== '')
  let pos = 0
  const indentOf = (l) => l.raw.length - l.raw.trimStart().length
  function block(indent) {
    const first = lines[pos]
    if (first.raw.trimStart().startsWith('- ') || first.raw.trim() === '-') {
      const list = []
      while (pos < lines.length && indentOf(lines[pos]) === indent && lines[pos].raw.trimStart().startsWith('-')) {
        const item = lines[pos].raw.trimStart().slice(1).trim()
        pos++
        if (item === '') list.push(block(indentOf(lines[pos])))
        else if (/^[^"'][^:]*:(\s|$)/.test(item)) throw new Error(`line ${lines[pos - 1].n}: mappings inside lists are not supported by the fallback parser`)
        else list.push(scalar(item))
      }
      return list
    }
    const map = {}
    while (pos < lines.length && indentOf(lines[pos]) === indent) {
      const l = lines[pos]
      const m = /^([^:]+):(?:\s+(.*))?$/.exec(l.raw.trim())
      if (!m) throw new Error(`line ${l.n}: expected "key: value", got "${l.raw.trim()}"`)
      pos++
      const key = m[1].trim()
      if (m[2] !== undefined && m[2] !== '') map[key] = scalar(m[2])
      else if (pos < lines.length && indentOf(lines[pos]) > indent) map[key] = block(indentOf(lines[pos]))
      else if (pos < lines.length && indentOf(lines[pos]) === indent && lines[pos].raw.trimStart().startsWith('-')) map[key] = block(indent)
      else map[key] = null
    }
    if (pos < lines.length && indentOf(lines[pos]) > indent) throw new Error(`line ${lines[pos].n}: unexpected indentation`)
    return map
  }
  return lines.length === 0 ? {} : block(indentOf(lines[0]))
}

async function parseYaml(text) {
  try {
    const yaml = await import('js-yaml')
    return { config: yaml.load(text), parser: 'js-yaml' }
  } catch (err) {
    if (err && err.code !== 'ERR_MODULE_NOT_FOUND') throw err
    return { config: parseSimpleYaml(text), parser: 'built-in' }
  }
}

/** A glob of electron-builder's kind (`**`, `*`, `?`, `{a,b}`) as an anchored RegExp. */
export function globToRegExp(glob) {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += glob[i + 2] === '/' ? 2 : 1
    } else if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '{') re += '(?:'
    else if (c === '}') re += ')'
    else if (c === ',') re += '|'
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

/**
 * Files of the native tfjs packages that must live outside app.asar for the packaged app to load
 * libtensorflow: the N-API binding and the shared library it links from deps/lib (Linux, macOS, Windows).
 */
export const NATIVE_TF_FILES = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'].flatMap((pkg) => [
  `node_modules/${pkg}/lib/napi-v8/tfjs_binding.node`,
  `node_modules/${pkg}/deps/lib/libtensorflow.so.2`,
  `node_modules/${pkg}/deps/lib/libtensorflow_framework.so.2`,
  `node_modules/${pkg}/deps/lib/libtensorflow.2.dylib`,
  `node_modules/${pkg}/deps/lib/tensorflow.dll`,
])

const asList = (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v])
const targetNames = (v) => asList(v).map((t) => (typeof t === 'string' ? t : t?.target)).filter(Boolean).map((t) => String(t).toLowerCase())

/** Every problem with the parsed config, as readable lines (empty when valid). */
export function checkConfig(config, baseDir) {
  const problems = []
  const need = (cond, message) => {
    if (!cond) problems.push(message)
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return ['the file is not a YAML mapping']
  need(typeof config.appId === 'string' && /^[\w-]+(\.[\w-]+)+$/.test(config.appId), 'appId must be a reverse-DNS string such as org.labelloop.desktop')
  need(typeof config.productName === 'string' && config.productName.length > 0, 'productName is missing')
  const buildResources = config.directories?.buildResources ?? 'build'
  need(existsSync(join(baseDir, buildResources)), `directories.buildResources "${buildResources}" does not exist`)

  const files = asList(config.files).map(String)
  need(files.some((f) => /^out\/\*\*/.test(f)), 'files must include the built app (out/**)')
  need(files.includes('package.json'), 'files must include package.json')
  need(!files.some((f) => /^node_modules\/\*\*/.test(f)), 'files must not add all of node_modules (electron-builder adds production dependencies itself)')

  const unpack = asList(config.asarUnpack).map(String)
  need(config.asar !== false, 'asar must stay on (native modules are unpacked via asarUnpack)')
  for (const mod of ['better-sqlite3', 'sharp', '@img', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
    need(unpack.some((p) => p.startsWith(`node_modules/${mod}/`)), `asarUnpack must unpack node_modules/${mod}/** (native module)`)
  }
  need(unpack.includes('**/*.node'), 'asarUnpack should unpack every **/*.node addon')
  const unpackRes = unpack.map(globToRegExp)
  const excludeRes = files.filter((f) => f.startsWith('!')).map((f) => globToRegExp(f.slice(1)))
  for (const file of NATIVE_TF_FILES) {
    need(unpackRes.some((re) => re.test(file)), `asarUnpack must unpack ${file} (libtensorflow cannot be loaded from inside app.asar)`)
    need(!excludeRes.some((re) => re.test(file)), `files must not exclude ${file}`)
  }
  need(config.npmRebuild === false, 'npmRebuild must be false: the native modules are N-API prebuilds (see the comment in the config)')

  const platforms = [
    ['linux', ['appimage', 'deb']],
    ['win', ['nsis']],
    ['mac', ['dmg']],
  ]
  for (const [platform, targets] of platforms) {
    const section = config[platform]
    if (!section || typeof section !== 'object') {
      problems.push(`${platform} section is missing`)
      continue
    }
    const have = targetNames(section.target)
    for (const t of targets) need(have.includes(t), `${platform}.target must include ${t}`)
    const icon = section.icon
    if (typeof icon !== 'string') problems.push(`${platform}.icon is missing`)
    else need(existsSync(join(baseDir, icon)), `${platform}.icon "${icon}" does not exist`)
  }
  for (const [key, magic] of [['win', [0, 0, 1, 0]], ['mac', [0x69, 0x63, 0x6e, 0x73]], ['linux', [0x89, 0x50, 0x4e, 0x47]]]) {
    const icon = config[key]?.icon
    if (typeof icon !== 'string' || !existsSync(join(baseDir, icon))) continue
    const head = readFileSync(join(baseDir, icon)).subarray(0, 4)
    need(magic.every((b, i) => head[i] === b), `${key}.icon "${icon}" is not a ${key === 'win' ? 'ICO' : key === 'mac' ? 'ICNS' : 'PNG'} file`)
  }
  return problems
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  if (!existsSync(file)) {
    console.error(`check-builder-config: ${file}: no such file`)
    process.exit(1)
  }
  let parsed
  try {
    parsed = await parseYaml(readFileSync(file, 'utf8'))
  } catch (err) {
    console.error(`check-builder-config: ${file}: not valid YAML (${err.message.split('\n')[0]})`)
    process.exit(1)
  }
  const problems = checkConfig(parsed.config, dirname(file))
  if (problems.length > 0) {
    for (const p of problems) console.error(`check-builder-config: ${file}: ${p}`)
    process.exit(1)
  }
  console.log(`check-builder-config: ${file} is valid (parsed with ${parsed.parser})`)
}
