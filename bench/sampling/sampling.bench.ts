/**
 * bench/sampling: sustained scan ingest through the HTTP batch API (POST /api/rounds/:id/scans,
 * as sampling devices send it: several lanes at once, batches of scans, 10 swabs a tube),
 * against a raw COPY of the same specimen rows into an index-free table of the same engine, in
 * one run. The server runs in its own process, as in production.
 *   npx tsx bench/sampling/sampling.bench.ts                       (PGlite)
 *   DATABASE_URL=postgres://…/empty_db npx tsx bench/sampling/sampling.bench.ts
 * Knobs: BENCH_RESIDENTS (default 300,000: the scans are the first community's people),
 * BENCH_LANES (4), BENCH_BATCH (100 scans per request).
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
import { DEMO_PASSWORD, generateDemoCity } from '../../src/demo/demo.service.js'
import { startServer } from '../../e2e/harness.js'

const N = Number(process.env.BENCH_RESIDENTS ?? 300_000)
const LANES = Number(process.env.BENCH_LANES ?? 4)
const BATCH = Number(process.env.BENCH_BATCH ?? 100)
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-bench-sampling-'))
const dataDir = path.join(tmp, 'data')
const secret = crypto.randomBytes(32).toString('base64')

// The demo city, with a code for everyone; the scans are the first community's residents.
installPermissions()
let database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: engine === 'pglite' ? dataDir : undefined,
})
await runMigrations(database)
process.stderr.write(`generating a demo city of ${N} residents…\n`)
await generateDemoCity(database, keyringFromMasters([Buffer.from(secret, 'base64')], 'bench'), {
  residents: N,
  seed: 11,
})
const [community] = await rows<{ id: string; path: string }>(
  database.db,
  sql`select id, path from division where level = 'community' order by code limit 1`,
)
const tokens = (
  await rows<{ token: string }>(
    database.db,
    sql`select c.token from resident_code c join resident r on r.id = c.resident_id where r.grid_path like ${community!.path + '%'} and c.revoked_at is null order by r.grid_path, r.sort_key`,
  )
).map((r) => r.token)
await database.close()

const server = await startServer({
  dataDir: engine === 'pglite' ? dataDir : undefined,
  env: {
    WEIGUANG_SKIP_WEB_BUILD: '1',
    LOG_LEVEL: 'warn',
    WEIGUANG_SECRET_KEY: secret,
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  },
  // BENCH_PROFILE=dir writes a V8 CPU profile of the server there.
  nodeArgs: process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [],
})
const url = server.url
async function login(username: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  })
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`)
  return {
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    csrf: ((await res.json()) as { csrfToken: string }).csrfToken,
  }
}
async function post<T>(s: { cookie: string; csrf: string }, p: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

const lead = await login('demo-lead')
const round = await post<{ id: string }>(lead, '/api/rounds', {
  name: 'bench',
  kind: 'area',
  divisionIds: [community!.id],
  deadline: new Date(Date.now() + 20 * 3_600_000).toISOString(),
  poolSize: 10,
})
const sampler = await login('demo-sampler')

// Each lane is one device: its share of the people, ten to a tube, sent BATCH scans at a time.
const perLane = Math.ceil(tokens.length / LANES)
let accepted = 0
let other = 0
const t0 = performance.now()
await Promise.all(
  Array.from({ length: LANES }, async (_, lane) => {
    const mine = tokens.slice(lane * perLane, (lane + 1) * perLane)
    const at = new Date().toISOString()
    for (let i = 0; i < mine.length; i += BATCH) {
      const scans = mine.slice(i, i + BATCH).map((token, j) => ({
        clientId: `b${lane}-${i + j}-${round.id.slice(0, 8)}`,
        person: token,
        tube: `L${lane}-${String(Math.floor((i + j) / 10)).padStart(6, '0')}`,
        scannedAt: at,
      }))
      const { results } = await post<{ results: { status: string }[] }>(
        sampler,
        `/api/rounds/${round.id}/scans`,
        { scans },
      )
      for (const r of results) {
        if (r.status === 'accepted') accepted++
        else other++
      }
    }
  }),
)
const scanSecs = (performance.now() - t0) / 1000
await server.stop()

// Baseline: the same specimen rows, COPYed into a table of the same columns without indexes.
database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: engine === 'pglite' ? dataDir : undefined,
})
const cols = [
  'id',
  'client_id',
  'round_id',
  'tube_id',
  'resident_id',
  'grid_path',
  'site_id',
  'sampler_name',
  'specimen_type',
  'scanned_at',
  'received_at',
  'out_of_scope',
  'repeat',
  'state',
  'recheck_order_id',
]
const specimens = await rows<Record<string, unknown>>(
  database.db,
  sql.raw(`select ${cols.join(', ')} from specimen`),
)
await database.db.execute(sql`create table bench_specimen_raw (like specimen)`)
const c0 = performance.now()
await database.bulk.copyRows(
  'bench_specimen_raw',
  cols,
  specimens.map((s) => cols.map((c) => s[c] as string | null)),
)
const copySecs = (performance.now() - c0) / 1000
const [check] = await rows<{ n: number; tubes: number }>(
  database.db,
  sql`select count(*)::int as n, count(distinct tube_id)::int as tubes from specimen where round_id = ${round.id}`,
)
if (engine === 'postgres') await database.db.execute(sql`drop table bench_specimen_raw`)
await database.close()

const rate = accepted / scanSecs
const copyRate = specimens.length / copySecs
console.log(
  `bench/sampling ${new Date().toISOString()} ${os.cpus().length}× ${os.cpus()[0]?.model} node ${process.version} engine ${engine === 'postgres' ? 'PostgreSQL 15' : 'PGlite'}`,
)
console.log(`| run | rows | seconds | rows/s |`)
console.log(`| --- | ---: | ---: | ---: |`)
console.log(
  `| scans through HTTP (${LANES} lanes, ${BATCH} a request, 10-in-1) | ${accepted} | ${scanSecs.toFixed(1)} | ${Math.round(rate)} |`,
)
console.log(
  `| raw COPY of the same specimen rows, no indexes | ${specimens.length} | ${copySecs.toFixed(2)} | ${Math.round(copyRate)} |`,
)
console.log(
  `ratio ${((rate / copyRate) * 100).toFixed(1)}% of raw COPY (PostgreSQL target ≥ 40%; PGlite target ≥ 5,000 scans/s); ${other} scans not accepted; specimens ${check!.n} in ${check!.tubes} tubes`,
)
fs.rmSync(tmp, { recursive: true, force: true })
