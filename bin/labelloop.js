#!/usr/bin/env node
// The `labelloop` command (package.json "bin"; `npx labelloop` from the repo). Plain ESM JavaScript so it
// runs before anything is compiled: it makes sure Node 22+ runs the CLI (better-sqlite3 13 needs it),
// re-executing itself with the Node 22 binary of the `node` npm package when the current Node is older,
// and then runs main/cli/index.ts through tsx. Works from any working directory. The re-executed child gets
// this process's signals and stops when this process's parent goes away (see lifetime.js).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { superviseChild } from './lifetime.js'

const MIN_MAJOR = 22
const self = fileURLToPath(import.meta.url)
const root = dirname(dirname(self))

function findNode22() {
  const candidates = [
    join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node'),
    join(root, 'node_modules', 'node', 'bin', 'node'),
  ]
  return candidates.find((p) => existsSync(p))
}

function reexec(node) {
  const child = spawn(node, [self, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, LABELLOOP_REEXEC: '1' } })
  child.on('error', (err) => {
    process.stderr.write(`labelloop: ${node}: cannot start Node ${MIN_MAJOR}: ${err.message}\n`)
    process.exit(1)
  })
  superviseChild(child)
}

const major = Number(process.versions.node.split('.')[0])
if (major < MIN_MAJOR) {
  const node = process.env.LABELLOOP_REEXEC ? undefined : findNode22()
  if (!node) {
    process.stderr.write(
      `labelloop: Node ${MIN_MAJOR} or newer is needed (this is ${process.version}); run \`npm install\` in ${root}, which installs it as the \`node\` package\n`,
    )
    process.exit(1)
  }
  reexec(node)
} else {
  const { register } = await import('tsx/esm/api')
  register({ tsconfig: join(root, 'tsconfig.node.json') })
  await import(pathToFileURL(join(root, 'main', 'cli', 'index.ts')).href)
}
