// `npm test`: typecheck, lint, dependency rule, OpenAPI lint, unit and route tests on PGlite, the same
// suite on PostgreSQL when TEST_DATABASE_URL is set, and the browser journeys when chromium
// is present. Whatever it skips, it says so in one line. Ends with "N passed, N failed".
//
// Two lanes run side by side: the checks then the route suites on PGlite and on PostgreSQL; the
// web build then the browser journeys (one browser and one server at a time). Each step's
// output is printed in one piece when it ends, with its time. A third lane (the PostgreSQL
// suite on its own) was slower on a busy 2-core machine: 766 s against 686 s (bench/RESULTS.md).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const results = path.join(root, '.tmp', 'test-results')
fs.mkdirSync(results, { recursive: true })
const began = Date.now()

let passed = 0
let failed = 0
let skipped = 0
const failures = []
const timings = []

/** Runs one step; resolves true when it exits 0. Its output is printed when it ends. */
function step(name, cmd, args, env = {}) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env } })
    let out = ''
    child.stdout.on('data', (b) => (out += b))
    child.stderr.on('data', (b) => (out += b))
    child.on('error', (err) => (out += `\n${err.message}`))
    child.on('close', (code) => {
      const secs = Math.round((Date.now() - started) / 1000)
      timings.push(`${name} ${secs} s`)
      console.log(`\n▶ ${name} (${secs} s)${out.trim() ? `\n${out.trimEnd()}` : ''}`)
      if (code !== 0 && !failures.includes(name)) failures.push(name)
      resolve(code === 0)
    })
  })
}

async function vitest(name, projects, env = {}) {
  const out = path.join(results, `${name.replace(/\W+/g, '-')}.json`)
  fs.rmSync(out, { force: true })
  await step(
    name,
    bin('vitest'),
    [
      'run',
      ...[projects].flat().flatMap((p) => ['--project', p]),
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
    ],
    // Colours, as when vitest writes to a terminal; the output is printed when the step ends.
    { FORCE_COLOR: process.stdout.isTTY ? '1' : '0', ...env },
  )
  if (!fs.existsSync(out)) {
    failed++
    if (!failures.includes(name)) failures.push(name)
    return
  }
  const r = JSON.parse(fs.readFileSync(out, 'utf8'))
  passed += r.numPassedTests
  failed += r.numFailedTests
  skipped += r.numPendingTests + r.numTodoTests
  // step() has already named it when vitest exited non-zero: each step is named once.
  if ((r.numFailedTests > 0 || !r.success) && !failures.includes(name)) failures.push(name)
}

const skips = []
if (!fs.existsSync('/usr/bin/soffice'))
  skips.push(
    'imports of LibreOffice-written .xlsx (apt-get install -y --no-install-recommends libreoffice-calc)',
  )
if (!process.env.TEST_DATABASE_URL)
  skips.push('route tests on PostgreSQL (set TEST_DATABASE_URL=postgres://… to run them)')
if (!fs.existsSync(chromium))
  skips.push(`browser journeys (no chromium at ${chromium}; apt-get install -y chromium)`)
for (const s of skips) console.log(`\n⚠ SKIPPED: ${s}`)

const offline = { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }

/** The checks that read the tree, side by side, then the route suites on each engine. */
async function checksAndSuites() {
  await Promise.all([
    step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']),
    step('typecheck web', bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit']),
    step('lint', bin('eslint'), ['.']),
    step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn']),
    step('dependency rule', process.execPath, ['scripts/check-deps.mjs']),
    // /api/openapi.json of an in-process app, linted offline with redocly's recommended rules.
    step('OpenAPI document', process.execPath, [
      '--import',
      'tsx',
      'scripts/openapi.ts',
      '.tmp/openapi.json',
    ]).then(
      (ok) =>
        ok &&
        step(
          'OpenAPI lint',
          bin('redocly'),
          ['lint', '.tmp/openapi.json', '--config', 'redocly.yaml', '--format=summary'],
          offline,
        ),
    ),
  ])
  await vitest('unit and route tests on PGlite', ['unit', 'process'])
  if (process.env.TEST_DATABASE_URL)
    await vitest('route tests on PostgreSQL', ['unit', 'process'], { TEST_ENGINE: 'postgres' })
}

/** The web app built as `npm start` serves it, then the journeys in a browser. */
async function journeys() {
  if (!fs.existsSync(chromium)) return
  const built = await step('build web', process.execPath, [
    path.join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    'web/vite.config.ts',
    '--logLevel',
    'warn',
  ])
  if (built) await vitest('browser journeys', 'e2e')
}

await Promise.all([checksAndSuites(), journeys()])

console.log('')
console.log(`steps: ${timings.join(', ')}; ${Math.round((Date.now() - began) / 1000)} s in all`)
if (failures.length) console.log(`failed steps: ${failures.join(', ')}`)
if (failures.length && failed === 0) failed = failures.length
console.log(`weiguang: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failures.length ? 1 : 0)
