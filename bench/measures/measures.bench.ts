/**
 * bench/measures: today's duties and release eligibility of 100,000 people under measures — who
 * owes a test today (and has been swabbed), whose check-in is missing, who is due for release —
 * recomputed by the set-based statements the home indicators and the boards run (one statement
 * for the whole scope, from the test days and check-in window each measure stores), on a demo
 * street with a sampled round today and half of the morning check-ins in.
 *   npx tsx bench/measures/measures.bench.ts                        (PGlite)
 *   DATABASE_URL=postgres://…/empty_db npx tsx bench/measures/measures.bench.ts
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
import type { Actor } from '../../src/core/auth/actor.js'
import { addDays, localDate } from '../../src/core/clock.js'
import { profileSection } from '../../src/policy/policy.service.js'
import { measuresSection, type MeasureCategory } from '../../src/measures/measures.profile.js'
import { dutyColumns, planMeasure } from '../../src/measures/measures.rules.js'
import { dutyDay } from '../../src/measures/measures.service.js'
import { boardPage, indicatorRows, type IndicatorRow } from '../../src/measures/measures.repo.js'
import { demoStreet, percentile, sampledRound } from '../testing-fixtures.js'

const N = Number(process.env.BENCH_RESIDENTS ?? 120_000)
const MEASURES = Number(process.env.BENCH_MEASURES ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 10)
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-bench-measures-'))
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
  7,
)
// A round today: 30 % of the street swabbed three hours ago.
const { specimens } = await sampledRound(database, street, 'bench', 0.3, 'MB')

// Measures: categories of v9 with anchors over the last ten days, planned as the service plans them.
process.stderr.write(`starting ${MEASURES} measures…\n`)
const { profile, settings } = await profileSection(db, 'measures', measuresSection)
const today = localDate(new Date())
const categories: MeasureCategory[] = [
  'close_contact',
  'secondary_contact',
  'high_risk_area',
  'medium_risk_area',
  'temporary_control',
]
const combos = categories.flatMap((category) =>
  Array.from({ length: 10 }, (_, back) => ({ category, anchorDate: addDays(today, -back) })),
)
const [{ n: population } = { n: 0 }] = await rows<{ n: number }>(
  db,
  sql`select count(*)::int as n from resident where status = 'active' and household_id is not null`,
)
if (population < MEASURES) throw new Error(`${population} residents, fewer than ${MEASURES}`)
const cut = Math.ceil((MEASURES / population) * 10000)
await db.execute(
  sql`create table bench_measure_pick as
      select r.id, r.household_id, r.grid_path, row_number() over (order by r.id) as rn
      from resident r where r.status = 'active' and r.household_id is not null
        and abs(hashtext(r.id::text || 'MS')) % 10000 < ${cut}`,
)
await db.execute(sql`delete from bench_measure_pick where rn > ${MEASURES}`)
for (const [i, c] of combos.entries()) {
  const planned = planMeasure(settings, c.category, { anchorDate: c.anchorDate })
  if (!planned.ok) throw new Error(`${c.category} not identified under ${profile}`)
  const plan = planned.plan
  const cols = dutyColumns(plan, settings.checkinsPerDay)
  const rule = settings.categories[c.category]
  await db.execute(sql`insert into measure (resident_id, household_id, grid_path, category, anchor_at, anchor_date,
      planned_end, profile_name, rules, plan, test_days, checkin_from, checkin_to, open_test_from, daily_test_after,
      day_offset, checkins_per_day, started_by)
    select p.id, p.household_id, p.grid_path, ${c.category}, ${c.anchorDate}::date, ${c.anchorDate}::date,
      ${plan.plannedEnd}::date, ${profile}, ${JSON.stringify({ profile, rule, overrides: [], checkinsPerDay: settings.checkinsPerDay })}::jsonb,
      ${JSON.stringify(plan)}::jsonb, string_to_array(${cols.testDays.join(',')}, ',')::date[], ${cols.checkinFrom}::date,
      ${cols.checkinTo}::date, ${cols.openTestFrom}::date, ${cols.dailyTestAfter}::date, 0, ${settings.checkinsPerDay}, 'bench'
    from bench_measure_pick p where p.rn % ${combos.length} = ${i}`)
}
await db.execute(sql`drop table bench_measure_pick`)
// Half of today's morning check-ins are in.
await db.execute(sql`insert into measure_checkin (measure_id, resident_id, grid_path, local_date, slot, temperature, reported_by, reporter_role)
  select m.id, m.resident_id, m.grid_path, ${today}::date, 'am', 36.5, 'bench', 'worker'
  from measure m where m.status = 'active' and m.checkin_from is not null and abs(hashtext(m.id::text)) % 2 = 0`)
await db.execute(sql`analyze`)
const [{ n: active } = { n: 0 }] = await rows<{ n: number }>(
  db,
  sql`select count(*)::int as n from measure where status = 'active'`,
)

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

async function time(
  fn: () => Promise<unknown>,
): Promise<{ p50: number; p95: number; result: unknown }> {
  let result: unknown
  for (let i = 0; i < 2; i++) result = await fn()
  const ms: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    result = await fn()
    ms.push(performance.now() - t0)
  }
  ms.sort((a, b) => a - b)
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), result }
}

// Afternoon: both check-in slots owed.
const day = { ...dutyDay(new Date()), slotsDue: 2 }
const recompute = await time(() => indicatorRows(db, command, day))
const testDue = await time(() => boardPage(db, command, day, { list: 'test_due', limit: 51 }))
const releaseDue = await time(() => boardPage(db, command, day, { list: 'release_due', limit: 51 }))
const missing = await time(() =>
  boardPage(db, command, day, { list: 'checkin_missing', limit: 51 }),
)
const figures = recompute.result as IndicatorRow[]
const sum = (k: Exclude<keyof IndicatorRow, 'category'>): number =>
  figures.reduce((a, r) => a + r[k], 0)

console.log(
  `bench/measures ${new Date().toISOString()} ${os.cpus().length}× ${os.cpus()[0]?.model} node ${process.version} engine ${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'}`,
)
console.log(
  `${N} residents, ${specimens} swabbed today, ${active} active measures (${combos.length} category × anchor plans); ${RUNS} runs each`,
)
console.log(
  `today's duties: ${sum('testsDue')} owe a test (${sum('testsDone')} swabbed), ${sum('releasesDue')} due for release, ${sum('checkinsMissing')} check-ins missing`,
)
console.log('| query | p50 ms | p95 ms |')
console.log('| --- | ---: | ---: |')
const row = (label: string, r: { p50: number; p95: number }): void =>
  console.log(`| ${label} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`)
row(
  `recompute: duties and release eligibility of all ${active}, by category (indicators)`,
  recompute,
)
row('board "owes a test today", first page (street)', testDue)
row('board "due for release", first page (street)', releaseDue)
row('board "check-in missing", first page (street)', missing)
await database.close()
fs.rmSync(tmp, { recursive: true, force: true })
