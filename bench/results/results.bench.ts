/**
 * bench/results: a lab's results for 250,000 tubes (2.5 M people at 10-in-1) with 1 % positive
 * pools, through the same ingestResults the lab API and the file upload use, in requests of
 * 50,000 rows: tubes resolved, members cleared, every member of a positive pool put under
 * recheck with an order and under temporary control (a measure), alerts raised per grid.
 * Target: under 60 s on PostgreSQL.
 * The pooled-positive burst of issue 10 (2,500 positive tubes, 25,000 people into temporary
 * control with recheck orders and alerts, target under 10 s on PostgreSQL):
 *   BENCH_RESIDENTS=100000 BENCH_TUBES=2500 BENCH_POSITIVE_EVERY=1 DATABASE_URL=… npx tsx bench/results/results.bench.ts
 *   DATABASE_URL=postgres://…/empty_db npx tsx bench/results/results.bench.ts
 *   npx tsx bench/results/results.bench.ts                        (PGlite)
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
import { ingestResults, type ResultIn } from '../../src/testing/results.service.js'
import { demoStreet, sampledRound } from '../testing-fixtures.js'

const N = Number(process.env.BENCH_RESIDENTS ?? 1_000_000)
const TUBES = Number(process.env.BENCH_TUBES ?? 250_000)
const PER_REQUEST = 50_000
/** Every Nth tube of the lab's file is positive (100: 1 %; 1: all of them). */
const POSITIVE_EVERY = Number(process.env.BENCH_POSITIVE_EVERY ?? 100)
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-bench-results-'))
installPermissions()
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: engine === 'pglite' ? path.join(tmp, 'data') : undefined })
await runMigrations(database)
const db = database.db
const street = await demoStreet(database, keyringFromMasters([crypto.randomBytes(32)], 'bench'), N, 9)

// Rounds over the street until there are TUBES tubes of ten (the same people sampled in several rounds).
const codes: string[] = []
for (let k = 1; codes.length < TUBES; k++) {
  // A little more than needed (the hash pick is approximate); the surplus tubes get no result.
  const wanted = Math.min(1, ((TUBES - codes.length) * 10 * 1.02) / N)
  process.stderr.write(`round ${k}: sampling ${Math.round(wanted * 100)} % of the street…\n`)
  const r = await sampledRound(database, street, `bench ${k}`, wanted, `R${k}`)
  const found = await rows<{ code: string }>(db, sql`select code from tube where round_id = ${r.id} order by code`)
  codes.push(...found.map((t) => t.code).slice(0, TUBES - codes.length))
}
const [people] = await rows<{ n: number }>(db, sql`select count(*)::int as n from specimen s join tube t on t.id = s.tube_id where t.code = any(${sql.param(codes)}::text[])`)

// The lab's file: one row per tube, every POSITIVE_EVERY-th positive.
const results: ResultIn[] = codes.map((tubeCode, i) => ({ rowNo: i + 2, tubeCode, result: i % POSITIVE_EVERY === 0 ? '阳性' : '阴性' }))
process.stderr.write(`importing ${results.length} results for ${people!.n} people…\n`)
const t0 = performance.now()
const totals = { applied: 0, rechecksOrdered: 0, poolPositiveTubes: 0, cleared: 0 }
for (let i = 0; i < results.length; i += PER_REQUEST) {
  const r = await db.transaction((tx) => ingestResults(tx, 'bench-lab', results.slice(i, i + PER_REQUEST)))
  totals.applied += r.applied
  totals.rechecksOrdered += r.rechecksOrdered
  totals.poolPositiveTubes += r.poolPositiveTubes
  totals.cleared += r.cleared
}
const secs = (performance.now() - t0) / 1000
const [orders] = await rows<{ n: number }>(db, sql`select count(*)::int as n from recheck_order`)
const [alerts] = await rows<{ n: number }>(db, sql`select count(*)::int as n from alert where kind = 'testing.pool_positive'`)
const [controlled] = await rows<{ n: number }>(db, sql`select count(*)::int as n from measure where category = 'temporary_control' and status = 'active'`)

console.log(`bench/results ${new Date().toISOString()} ${os.cpus().length}× ${os.cpus()[0]?.model} node ${process.version} engine ${engine === 'postgres' ? 'PostgreSQL 15' : 'PGlite'}`)
console.log(`| tubes | people | positive pools | recheck orders | under temporary control | people cleared | seconds | tubes/s |`)
console.log(`| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`)
console.log(`| ${totals.applied} | ${people!.n} | ${totals.poolPositiveTubes} | ${orders!.n} | ${controlled!.n} | ${totals.cleared} | ${secs.toFixed(1)} | ${Math.round(totals.applied / secs)} |`)
console.log(`${alerts!.n} pool-positive alerts (one per grid and request); target < 60 s on PostgreSQL`)
await database.close()
fs.rmSync(tmp, { recursive: true, force: true })
