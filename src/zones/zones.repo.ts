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

/** Active residents living inside the area's extents now (each counted once). */
export async function countPeopleInside(db: Db, areaId: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    db,
    sql`with e as (select kind, ref_id, floor from zone_extent where area_id = ${areaId}),
        inside as (
          select r.id from e join resident r on r.household_id = e.ref_id where e.kind = 'household'
          union
          select r.id from e join household h on h.building_id = e.ref_id
            join resident r on r.household_id = h.id
            where e.kind = 'building' or (e.kind = 'floor' and h.floor = e.floor)
          union
          select r.id from e join household h on h.unit_id = e.ref_id
            join resident r on r.household_id = h.id where e.kind = 'unit'
          union
          select r.id from e join division g on g.id = e.ref_id
            join resident r on r.grid_path = g.path where e.kind = 'grid'
          union
          select r.id from e join division g on g.parent_id = e.ref_id
            join resident r on r.grid_path = g.path where e.kind = 'community'
        )
        select count(*)::int as n from inside i join resident r on r.id = i.id where r.status = 'active'`,
  )
  return row?.n ?? 0
}
