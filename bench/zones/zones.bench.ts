/**
 * bench/zones (issue 11):
 *  - classify: 10,000 arrivals (1–4 places each, a fifth of them in a listed area) against a
 *    5,000-entry external risk-area list, through classifyArrivals (the lists loaded and indexed
 *    once, as the desk's list does). Target < 5 s.
 *  - zones: 1,000 risk areas (buildings) over a district of BENCH_RESIDENTS (1,000,000) residents:
 *    every area's countdown (factsOf + countdown, as the areas board computes it) and every area's
 *    inside list in one statement (residentIdsInsideAreas, the daily recompute). Target < 2 s on
 *    PostgreSQL. Once per invocation, the same lists one area at a time (residentIdsInside, as
 *    starting one area's measures reads them). Also the inside counts of every area in one statement (countInsideAreas), and one
 *    area's first inside page and 重点人群 list (tens of ms), for the whole district and a grid worker.
 *   BENCH_PART=classify npx tsx bench/zones/zones.bench.ts                         (PGlite)
 *   BENCH_PART=zones DATABASE_URL=postgres://…/empty_db npx tsx bench/zones/zones.bench.ts
 *  The zones part loads the district once (about 9 minutes at a million residents); run again on
 *  the same database, it measures that district again without loading it (`reused: true`).
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
import { addDays, localDate } from '../../src/core/clock.js'
import { uuidv7 } from '../../src/core/ids.js'
import {
  classifyArrivals,
  loadClassifier,
  type ItineraryPlace,
} from '../../src/arrivals/arrivals.service.js'
import { insertExternals } from '../../src/arrivals/arrivals.repo.js'
import { nameKeyOf } from '../../src/arrivals/external.rules.js'
import { factsOf, settingsNow } from '../../src/zones/zones.read.service.js'
import {
  countInsideAreas,
  extentsOf,
  residentIdsInside,
  residentIdsInsideAreas,
  type AreaRow,
} from '../../src/zones/zones.repo.js'
import { countdown } from '../../src/zones/zones.rules.js'
import {
  countVulnerableInside,
  listInside,
  listVulnerableInside,
} from '../../src/zones/zones.inside.repo.js'
import { demoStreet } from '../testing-fixtures.js'

const PART = process.env.BENCH_PART ?? 'classify'
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-bench-zones-'))
installPermissions()
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: engine === 'pglite' ? path.join(tmp, 'data') : undefined,
})
await runMigrations(database)
const db = database.db
const today = localDate(new Date())
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6
const out: Record<string, unknown> = {
  engine,
  part: PART,
  load: os.loadavg().map((l) => +l.toFixed(1)),
}

if (PART === 'classify') {
  const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 5_000)
  const ARRIVALS = Number(process.env.BENCH_ARRIVALS ?? 10_000)
  let seed = 7
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed % n
  }
  const PROV = ['江苏省', '浙江省', '广东省', '四川省', '河南省', '山东省', '湖北省', '福建省']
  const entries = Array.from({ length: ENTRIES }, (_, i) => {
    const names = {
      province: PROV[i % PROV.length]!,
      city: `城${i % 120}市`,
      district: `区${i % 700}区`,
      street: `街${i}街道`,
      place: i % 3 === 0 ? `小区${i}小区` : '',
    }
    return {
      id: uuidv7(),
      ...names,
      nameKey: nameKeyOf(names),
      level: (['high', 'medium', 'low'] as const)[i % 3]!,
      validFrom: addDays(today, -(i % 10) - (i % 11 === 0 ? 10 : 0)),
      validTo: i % 11 === 0 ? addDays(today, -1) : null,
      source: 'bench',
      enteredBy: 'bench',
    }
  })
  await insertExternals(db, entries)
  const arrivals = Array.from({ length: ARRIVALS }, () => {
    const places: ItineraryPlace[] = Array.from({ length: 1 + rnd(4) }, () => {
      if (rnd(5) === 0) {
        const e = entries[rnd(ENTRIES)]!
        return rnd(2)
          ? { city: e.city.replace('市', ''), district: e.district, street: e.street }
          : { text: `${e.province}${e.city}${e.district}${e.street}${e.place}` }
      }
      if (rnd(50) === 0) return { countryCode: 'SG' }
      return { province: '某省', city: `某${rnd(300)}市`, district: `某${rnd(900)}区` }
    })
    return { arrivedOn: addDays(today, -rnd(3)), places }
  })
  const runs: number[] = []
  let summary: Record<string, number> = {}
  for (let run = 0; run < 3; run++) {
    const t0 = process.hrtime.bigint()
    const res = await classifyArrivals(db, arrivals)
    runs.push(ms(t0))
    summary = {}
    for (const r of res) summary[r.origin ?? 'none'] = (summary[r.origin ?? 'none'] ?? 0) + 1
  }
  // Where the time goes: loading and indexing the lists once, then the pure rule per arrival.
  let t0 = process.hrtime.bigint()
  const c = await loadClassifier(db, addDays(today, -2), today)
  const loadMs = ms(t0)
  t0 = process.hrtime.bigint()
  for (const a of arrivals) c.classify(a)
  const ruleMs = ms(t0)
  Object.assign(out, {
    entries: ENTRIES,
    arrivals: ARRIVALS,
    ms: runs.map(Math.round),
    loadMs: Math.round(loadMs),
    ruleMs: Math.round(ruleMs),
    summary,
  })
} else {
  const N = Number(process.env.BENCH_RESIDENTS ?? 1_000_000)
  const AREAS = Number(process.env.BENCH_AREAS ?? 1_000)
  const tLoad = process.hrtime.bigint()
  async function loadDistrict(): Promise<void> {
    await demoStreet(database, keyringFromMasters([crypto.randomBytes(32)], 'bench'), N, 11)
    // 1,000 areas, one building each, drawn over the last 10 days (set-wise, as the bench's set-up).
    await db.execute(sql`
      create table bench_area_pick as
        select b.id as building_id, b.grid_path, b.name, row_number() over (order by md5(b.id::text)) as rn
        from building b`)
    await db.execute(sql`delete from bench_area_pick where rn > ${AREAS}`)
    await db.execute(sql`
      insert into zone_area (id, name, level, started_level, started_at, level_since, reason, profile_name, created_by)
        select (lpad(to_hex(rn::int), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(rn::int), 12, '0'))::uuid,
               '楼栋 ' || name, case when rn % 3 = 0 then 'medium' else 'high' end,
               case when rn % 3 = 0 then 'medium' else 'high' end,
               now() - ((rn % 10) || ' days')::interval, now() - ((rn % 10) || ' days')::interval,
               'bench', 'v9', 'bench'
        from bench_area_pick`)
    await db.execute(sql`
      insert into zone_extent (area_id, kind, ref_id, path, label)
        select (lpad(to_hex(rn::int), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(rn::int), 12, '0'))::uuid,
               'building', building_id, grid_path, name
        from bench_area_pick`)
    // The vulnerable: one resident in fifty with a vulnerable tag, half of them with a helper.
    await db.execute(sql`
      insert into resident_tag (resident_id, tag, set_by)
        select id, (array['dialysis','pregnancy','living_alone','disabled','bedridden','chronic_disease'])[1 + abs(hashtext(id::text)) % 6], 'bench'
        from resident where abs(hashtext(id::text || 'v')) % 50 = 0
      on conflict do nothing`)
    await db.execute(sql`
      insert into resident_care (resident_id, helper_name, hospital, needs, updated_by)
        select resident_id, '包保人', '第一人民医院', '每周一三五透析', 'bench' from resident_tag
        where set_by = 'bench' and abs(hashtext(resident_id::text)) % 2 = 0`)
    await db.execute(sql`analyze`)
  }
  // A database this bench already loaded (its areas are there) is measured again as it is.
  const [{ n: loaded } = { n: 0 }] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from zone_area where created_by = 'bench'`,
  )
  if (loaded === 0) await loadDistrict()
  const [{ n: residents } = { n: 0 }] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from resident where status = 'active'`,
  )
  out.reused = loaded > 0
  out.loadMs = loaded > 0 ? 0 : Math.round(ms(tLoad))
  const { settings } = await settingsNow(db)
  const countdownRuns: number[] = []
  const insideRuns: number[] = []
  const perAreaRuns: number[] = []
  const countRuns: number[] = []
  let counted = 0
  let inside = 0
  let eligible = 0
  for (let run = 0; run < 3; run++) {
    let t0 = process.hrtime.bigint()
    const areas = await rows<AreaRow>(
      db,
      sql`select id, name, level, started_level as "startedLevel",
        lowered_from as "loweredFrom", started_at as "startedAt", level_since as "levelSince",
        reason, case_id as "caseId", profile_name as "profileName", status, lifted_at as "liftedAt",
        created_by as "createdBy", created_at as "createdAt" from zone_area where status = 'active'`,
    )
    const extents = await extentsOf(
      db,
      areas.map((a) => a.id),
    )
    const facts = await factsOf(db, areas, extents, today)
    eligible = 0
    for (const a of areas) {
      const c = countdown(settings, facts.get(a.id)!.facts)
      if (c.eligible) eligible++
    }
    countdownRuns.push(ms(t0))
    t0 = process.hrtime.bigint()
    const lists = await residentIdsInsideAreas(
      db,
      areas.map((a) => a.id),
    )
    inside = [...lists.values()].reduce((n, ids) => n + ids.length, 0)
    insideRuns.push(ms(t0))
    if (run === 0) {
      // The same lists one area at a time, as starting one area's measures reads them.
      t0 = process.hrtime.bigint()
      for (const a of areas) await residentIdsInside(db, a.id)
      perAreaRuns.push(ms(t0))
    }
    t0 = process.hrtime.bigint()
    const counts = await countInsideAreas(
      db,
      areas.map((a) => a.id),
    )
    countRuns.push(ms(t0))
    counted = [...counts.values()].reduce((x, y) => x + y, 0)
  }
  // One area (the largest): its first inside page and 重点人群 list, for the district and a grid worker.
  const [big] = await rows<{ area_id: string; path: string }>(
    db,
    sql`select e.area_id, e.path from zone_extent e join household h on h.building_id = e.ref_id
        join resident r on r.household_id = h.id group by e.area_id, e.path order by count(*) desc limit 1`,
  )
  const scopes = { district: ['/'], grid: [big!.path] }
  const one: Record<string, number[]> = {}
  for (const [who, scopePaths] of Object.entries(scopes)) {
    const actor = { scopePaths }
    for (const [what, fn] of Object.entries({
      firstPage: () => listInside(db, big!.area_id, actor, { limit: 51 }),
      underMeasureNo: () => listInside(db, big!.area_id, actor, { underMeasure: false, limit: 51 }),
      vulnerable: () =>
        Promise.all([
          listVulnerableInside(db, big!.area_id, actor, {
            tags: settings.vulnerable.tags,
            limit: 51,
          }),
          countVulnerableInside(db, big!.area_id, actor, settings.vulnerable.tags),
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
  Object.assign(out, {
    residents,
    areas: AREAS,
    countdownMs: countdownRuns.map(Math.round),
    insideListsMs: insideRuns.map(Math.round),
    perAreaLoopMs: perAreaRuns.map(Math.round),
    insideCountsAllAreasMs: countRuns.map(Math.round),
    counted,
    peopleInside: inside,
    eligible,
  })
}
process.stdout.write(JSON.stringify(out) + '\n')
await database.close()
fs.rmSync(tmp, { recursive: true, force: true })
