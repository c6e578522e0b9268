/**
 * bench/missed: the missed-test list of a 1,000,000-resident street, counted by grid (the query
 * the round page and the grid workers' lists run), against a hand-written anti-join of the same
 * data, in one run; plus the first page of the list at street level. 70 % sampled, 1 % excused.
 *   npx tsx bench/missed/missed.bench.ts                        (PGlite)
 *   DATABASE_URL=postgres://…/empty_db npx tsx bench/missed/missed.bench.ts
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql, type SQL } from 'drizzle-orm'
import { openDatabase, rows } from '../../src/core/db/db.js'
import { installPermissions } from '../../src/permissions.js'
import { runMigrations } from '../../src/core/db/migrate.js'
import { keyringFromMasters } from '../../src/core/pii/keyring.js'
import type { Actor } from '../../src/core/auth/actor.js'
import {
  findRound,
  missedCountsByGrid,
  missedCountsSql,
  roundDays,
} from '../../src/testing/testing.repo.js'
import { missedPage } from '../../src/testing/missed.repo.js'
import { demoStreet, percentile, sampledRound } from '../testing-fixtures.js'

const N = Number(process.env.BENCH_RESIDENTS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 30)
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-bench-missed-'))
installPermissions()
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: engine === 'pglite' ? path.join(tmp, 'data') : undefined,
})
await runMigrations(database)
const db = database.db
const street = await demoStreet(
  database,
  keyringFromMasters([crypto.randomBytes(32)], 'bench'),
  N,
  5,
)
const { id: roundId, specimens } = await sampledRound(database, street, 'bench', 0.7, 'M')
await db.execute(sql`insert into missed_reason (round_id, resident_id, reason, excludes, recorded_by)
  select ${roundId}, r.id, 'away', true, 'bench' from resident r
  where not exists (select 1 from specimen s where s.round_id = ${roundId} and s.resident_id = r.id) and abs(hashtext(r.id::text)) % 100 < 3`)
await db.execute(sql`analyze`)
const round = (await findRound(db, roundId))!

// The street's command sees the whole street: the same scope predicate as a request of theirs.
const command: Actor = {
  userId: null,
  username: 'bench',
  displayName: 'bench',
  role: 'command',
  scopePaths: [street.path],
  ip: null,
  sessionId: null,
  breakGlassReason: null,
}
const like = street.path + '%'
const handWritten = sql`select r.grid_path, count(*)::int as missed
  from resident r
  left join specimen s on s.round_id = ${roundId} and s.resident_id = r.id
  left join missed_reason m on m.round_id = ${roundId} and m.resident_id = r.id and m.excludes
  where r.status = 'active' and r.grid_path like ${like} and s.id is null and m.resident_id is null
  group by r.grid_path`

async function time(
  fn: () => Promise<unknown>,
): Promise<{ p50: number; p95: number; result: unknown }> {
  let result: unknown
  for (let i = 0; i < 3; i++) result = await fn()
  const ms: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    result = await fn()
    ms.push(performance.now() - t0)
  }
  ms.sort((a, b) => a - b)
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), result }
}

// A grid worker: the same queries under one grid's scope (their daily view).
const [grid] = await rows<{ path: string }>(
  db,
  sql`select path from division where level = 'grid' order by code limit 1`,
)
const worker: Actor = { ...command, role: 'grid_worker', scopePaths: [grid!.path] }

const app = await time(() => missedCountsByGrid(db, round, command))
const hand = await time(() => rows(db, handWritten))
const page = await time(() =>
  missedPage(db, roundDays(round), command, { limit: 51, view: 'missed' }),
)
const gridCounts = await time(() => missedCountsByGrid(db, round, worker))
const gridPage = await time(() =>
  missedPage(db, roundDays(round), worker, { limit: 51, view: 'missed' }),
)
const appTotal = (app.result as { missed: number }[]).reduce((a, g) => a + g.missed, 0)
const handTotal = (hand.result as { missed: number }[]).reduce((a, g) => a + g.missed, 0)
if (appTotal !== handTotal) throw new Error(`the two queries disagree: ${appTotal} vs ${handTotal}`)

// The plans, saved beside the figures.
const explain = async (q: SQL): Promise<string> =>
  (await rows<Record<string, string>>(db, sql`explain (analyze, buffers, costs off) ${q}`))
    .map((r) => Object.values(r)[0])
    .join('\n')
const appSql = missedCountsSql(round, command)
fs.writeFileSync(
  path.join(import.meta.dirname, `plans-${engine}.md`),
  `# bench/missed plans (${engine}, ${N} residents, ${new Date().toISOString().slice(0, 10)})\n\n## missed counts by grid (the app's query)\n\n\`\`\`\n${await explain(appSql)}\n\`\`\`\n\n## hand-written anti-join\n\n\`\`\`\n${await explain(handWritten)}\n\`\`\`\n`,
)

console.log(
  `bench/missed ${new Date().toISOString()} ${os.cpus().length}× ${os.cpus()[0]?.model} node ${process.version} engine ${engine === 'postgres' ? 'PostgreSQL 15' : 'PGlite'}`,
)
console.log(
  `${N} residents, ${specimens} sampled, ${appTotal} missed in ${(app.result as unknown[]).length} grids; ${RUNS} runs each`,
)
console.log(`| query | p50 ms | p95 ms |`)
console.log(`| --- | ---: | ---: |`)
console.log(
  `| missed counts by grid, street scope (the app's query) | ${app.p50.toFixed(1)} | ${app.p95.toFixed(1)} |`,
)
console.log(
  `| hand-written anti-join, same data | ${hand.p50.toFixed(1)} | ${hand.p95.toFixed(1)} |`,
)
console.log(
  `| first page of the missed list, street scope (50 rows) | ${page.p50.toFixed(1)} | ${page.p95.toFixed(1)} |`,
)
console.log(
  `| missed count, one grid worker's scope | ${gridCounts.p50.toFixed(1)} | ${gridCounts.p95.toFixed(1)} |`,
)
console.log(
  `| first page of the missed list, one grid worker's scope | ${gridPage.p50.toFixed(1)} | ${gridPage.p95.toFixed(1)} |`,
)
console.log(
  `ratio ${(app.p50 / hand.p50).toFixed(2)}× the hand-written query (target ≤ 1.5×, and < 500 ms on PostgreSQL)`,
)
await database.close()
fs.rmSync(tmp, { recursive: true, force: true })
