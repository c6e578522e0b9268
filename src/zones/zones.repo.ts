import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import { zoneArea, zoneEvent, zoneExtent } from './zones.tables.js'

export type AreaRow = typeof zoneArea.$inferSelect
export type AreaInsert = typeof zoneArea.$inferInsert
export type ExtentRow = typeof zoneExtent.$inferSelect
export type ExtentInsert = typeof zoneExtent.$inferInsert
export type EventRow = typeof zoneEvent.$inferSelect
export type EventInsert = typeof zoneEvent.$inferInsert

/** A registry part as found: its grid's path (a division: its own), what a person reads, a division's code. */
export interface FoundPart {
  ref_id: string
  path: string
  label: string
  code: string | null
}

/** Looks up registry parts of one kind by id (households, units, buildings, grids, communities). */
export async function findParts(
  db: Db,
  kind: string,
  ids: readonly string[],
): Promise<FoundPart[]> {
  if (ids.length === 0) return []
  const list = sql.param([...ids])
  const q: Record<string, SQL> = {
    household: sql`select h.id as ref_id, h.grid_path as path, h.label, null as code from household h where h.id = any(${list}::uuid[])`,
    unit: sql`select u.id as ref_id, b.grid_path as path, b.name || ' ' || u.code as label, null as code
              from unit u join building b on b.id = u.building_id where u.id = any(${list}::uuid[])`,
    building: sql`select b.id as ref_id, b.grid_path as path, b.name as label, null as code from building b where b.id = any(${list}::uuid[])`,
    grid: sql`select d.id as ref_id, d.path, d.name as label, d.code from division d where d.level = 'grid' and d.id = any(${list}::uuid[])`,
    community: sql`select d.id as ref_id, d.path, d.name as label, d.code from division d where d.level = 'community' and d.id = any(${list}::uuid[])`,
  }
  const query = q[kind === 'floor' ? 'building' : kind]
  return query ? rows<FoundPart>(db, query) : []
}

/** The floors of a building that have households ("floor 30 of a 6-floor building" does not exist). */
export async function floorsOf(db: Db, buildingId: string): Promise<number[]> {
  const found = await rows<{ floor: number }>(
    db,
    sql`select distinct floor from household where building_id = ${buildingId} and floor is not null`,
  )
  return found.map((r) => r.floor)
}

export async function insertArea(db: Db, row: AreaInsert): Promise<void> {
  await db.insert(zoneArea).values(row)
}

/** Adds extents; one already in the area is skipped. Returns the ones added. */
export async function insertExtents(db: Db, list: ExtentInsert[]): Promise<ExtentRow[]> {
  if (list.length === 0) return []
  return db.insert(zoneExtent).values(list).onConflictDoNothing().returning()
}

export async function insertEvent(db: Db, row: EventInsert): Promise<void> {
  await db.insert(zoneEvent).values(row)
}

export async function updateArea(
  db: Db,
  id: string,
  patch: Partial<Pick<AreaRow, 'level' | 'loweredFrom' | 'levelSince' | 'status' | 'liftedAt'>>,
): Promise<void> {
  await db.update(zoneArea).set(patch).where(eq(zoneArea.id, id))
}

/** One area, locked for a decision when `lock` (two leads lowering at once decide one after the other). */
export async function findArea(
  db: Db,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<AreaRow | undefined> {
  const q = db.select().from(zoneArea).where(eq(zoneArea.id, id))
  const [row] = opts.lock ? await q.for('update') : await q
  return row
}

/** Whether any extent of the area lies under the actor's scope (who may read it). */
export async function areaTouchesScope(
  db: Db,
  id: string,
  actor: Pick<ScopedActor, 'scopePaths'>,
): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`1` })
    .from(zoneExtent)
    .where(and(eq(zoneExtent.areaId, id), scopeCondition(zoneExtent.path, actor)))
    .limit(1)
  return row !== undefined
}

export async function extentsOf(db: Db, areaIds: readonly string[]): Promise<ExtentRow[]> {
  if (areaIds.length === 0) return []
  return db
    .select()
    .from(zoneExtent)
    .where(inArray(zoneExtent.areaId, [...areaIds]))
    .orderBy(asc(zoneExtent.id))
}

export async function eventsOf(db: Db, areaId: string): Promise<EventRow[]> {
  return db.select().from(zoneEvent).where(eq(zoneEvent.areaId, areaId)).orderBy(desc(zoneEvent.id))
}

export interface AreaFilter {
  status?: string | undefined
  /** Keyset cursor: areas older than this id (ids are time-ordered). */
  after?: string | undefined
  limit: number
}

/** Newest first, the areas with at least one extent under the actor's scope (in SQL). */
export async function listAreasInScope(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
  f: AreaFilter,
): Promise<AreaRow[]> {
  const inScope = db
    .select({ id: zoneExtent.areaId })
    .from(zoneExtent)
    .where(and(eq(zoneExtent.areaId, zoneArea.id), scopeCondition(zoneExtent.path, actor)))
  return db
    .select()
    .from(zoneArea)
    .where(
      and(
        sql`exists (${inScope})`,
        f.status ? eq(zoneArea.status, f.status) : undefined,
        f.after ? lt(zoneArea.id, f.after) : undefined,
      ),
    )
    .orderBy(desc(zoneArea.id))
    .limit(f.limit)
}

/**
 * The (area, active resident) pairs inside the extents of these areas, each once, as SQL for a
 * `with` clause (`inside(area_id, id)`). Each branch keeps only active residents, so no resident
 * is read back to filter: joining the set to `resident` again hash-joined every resident (about
 * 0.6 s an area at a million residents). The lists of zones.inside.repo read each resident back
 * by id in a lateral `offset 0` subquery for the same reason.
 */
export function insidePairs(areaIds: SQL): SQL {
  return sql`e as (select area_id, kind, ref_id, floor from zone_extent where area_id = any(${areaIds})),
        inside as (
          select e.area_id, r.id from e join resident r on r.household_id = e.ref_id where e.kind = 'household' and r.status = 'active'
          union
          select e.area_id, r.id from e join household h on h.building_id = e.ref_id
            join resident r on r.household_id = h.id
            where (e.kind = 'building' or (e.kind = 'floor' and h.floor = e.floor)) and r.status = 'active'
          union
          select e.area_id, r.id from e join household h on h.unit_id = e.ref_id
            join resident r on r.household_id = h.id where e.kind = 'unit' and r.status = 'active'
          union
          select e.area_id, r.id from e join division g on g.id = e.ref_id
            join resident r on r.grid_path = g.path where e.kind = 'grid' and r.status = 'active'
          union
          select e.area_id, r.id from e join division g on g.parent_id = e.ref_id
            join resident r on r.grid_path = g.path where e.kind = 'community' and r.status = 'active'
        )`
}

/** `insidePairs` of one area. */
export const oneArea = (areaId: string): SQL => sql`array[${areaId}]::uuid[]`
/** `insidePairs` of these areas. */
const theseAreas = (areaIds: readonly string[]): SQL => sql`${sql.param([...areaIds])}::uuid[]`

/**
 * A one-area query without JIT: the grid and community branches of `insidePairs` make the planner
 * expect a six-figure row count, so PostgreSQL compiled the plan (about 800 ms to 1.7 s at a
 * million residents) to run it in milliseconds (bench/zones). Its own (nested) transaction scopes
 * the setting to this query.
 */
export async function rowsWithoutJit<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`)
    return rows<T>(tx, query)
  })
}

/** Active residents living inside the area's extents now (each counted once). */
export async function countPeopleInside(db: Db, areaId: string): Promise<number> {
  const [row] = await rowsWithoutJit<{ n: number }>(
    db,
    sql`with ${insidePairs(oneArea(areaId))}
        select count(*)::int as n from inside`,
  )
  return row?.n ?? 0
}

/** How many active residents live inside each of these areas now (one statement for all). */
export async function countInsideAreas(
  db: Db,
  areaIds: readonly string[],
): Promise<Map<string, number>> {
  if (areaIds.length === 0) return new Map()
  const found = await rows<{ area_id: string; n: number }>(
    db,
    sql`with ${insidePairs(theseAreas(areaIds))}
        select area_id, count(*)::int as n from inside group by area_id`,
  )
  return new Map(found.map((r) => [r.area_id, r.n]))
}

/** The ids of the active residents living inside the area now (its measures are started for them). */
export async function residentIdsInside(db: Db, areaId: string): Promise<string[]> {
  const found = await rowsWithoutJit<{ id: string }>(
    db,
    sql`with ${insidePairs(oneArea(areaId))}
        select id from inside order by id`,
  )
  return found.map((r) => r.id)
}

/**
 * The ids inside each of these areas, in one statement (the daily recompute of every area's
 * inside list): a thousand one-area queries cost 4.5–8 s at a million residents (bench/zones).
 * An area with nobody inside is absent.
 */
export async function residentIdsInsideAreas(
  db: Db,
  areaIds: readonly string[],
): Promise<Map<string, string[]>> {
  if (areaIds.length === 0) return new Map()
  const found = await rows<{ area_id: string; ids: string[] }>(
    db,
    sql`with ${insidePairs(theseAreas(areaIds))}
        select area_id, array_agg(id order by id) as ids from inside group by area_id`,
  )
  return new Map(found.map((r) => [r.area_id, r.ids]))
}

/**
 * Where a round of the area samples: the grids of its buildings, units and households with those
 * buildings and units (a household narrows to its unit, or its building), and any grid or
 * community drawn whole (then the round covers those divisions whole).
 */
export async function roundPlacesOf(
  db: Db,
  areaId: string,
): Promise<{ divisionIds: string[]; buildingIds: string[]; unitIds: string[]; whole: boolean }> {
  const found = await rows<{
    division_id: string
    building_id: string | null
    unit_id: string | null
    whole: boolean
  }>(
    db,
    sql`select d.id as division_id, x.building_id, x.unit_id, x.whole from (
          select b.grid_path as path, b.id as building_id, null::uuid as unit_id, false as whole
            from zone_extent e join building b on b.id = e.ref_id
            where e.area_id = ${areaId} and e.kind in ('building', 'floor')
          union all
          select b.grid_path, null, u.id, false from zone_extent e join unit u on u.id = e.ref_id
            join building b on b.id = u.building_id where e.area_id = ${areaId} and e.kind = 'unit'
          union all
          select h.grid_path, case when h.unit_id is null then h.building_id end, h.unit_id, false
            from zone_extent e join household h on h.id = e.ref_id
            where e.area_id = ${areaId} and e.kind = 'household'
          union all
          select d.path, null, null, true from zone_extent e join division d on d.id = e.ref_id
            where e.area_id = ${areaId} and e.kind in ('grid', 'community')
        ) x join division d on d.path = x.path`,
  )
  const uniq = (xs: (string | null)[]): string[] => [...new Set(xs.filter((x): x is string => !!x))]
  return {
    divisionIds: uniq(found.map((r) => r.division_id)),
    buildingIds: uniq(found.map((r) => r.building_id)),
    unitIds: uniq(found.map((r) => r.unit_id)),
    whole: found.some((r) => r.whole),
  }
}

/**
 * The active areas each of these people lives inside (by household, floor, unit, building, grid
 * or community, as `insideOf` draws them), with the area's level: who is in two areas at once.
 */
export async function activeAreasOfResidents(
  db: Db,
  residentIds: readonly string[],
): Promise<{ resident_id: string; area_id: string; level: string }[]> {
  if (residentIds.length === 0) return []
  return rows<{ resident_id: string; area_id: string; level: string }>(
    db,
    sql`with p as (
          select r.id, r.household_id, r.grid_path, h.building_id, h.unit_id, h.floor
          from resident r left join household h on h.id = r.household_id
          where r.id = any(${sql.param([...new Set(residentIds)])}::uuid[]) and r.status = 'active'
        ),
        hit as (
          select p.id, e.area_id from p join zone_extent e on e.ref_id = p.household_id and e.kind = 'household'
          union
          select p.id, e.area_id from p join zone_extent e on e.ref_id = p.building_id
            where e.kind = 'building' or (e.kind = 'floor' and e.floor = p.floor)
          union
          select p.id, e.area_id from p join zone_extent e on e.ref_id = p.unit_id and e.kind = 'unit'
          union
          select p.id, e.area_id from p join division g on g.path = p.grid_path
            join zone_extent e on e.ref_id = g.id and e.kind = 'grid'
          union
          select p.id, e.area_id from p join division g on g.path = p.grid_path
            join zone_extent e on e.ref_id = g.parent_id and e.kind = 'community'
        )
        select hit.id as resident_id, a.id as area_id, a.level
        from hit join zone_area a on a.id = hit.area_id and a.status = 'active'`,
  )
}

/**
 * An open round over exactly these places (the same divisions, buildings and units, as sets) that
 * started in [from, to): the area's round of that day, when 发起本区域核酸 was pressed before.
 */
export async function findOpenRoundOver(
  db: Db,
  places: { divisionIds: string[]; buildingIds: string[]; unitIds: string[] },
  from: Date,
  to: Date,
): Promise<{ id: string; name: string; pool_size: number; household_pool: boolean } | undefined> {
  const same = (col: SQL, ids: string[]): SQL =>
    sql`${col} @> ${sql.param(ids)}::uuid[] and ${col} <@ ${sql.param(ids)}::uuid[]`
  const [row] = await rows<{
    id: string
    name: string
    pool_size: number
    household_pool: boolean
  }>(
    db,
    sql`select id, name, pool_size, household_pool from test_round
        where status = 'open' and kind = 'routine'
          and starts_at >= ${from.toISOString()}::timestamptz and starts_at < ${to.toISOString()}::timestamptz
          and ${same(sql`scope_ids`, places.divisionIds)}
          and ${same(sql`building_ids`, places.buildingIds)}
          and ${same(sql`unit_ids`, places.unitIds)}
        order by starts_at desc limit 1`,
  )
  return row
}

/**
 * The other active areas of another level than `area`'s that cover some of `insideIds` (the
 * people living inside it), with how many of them: an overlap a lead must resolve (which
 * measure do they live under?).
 */
export async function overlappingAreas(
  db: Db,
  area: { id: string; level: string },
  insideIds: readonly string[],
): Promise<{ id: string; name: string; level: string; people: number }[]> {
  if (insideIds.length === 0) return []
  const hits = await activeAreasOfResidents(db, insideIds)
  const people = new Map<string, Set<string>>()
  for (const h of hits)
    if (h.area_id !== area.id && h.level !== area.level) {
      const set = people.get(h.area_id) ?? new Set<string>()
      set.add(h.resident_id)
      people.set(h.area_id, set)
    }
  if (people.size === 0) return []
  const areas = await db
    .select({ id: zoneArea.id, name: zoneArea.name, level: zoneArea.level })
    .from(zoneArea)
    .where(inArray(zoneArea.id, [...people.keys()]))
    .orderBy(asc(zoneArea.name))
  return areas.map((a) => ({ ...a, people: people.get(a.id)!.size }))
}
