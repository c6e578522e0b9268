import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { building, household, resident, residentEvent, residentTag, unit } from './registry.tables.js'

export type BuildingRow = typeof building.$inferSelect
export type HouseholdRow = typeof household.$inferSelect
export type ResidentRow = typeof resident.$inferSelect

export async function upsertBuilding(db: Db, v: { gridId: string; gridPath: string; code: string; name: string }): Promise<BuildingRow> {
  await db.insert(building).values(v).onConflictDoNothing({ target: [building.gridId, building.code] })
  const [row] = await db.select().from(building).where(and(eq(building.gridId, v.gridId), eq(building.code, v.code)))
  return row!
}

export async function upsertUnit(db: Db, buildingId: string, code: string): Promise<string> {
  await db.insert(unit).values({ buildingId, code }).onConflictDoNothing({ target: [unit.buildingId, unit.code] })
  const [row] = await db.select({ id: unit.id }).from(unit).where(and(eq(unit.buildingId, buildingId), eq(unit.code, code)))
  return row!.id
}

/** Inserts households that do not exist yet; returns how many were new. */
export async function insertHouseholds(db: Db, values: (typeof household.$inferInsert)[]): Promise<number> {
  if (values.length === 0) return 0
  const inserted = await db.insert(household).values(values).onConflictDoNothing({ target: [household.unitId, household.room] }).returning({ id: household.id })
  return inserted.length
}

export async function listBuildingsOfGrid(db: Db, gridId: string, scope: SQL): Promise<{ id: string; gridId: string; code: string; name: string; units: number; households: number; residents: number }[]> {
  return rows(
    db,
    sql`select b.id, b.grid_id as "gridId", b.code, b.name,
          (select count(*)::int from unit u where u.building_id = b.id) as units,
          (select count(*)::int from household h where h.building_id = b.id) as households,
          (select count(*)::int from resident r join household h on h.id = r.household_id where h.building_id = b.id and r.status = 'active') as residents
        from building b where b.grid_id = ${gridId} and ${scope} order by lpad(b.code, 12, '0'), b.code`,
  )
}

export async function listUnitsOfBuilding(db: Db, buildingId: string, scope: SQL): Promise<{ id: string; buildingId: string; code: string; households: number; residents: number }[]> {
  return rows(
    db,
    sql`select u.id, u.building_id as "buildingId", u.code,
          (select count(*)::int from household h where h.unit_id = u.id) as households,
          (select count(*)::int from resident r join household h on h.id = r.household_id where h.unit_id = u.id and r.status = 'active') as residents
        from unit u join building b on b.id = u.building_id
        where u.building_id = ${buildingId} and ${scope} order by lpad(u.code, 12, '0'), u.code`,
  )
}

export async function listHouseholdsOfUnit(db: Db, unitId: string, scope: SQL): Promise<{ id: string; unitId: string; room: string; floor: number | null; label: string; residents: number }[]> {
  return rows(
    db,
    sql`select h.id, h.unit_id as "unitId", h.room, h.floor, h.label,
          (select count(*)::int from resident r where r.household_id = h.id and r.status = 'active') as residents
        from household h where h.unit_id = ${unitId} and ${scope} order by h.sort_key`,
  )
}

export async function findBuilding(db: Db, id: string): Promise<BuildingRow | undefined> {
  const [row] = await db.select().from(building).where(eq(building.id, id))
  return row
}

export async function findHousehold(db: Db, id: string): Promise<HouseholdRow | undefined> {
  const [row] = await db.select().from(household).where(eq(household.id, id))
  return row
}

export async function findUnitBuilding(db: Db, unitId: string): Promise<BuildingRow | undefined> {
  const [row] = await db.select({ b: building }).from(unit).innerJoin(building, eq(building.id, unit.buildingId)).where(eq(unit.id, unitId))
  return row?.b
}

export async function findResident(db: Db, id: string): Promise<ResidentRow | undefined> {
  const [row] = await db.select().from(resident).where(eq(resident.id, id))
  return row
}

export async function findResidentByIdIndex(db: Db, candidates: string[]): Promise<ResidentRow | undefined> {
  const [row] = await db.select().from(resident).where(inArray(resident.idBidx, candidates)).limit(1)
  return row
}

export async function insertResident(db: Db, v: typeof resident.$inferInsert): Promise<ResidentRow> {
  const [row] = await db.insert(resident).values(v).returning()
  return row!
}

export async function updateResidentRow(db: Db, id: string, v: Partial<typeof resident.$inferInsert>): Promise<void> {
  await db.update(resident).set({ ...v, updatedAt: new Date() }).where(eq(resident.id, id))
}

export async function addEvent(db: Db, v: typeof residentEvent.$inferInsert): Promise<void> {
  await db.insert(residentEvent).values(v)
}

export async function tagsOf(db: Db, residentIds: string[]): Promise<{ residentId: string; tag: string; setBy: string; setAt: Date }[]> {
  if (residentIds.length === 0) return []
  return db.select().from(residentTag).where(inArray(residentTag.residentId, residentIds)).orderBy(asc(residentTag.tag))
}

/** Makes the tag set exactly `tags`; keeps who set an unchanged tag and when. */
export async function replaceTags(db: Db, residentId: string, tags: string[], setBy: string): Promise<{ added: string[]; removed: string[] }> {
  const current = (await tagsOf(db, [residentId])).map((t) => t.tag)
  const added = tags.filter((t) => !current.includes(t))
  const removed = current.filter((t) => !tags.includes(t))
  if (removed.length) await db.delete(residentTag).where(and(eq(residentTag.residentId, residentId), inArray(residentTag.tag, removed)))
  if (added.length) await db.insert(residentTag).values(added.map((tag) => ({ residentId, tag, setBy })))
  return { added, removed }
}

export async function eventsOf(db: Db, residentId: string): Promise<{ kind: string; at: Date; actorName: string; fromHousehold: string | null; toHousehold: string | null; detail: Record<string, unknown> | null }[]> {
  return rows(
    db,
    sql`select e.kind, e.at, e.actor_name as "actorName", fh.label as "fromHousehold", th.label as "toHousehold", e.detail
        from resident_event e
        left join household fh on fh.id = e.from_household_id
        left join household th on th.id = e.to_household_id
        where e.resident_id = ${residentId} order by e.id desc limit 200`,
  )
}

export async function householdMembers(db: Db, householdId: string): Promise<ResidentRow[]> {
  return db.select().from(resident).where(and(eq(resident.householdId, householdId), eq(resident.status, 'active'))).orderBy(asc(resident.name))
}

export interface ResidentListRow extends ResidentRow {
  householdLabel: string | null
}

/** The resident list: every filter and the scope inside one query, keyset by (grid_path, sort_key, id). */
export async function listResidentRows(db: Db, where: SQL[], after: [string, string, string] | null, limit: number): Promise<ResidentListRow[]> {
  const conds = [...where]
  if (after) conds.push(sql`(${resident.gridPath}, ${resident.sortKey}, ${resident.id}) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)`)
  const result = await db
    .select({ r: resident, householdLabel: household.label })
    .from(resident)
    .leftJoin(household, eq(household.id, resident.householdId))
    .where(and(...conds))
    .orderBy(asc(resident.gridPath), asc(resident.sortKey), asc(resident.id))
    .limit(limit)
  return result.map((x) => ({ ...x.r, householdLabel: x.householdLabel }))
}
