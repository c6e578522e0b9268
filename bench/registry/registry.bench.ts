/**
 * bench/registry: with N residents (default 1,000,000) from the demo city, time a grid
 * worker's first list page, a phone-tail search and a name search (and the same at street
 * level for comparison); p50/p95 over 200 runs each; EXPLAIN ANALYZE saved beside the figures.
 *   npx tsx bench/registry/registry.bench.ts                       (PGlite, fresh temp dir)
 *   DATABASE_URL=postgres://…/empty_db npx tsx bench/registry/registry.bench.ts
 *   BENCH_RESIDENTS=200000 …
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { openDatabase, rows } from '../../src/core/db/db.js'
import { installPermissions } from '../../src/permissions.js'
import { runMigrations } from '../../src/core/db/migrate.js'
import { keyringFromMasters } from '../../src/core/pii/keyring.js'
import { systemActor, type Actor } from '../../src/core/auth/actor.js'
import { generateDemoCity } from '../../src/demo/demo.service.js'
import { listResidents } from '../../src/registry/registry.service.js'
import { decryptValue } from '../../src/core/pii/crypto.js'

const N = Number(process.env.BENCH_RESIDENTS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 200)
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const dataDir =
  engine === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'wg-bench-registry-')) : undefined

let capture: { text: string; params: unknown[] } | null = null
let capturing = false
installPermissions()
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir,
  logQuery: (text, params) => {
    if (capturing) capture = { text, params }
  },
})
await runMigrations(database)
const ring = keyringFromMasters([crypto.randomBytes(32)], 'bench')

const t0 = performance.now()
const summary = await generateDemoCity(database, ring, {
  residents: N,
  seed: 1,
  onProgress: (s, n) => process.stderr.write(`  ${s} ${n}\n`),
})
const loadSecs = (performance.now() - t0) / 1000

const [grid] = await rows<{ path: string; n: number }>(
  database.db,
  sql`select d.path, count(r.*)::int as n from division d join resident r on r.grid_path = d.path where d.level = 'grid' group by d.path order by d.path limit 1`,
)
const [street] = await rows<{ path: string }>(
  database.db,
  sql`select path from division where level = 'street'`,
)
const gridWorker: Actor = { ...systemActor('bench'), role: 'grid_worker', scopePaths: [grid!.path] }
const command: Actor = { ...systemActor('bench'), role: 'command', scopePaths: [street!.path] }
const [someone] = await rows<{ phone_enc: string; name_initials: string; name: string }>(
  database.db,
  sql`select phone_enc, name_initials, name from resident where grid_path = ${grid!.path} and phone_enc is not null limit 1 offset 100`,
)
const phoneTail = decryptValue(ring, someone!.phone_enc).slice(-4)
const surname = someone!.name.slice(0, 1)

interface Case {
  name: string
  run: () => Promise<unknown>
}
const cases: Case[] = [
  {
    name: 'grid worker: first page (50)',
    run: () => listResidents(database.db, ring, gridWorker, { status: 'active', limit: 50 }),
  },
  {
    name: `grid worker: phone tail "${phoneTail}"`,
    run: () =>
      listResidents(database.db, ring, gridWorker, { status: 'active', limit: 50, q: phoneTail }),
  },
  {
    name: `grid worker: pinyin initials "${someone!.name_initials}"`,
    run: () =>
      listResidents(database.db, ring, gridWorker, {
        status: 'active',
        limit: 50,
        q: someone!.name_initials,
      }),
  },
  {
    name: `grid worker: name contains "${surname}"`,
    run: () =>
      listResidents(database.db, ring, gridWorker, { status: 'active', limit: 50, q: surname }),
  },
  {
    name: 'street command: first page (50)',
    run: () => listResidents(database.db, ring, command, { status: 'active', limit: 50 }),
  },
  {
    name: `street command: phone tail "${phoneTail}"`,
    run: () =>
      listResidents(database.db, ring, command, { status: 'active', limit: 50, q: phoneTail }),
  },
  {
    name: `street command: pinyin initials "${someone!.name_initials}"`,
    run: () =>
      listResidents(database.db, ring, command, {
        status: 'active',
        limit: 50,
        q: someone!.name_initials,
      }),
  },
]

const pct = (xs: number[], p: number): number =>
  xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const results: string[] = []
const plans: string[] = []
for (const c of cases) {
  for (let i = 0; i < 20; i++) await c.run()
  const times: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now()
    await c.run()
    times.push(performance.now() - s)
  }
  times.sort((a, b) => a - b)
  results.push(
    `| ${c.name} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${pct(times, 99).toFixed(1)} |`,
  )
  capturing = true
  await c.run()
  capturing = false
  const q = capture as { text: string; params: unknown[] } | null
  if (q) {
    const plan = await database.raw<Record<string, string>>(
      `explain (analyze, buffers) ${q.text}`,
      q.params,
    )
    plans.push(`## ${c.name}\n\n${q.text}\n\n${plan.map((r) => Object.values(r)[0]).join('\n')}\n`)
  }
}

const label = engine === 'postgres' ? 'PostgreSQL 15' : 'PGlite'
const out = [
  `bench/registry ${new Date().toISOString()} ${os.cpus().length}× ${os.cpus()[0]?.model} node ${process.version} engine ${label}`,
  `demo city: ${summary.residents} residents, ${summary.households} households, ${summary.grids} grids; loaded in ${loadSecs.toFixed(1)} s (${Math.round(summary.residents / loadSecs)} residents/s incl. encryption); grid of the grid worker: ${grid!.n} residents`,
  `| query | p50 ms | p95 ms | p99 ms |`,
  `| --- | ---: | ---: | ---: |`,
  ...results,
].join('\n')
console.log(out)
const planFile = path.join(import.meta.dirname, `plans-${engine}.md`)
fs.writeFileSync(
  planFile,
  `# Query plans, ${label}, ${summary.residents} residents (${new Date().toISOString().slice(0, 10)})\n\n${plans.join('\n')}`,
)
console.log(`plans: ${path.relative(process.cwd(), planFile)}`)
await database.close()
if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
