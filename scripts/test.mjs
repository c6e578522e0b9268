// `npm test`: typecheck, lint, dependency rule, OpenAPI lint, unit and route tests on PGlite, the same
// suite on PostgreSQL when TEST_DATABASE_URL is set, and the browser journeys when chromium
// is present. Whatever it skips, it says so in one line. Ends with "N passed, N failed".
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const results = path.join(root, '.tmp', 'test-results')
fs.mkdirSync(results, { recursive: true })

let passed = 0
let failed = 0
let skipped = 0
const failures = []

function step(name, cmd, args, env = {}) {
  console.log(`\n▶ ${name}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (r.status !== 0) {
    failures.push(name)
    return false
  }
  return true
}

function vitest(name, projects, env = {}) {
  const out = path.join(results, `${name.replace(/\W+/g, '-')}.json`)
  fs.rmSync(out, { force: true })
  step(
    name,
    bin('vitest'),
    [
      'run',
      ...[projects].flat().flatMap((p) => ['--project', p]),
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
    ],
    env,
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

if (step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']))
  step('typecheck web', bin('tsc'), ['-p', 'web/tsconfig.json', '--noEmit'])
step('lint', bin('eslint'), ['.'])
step('format', bin('prettier'), ['--check', '.', '--log-level', 'warn'])
step('dependency rule', process.execPath, ['scripts/check-deps.mjs'])
// /api/openapi.json of an in-process app, linted offline with redocly's recommended rules.
const offline = { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }
if (
  step('OpenAPI document', process.execPath, [
    '--import',
    'tsx',
    'scripts/openapi.ts',
    '.tmp/openapi.json',
  ])
) {
  step(
    'OpenAPI lint',
    bin('redocly'),
    ['lint', '.tmp/openapi.json', '--config', 'redocly.yaml', '--format=summary'],
    offline,
  )
}
if (!fs.existsSync('/usr/bin/soffice'))
  console.log(
    '\n⚠ SKIPPED: imports of LibreOffice-written .xlsx (apt-get install -y --no-install-recommends libreoffice-calc)',
  )
vitest('unit and route tests on PGlite', ['unit', 'process'])

if (process.env.TEST_DATABASE_URL)
  vitest('route tests on PostgreSQL', ['unit', 'process'], { TEST_ENGINE: 'postgres' })
else
  console.log(
    '\n⚠ SKIPPED: route tests on PostgreSQL (set TEST_DATABASE_URL=postgres://… to run them)',
  )

if (fs.existsSync(chromium)) {
  if (
    step('build web', process.execPath, [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'web/vite.config.ts',
      '--logLevel',
      'warn',
    ])
  ) {
    vitest('browser journeys', 'e2e')
  }
} else
  console.log(
    `\n⚠ SKIPPED: browser journeys (no chromium at ${chromium}; apt-get install -y chromium)`,
  )

console.log('')
if (failures.length) console.log(`failed steps: ${[...new Set(failures)].join(', ')}`)
if (failures.length && failed === 0) failed = failures.length
console.log(`weiguang: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failures.length ? 1 : 0)
