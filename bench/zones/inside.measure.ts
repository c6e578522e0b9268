/**
 * bench/zones, the inside lists only, over a district already loaded by zones.bench.ts
 * (BENCH_PART=zones leaves its database): the inside counts of every active area in one
 * statement, and one area's first inside page, not-under-a-measure page and 重点人群 list.
 *   DATABASE_URL=postgres://…/wg_bench npx tsx bench/zones/inside.measure.ts
 */
import { sql } from 'drizzle-orm'
import { openDatabase, rows } from '../../src/core/db/db.js'
import {
  countInsideAreas,
  countVulnerableInside,
  listInside,
  listVulnerableInside,
} from '../../src/zones/zones.inside.repo.js'
import { VULNERABLE_TAGS } from '../../src/zones/zones.profile.js'

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL })
const db = database.db
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6
const [{ n: residents } = { n: 0 }] = await rows<{ n: number }>(
  db,
  sql`select count(*)::int as n from resident where status = 'active'`,
)
const areas = (
  await rows<{ id: string }>(db, sql`select id from zone_area where status = 'active'`)
).map((a) => a.id)
const out: Record<string, unknown> = { residents, areas: areas.length }
const countRuns: number[] = []
let counted = 0
for (let run = 0; run < 3; run++) {
  const t0 = process.hrtime.bigint()
  const c = await countInsideAreas(db, areas)
  countRuns.push(Math.round(ms(t0)))
  counted = [...c.values()].reduce((x, y) => x + y, 0)
}
Object.assign(out, { insideCountsAllAreasMs: countRuns, counted })
const [big] = await rows<{ area_id: string; path: string; n: number }>(
  db,
  sql`select e.area_id, e.path, count(*)::int as n from zone_extent e join household h on h.building_id = e.ref_id
      join resident r on r.household_id = h.id group by e.area_id, e.path order by count(*) desc limit 1`,
)
out.area = { residents: big!.n }
const tags = [...VULNERABLE_TAGS]
const one: Record<string, number[]> = {}
for (const [who, scopePaths] of Object.entries({ district: ['/'], grid: [big!.path] })) {
  const actor = { scopePaths }
  for (const [what, fn] of Object.entries({
    firstPage: () => listInside(db, big!.area_id, actor, { limit: 51 }),
    underMeasureNo: () => listInside(db, big!.area_id, actor, { underMeasure: false, limit: 51 }),
    vulnerable: () =>
      Promise.all([
        listVulnerableInside(db, big!.area_id, actor, { tags, limit: 51 }),
        countVulnerableInside(db, big!.area_id, actor, tags),
      ]),
  })) {
    const runs: number[] = []
    for (let i = 0; i < 20; i++) {
      const t0 = process.hrtime.bigint()
      await fn()
      runs.push(ms(t0))
    }
    runs.sort((x, y) => x - y)
    one[`${who}.${what}.p50/p95`] = [runs[10]!, runs[18]!].map((x) => +x.toFixed(1))
  }
}
out.oneArea = one
process.stdout.write(JSON.stringify(out) + '\n')
await database.close()
