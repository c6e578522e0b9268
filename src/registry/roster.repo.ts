import { inArray, sql } from 'drizzle-orm'
import { rows, type Db, type Tx } from '../core/db/db.js'
import { copyRowsWithin } from '../core/db/bulk.js'
import { likePrefix } from '../core/scope/scope.js'
import type { residentEvent } from './registry.tables.js'
import { building, household, resident, residentTag, unit } from './registry.tables.js'
import { LET_OCCUPANCIES } from './registry.vocab.js'

/** The queries of roster imports: the places under a division, lookups by ID, and the batch writes. */

export type ResidentRow = typeof resident.$inferSelect
export type ResidentTagRow = typeof residentTag.$inferSelect
export type ResidentInsert = typeof resident.$inferInsert
export type ResidentEventInsert = typeof residentEvent.$inferInsert
export type ResidentTagInsert = typeof residentTag.$inferInsert

export interface GridRow {
  id: string
  code: string
  name: string
  path: string
}
export interface BuildingRow {
  id: string
  code: string
  gridId: string
  gridPath: string
}
export interface HouseholdPlaceRow {
  id: string
  gridId: string
  gridPath: string
  sortKey: string
  label: string
  room: string
  unitCode: string
  buildingCode: string
}

/** The grids under a division's path (the division itself, when it is a grid). */
export async function gridsUnder(db: Db, path: string): Promise<GridRow[]> {
  return rows<GridRow>(
    db,
    sql`select id, code, name, path from division where level = 'grid' and path like ${likePrefix(path)}`,
  )
}

export async function buildingsUnder(db: Db, path: string): Promise<BuildingRow[]> {
  return rows<BuildingRow>(
    db,
    sql`select id, code, grid_id as "gridId", grid_path as "gridPath" from building where grid_path like ${likePrefix(path)}`,
  )
}

/** Every household under a path with the codes of its unit and building (the roster's address). */
export async function householdPlacesUnder(db: Db, path: string): Promise<HouseholdPlaceRow[]> {
  return rows<HouseholdPlaceRow>(
    db,
    sql`select h.id, h.grid_id as "gridId", h.grid_path as "gridPath", h.sort_key as "sortKey", h.label, h.room, u.code as "unitCode", b.code as "buildingCode"
        from household h join unit u on u.id = h.unit_id join building b on b.id = h.building_id
        where h.grid_path like ${likePrefix(path)}`,
  )
}

/** The building with this code in a grid, created if missing (a roster that names the grid). */
export async function ensureBuilding(
  db: Db,
  b: { gridId: string; gridPath: string; code: string; name: string },
): Promise<BuildingRow> {
  await db.insert(building).values(b).onConflictDoNothing()
  const [found] = await rows<BuildingRow>(
    db,
    sql`select id, code, grid_id as "gridId", grid_path as "gridPath" from building where grid_id = ${b.gridId} and code = ${b.code}`,
  )
  return found!
}

/** The household at unit and room of a building, created (with its unit) if missing. */
export async function ensureHousehold(
  db: Db,
  h: {
    buildingId: string
    gridId: string
    gridPath: string
    unitCode: string
    room: string
    floor: number | null
    label: string
    sortKey: string
  },
): Promise<string> {
  await db.insert(unit).values({ buildingId: h.buildingId, code: h.unitCode }).onConflictDoNothing()
  const [u] = await rows<{ id: string }>(
    db,
    sql`select id from unit where building_id = ${h.buildingId} and code = ${h.unitCode}`,
  )
  const [created] = await db
    .insert(household)
    .values({
      unitId: u!.id,
      buildingId: h.buildingId,
      gridId: h.gridId,
      gridPath: h.gridPath,
      room: h.room,
      floor: h.floor,
      label: h.label,
      sortKey: h.sortKey,
    })
    .onConflictDoNothing()
    .returning({ id: household.id })
  if (created) return created.id
  const [found] = await rows<{ id: string }>(
    db,
    sql`select id from household where unit_id = ${u!.id} and room = ${h.room}`,
  )
  return found!.id
}

/** Residents whose ID blind index is one of these (one array parameter, not a long IN list). */
export async function residentsByIdIndex(db: Db, candidates: string[]): Promise<ResidentRow[]> {
  if (candidates.length === 0) return []
  return db
    .select()
    .from(resident)
    .where(sql`${resident.idBidx} = any(${sql.param(candidates)}::text[])`)
}

export async function tagsOfResidents(db: Db, residentIds: string[]): Promise<ResidentTagRow[]> {
  if (residentIds.length === 0) return []
  return db.select().from(residentTag).where(inArray(residentTag.residentId, residentIds))
}

export async function updateResidentById(
  tx: Tx,
  id: string,
  values: Partial<ResidentInsert>,
): Promise<void> {
  await tx
    .update(resident)
    .set(values)
    .where(sql`${resident.id} = ${id}`)
}

const RESIDENT_COPY_COLUMNS = [
  'id',
  'household_id',
  'grid_id',
  'grid_path',
  'sort_key',
  'name',
  'name_pinyin',
  'name_initials',
  'id_type',
  'id_enc',
  'id_bidx',
  'id_last4',
  'phone_enc',
  'phone_bidx',
  'phone_last4',
  'sex',
  'birth_date',
  'relation',
  'residence_type',
  'employer',
  'notes',
  'hukou_address',
  'status',
  'status_on',
  'status_place',
  'created_at',
  'updated_at',
] as const

/**
 * The batch's new residents, their history events and tags by COPY on the transaction's
 * connection: bulk-load speed, and all-or-nothing with the batch.
 */
export async function copyRosterBatch(
  tx: Tx,
  batch: { residents: ResidentInsert[]; events: ResidentEventInsert[]; tags: ResidentTagInsert[] },
  now: Date,
): Promise<void> {
  await copyRowsWithin(
    tx,
    'resident',
    RESIDENT_COPY_COLUMNS,
    batch.residents.map((r) => [
      r.id,
      r.householdId,
      r.gridId,
      r.gridPath,
      r.sortKey,
      r.name,
      r.namePinyin,
      r.nameInitials,
      r.idType,
      r.idEnc,
      r.idBidx,
      r.idLast4,
      r.phoneEnc,
      r.phoneBidx,
      r.phoneLast4,
      r.sex,
      r.birthDate,
      r.relation,
      r.residenceType,
      r.employer,
      r.notes,
      r.hukouAddress ?? null,
      r.status ?? 'active',
      r.statusOn ?? null,
      r.statusPlace ?? null,
      now,
      now,
    ]),
  )
  await copyRowsWithin(
    tx,
    'resident_event',
    ['resident_id', 'kind', 'from_household_id', 'to_household_id', 'actor_name', 'detail', 'at'],
    batch.events.map((e) => [
      e.residentId,
      e.kind,
      e.fromHouseholdId,
      e.toHouseholdId,
      e.actorName,
      e.detail,
      now,
    ]),
  )
  await copyRowsWithin(
    tx,
    'resident_tag',
    ['resident_id', 'tag', 'set_by', 'set_at'],
    batch.tags.map((t) => [t.residentId, t.tag, t.setBy, now]),
  )
}

/**
 * A roster's household facts, one statement each: 房屋状态 (another occupancy than 出租 / 群租
 * clears the landlord contact, as the household's page does; never 集体户) and 户代表.
 * Returns how many households changed.
 */
export async function applyRosterHouseholdFacts(
  tx: Tx,
  facts: {
    occupancy: { householdId: string; occupancy: string }[]
    representatives: { householdId: string; residentId: string }[]
  },
): Promise<number> {
  const changed = new Set<string>()
  if (facts.occupancy.length) {
    const ids = facts.occupancy.map((f) => f.householdId)
    const values = facts.occupancy.map((f) => f.occupancy)
    const let_ = sql`v.occupancy = any(${sql.param([...LET_OCCUPANCIES])}::text[])`
    for (const r of await rows<{ id: string }>(
      tx,
      sql`update household h set occupancy = v.occupancy,
            landlord_name = case when ${let_} then h.landlord_name end,
            landlord_kind = case when ${let_} then h.landlord_kind end,
            landlord_phone_enc = case when ${let_} then h.landlord_phone_enc end,
            landlord_phone_bidx = case when ${let_} then h.landlord_phone_bidx end,
            landlord_phone_last4 = case when ${let_} then h.landlord_phone_last4 end,
            tenancy_start = case when ${let_} then h.tenancy_start end,
            tenancy_end = case when ${let_} then h.tenancy_end end,
            collective_kind = null, collective_name = null
          from unnest(${sql.param(ids)}::uuid[], ${sql.param(values)}::text[]) as v(id, occupancy)
          where h.id = v.id and h.occupancy is distinct from v.occupancy
          returning h.id`,
    ))
      changed.add(r.id)
  }
  if (facts.representatives.length) {
    const ids = facts.representatives.map((f) => f.householdId)
    const people = facts.representatives.map((f) => f.residentId)
    for (const r of await rows<{ id: string }>(
      tx,
      sql`update household h set representative_id = v.resident
          from unnest(${sql.param(ids)}::uuid[], ${sql.param(people)}::uuid[]) as v(id, resident)
          where h.id = v.id and h.representative_id is distinct from v.resident
          returning h.id`,
    ))
      changed.add(r.id)
  }
  return changed.size
}
