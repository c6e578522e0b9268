import { and, asc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import type { BulkLoader, CopyValue } from '../core/db/bulk.js'
import { likeContains, likePrefix, scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import {
  building,
  household,
  resident,
  residentEvent,
  residentTag,
  unit,
} from './registry.tables.js'
import type { HouseholdOccupancy, RESIDENT_STATUSES, ResidentEventKind } from './registry.vocab.js'
import { residentDocument } from './documents.tables.js'

/**
 * All SQL of the registry's places and residents. Functions take the connection first, so the
 * same one runs inside or outside a transaction, and take the caller's scope as data (its
 * paths), never as a fragment: the scope predicate is written here, in the query.
 */

export type BuildingRow = typeof building.$inferSelect
export type HouseholdRow = typeof household.$inferSelect
export type ResidentRow = typeof resident.$inferSelect
export type ResidentInsert = typeof resident.$inferInsert
export type HouseholdInsert = typeof household.$inferInsert
export type ResidentEventInsert = typeof residentEvent.$inferInsert

/** Whose part of the tree a list is cut to: an actor, or anything with scope paths. */
export type Scope = Pick<ScopedActor, 'scopePaths'>

// Buildings, units, households

export async function upsertBuilding(
  db: Db,
  v: { gridId: string; gridPath: string; code: string; name: string },
): Promise<BuildingRow> {
  await db
    .insert(building)
    .values(v)
    .onConflictDoNothing({ target: [building.gridId, building.code] })
  const [row] = await db
    .select()
    .from(building)
    .where(and(eq(building.gridId, v.gridId), eq(building.code, v.code)))
  return row!
}

export async function upsertUnit(db: Db, buildingId: string, code: string): Promise<string> {
  await db
    .insert(unit)
    .values({ buildingId, code })
    .onConflictDoNothing({ target: [unit.buildingId, unit.code] })
  const [row] = await db
    .select({ id: unit.id })
    .from(unit)
    .where(and(eq(unit.buildingId, buildingId), eq(unit.code, code)))
  return row!.id
}

/** Inserts households that do not exist yet; returns how many were new. */
export async function insertHouseholds(db: Db, values: HouseholdInsert[]): Promise<number> {
  if (values.length === 0) return 0
  const inserted = await db
    .insert(household)
    .values(values)
    .onConflictDoNothing({ target: [household.unitId, household.room] })
    .returning({ id: household.id })
  return inserted.length
}

export interface BuildingListRow {
  id: string
  gridId: string
  code: string
  name: string
  units: number
  households: number
  residents: number
}

export async function listBuildingsOfGrid(
  db: Db,
  gridId: string,
  scope: Scope,
): Promise<BuildingListRow[]> {
  return rows(
    db,
    sql`select b.id, b.grid_id as "gridId", b.code, b.name,
          (select count(*)::int from unit u where u.building_id = b.id) as units,
          (select count(*)::int from household h where h.building_id = b.id) as households,
          (select count(*)::int from resident r join household h on h.id = r.household_id where h.building_id = b.id and r.status = 'active') as residents
        from building b where b.grid_id = ${gridId} and ${scopeCondition(sql.raw('b.grid_path'), scope)} order by lpad(b.code, 12, '0'), b.code`,
  )
}

export interface UnitListRow {
  id: string
  buildingId: string
  code: string
  buildingCode: string
  households: number
  residents: number
}

export async function listUnitsOfBuilding(
  db: Db,
  buildingId: string,
  scope: Scope,
): Promise<UnitListRow[]> {
  return rows(
    db,
    sql`select u.id, u.building_id as "buildingId", u.code, b.code as "buildingCode",
          (select count(*)::int from household h where h.unit_id = u.id) as households,
          (select count(*)::int from resident r join household h on h.id = r.household_id where h.unit_id = u.id and r.status = 'active') as residents
        from unit u join building b on b.id = u.building_id
        where u.building_id = ${buildingId} and ${scopeCondition(sql.raw('b.grid_path'), scope)} order by lpad(u.code, 12, '0'), u.code`,
  )
}

export interface HouseholdListRow {
  id: string
  unitId: string
  room: string
  floor: number | null
  label: string
  residents: number
  occupancy: HouseholdOccupancy | null
  representativeId: string | null
  landlordName: string | null
  landlordKind: string | null
  landlordPhoneEnc: string | null
  tenancyStart: string | null
  tenancyEnd: string | null
  collectiveKind: string | null
  collectiveName: string | null
}

export async function listHouseholdsOfUnit(
  db: Db,
  unitId: string,
  scope: Scope,
): Promise<HouseholdListRow[]> {
  return rows(
    db,
    sql`select h.id, h.unit_id as "unitId", h.room, h.floor, h.label, h.occupancy,
          h.representative_id as "representativeId", h.landlord_name as "landlordName",
          h.landlord_kind as "landlordKind", h.landlord_phone_enc as "landlordPhoneEnc",
          h.tenancy_start::text as "tenancyStart", h.tenancy_end::text as "tenancyEnd",
          h.collective_kind as "collectiveKind", h.collective_name as "collectiveName",
          (select count(*)::int from resident r where r.household_id = h.id and r.status = 'active') as residents
        from household h where h.unit_id = ${unitId} and ${scopeCondition(sql.raw('h.grid_path'), scope)} order by h.sort_key`,
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

/** The household facts a worker records (occupancy, 户代表, landlord contact); left-out keys stay. */
export type HouseholdFactsPatch = Partial<
  Pick<
    HouseholdInsert,
    | 'occupancy'
    | 'representativeId'
    | 'landlordName'
    | 'landlordKind'
    | 'landlordPhoneEnc'
    | 'landlordPhoneBidx'
    | 'landlordPhoneLast4'
    | 'tenancyStart'
    | 'tenancyEnd'
    | 'collectiveKind'
    | 'collectiveName'
  >
>

export async function setHouseholdFactsRow(
  db: Db,
  id: string,
  patch: HouseholdFactsPatch,
): Promise<HouseholdRow> {
  const [row] = await db.update(household).set(patch).where(eq(household.id, id)).returning()
  return row!
}

/** A person who leaves a household (moved away, moved out, died) is no longer its 户代表. */
export async function clearRepresentative(
  db: Db,
  householdId: string,
  residentId: string,
): Promise<boolean> {
  const cleared = await db
    .update(household)
    .set({ representativeId: null })
    .where(and(eq(household.id, householdId), eq(household.representativeId, residentId)))
    .returning({ id: household.id })
  return cleared.length > 0
}

export async function findUnitBuilding(db: Db, unitId: string): Promise<BuildingRow | undefined> {
  const [row] = await db
    .select({ b: building })
    .from(unit)
    .innerJoin(building, eq(building.id, unit.buildingId))
    .where(eq(unit.id, unitId))
  return row?.b
}

// Residents

export async function findResident(db: Db, id: string): Promise<ResidentRow | undefined> {
  const [row] = await db.select().from(resident).where(eq(resident.id, id))
  return row
}

export async function findResidentByIdIndex(
  db: Db,
  candidates: string[],
): Promise<ResidentRow | undefined> {
  const [row] = await db
    .select()
    .from(resident)
    .where(inArray(resident.idBidx, candidates))
    .limit(1)
  return row
}

/** Names and grids of residents, for the audit screen (ids that are not UUIDs are skipped). */
export async function residentNames(
  db: Db,
  ids: string[],
): Promise<{ id: string; name: string; gridPath: string }[]> {
  const valid = ids.filter((i) => /^[0-9a-f-]{36}$/.test(i))
  if (valid.length === 0) return []
  return db
    .select({ id: resident.id, name: resident.name, gridPath: resident.gridPath })
    .from(resident)
    .where(inArray(resident.id, valid))
}

export async function insertResident(db: Db, v: ResidentInsert): Promise<ResidentRow> {
  const [row] = await db.insert(resident).values(v).returning()
  return row!
}

export async function updateResidentRow(
  db: Db,
  id: string,
  v: Partial<ResidentInsert>,
): Promise<void> {
  await db
    .update(resident)
    .set({ ...v, updatedAt: new Date() })
    .where(eq(resident.id, id))
}

export async function addEvent(db: Db, v: ResidentEventInsert): Promise<void> {
  await db.insert(residentEvent).values(v)
}

export async function tagsOf(
  db: Db,
  residentIds: string[],
): Promise<{ residentId: string; tag: string; setBy: string; setAt: Date }[]> {
  if (residentIds.length === 0) return []
  return db
    .select()
    .from(residentTag)
    .where(inArray(residentTag.residentId, residentIds))
    .orderBy(asc(residentTag.tag))
}

/** Adds tags a resident does not have yet; keeps who set the ones already there. */
export async function addTags(
  db: Db,
  residentId: string,
  tags: string[],
  setBy: string,
): Promise<void> {
  if (tags.length)
    await db
      .insert(residentTag)
      .values(tags.map((tag) => ({ residentId, tag, setBy })))
      .onConflictDoNothing()
}

/** Makes the tag set exactly `tags`; keeps who set an unchanged tag and when. */
export async function replaceTags(
  db: Db,
  residentId: string,
  tags: string[],
  setBy: string,
): Promise<{ added: string[]; removed: string[] }> {
  const current = (await tagsOf(db, [residentId])).map((t) => t.tag)
  const added = tags.filter((t) => !current.includes(t))
  const removed = current.filter((t) => !tags.includes(t))
  if (removed.length)
    await db
      .delete(residentTag)
      .where(and(eq(residentTag.residentId, residentId), inArray(residentTag.tag, removed)))
  if (added.length)
    await db.insert(residentTag).values(added.map((tag) => ({ residentId, tag, setBy })))
  return { added, removed }
}

export interface ResidentEventRow {
  kind: ResidentEventKind
  at: Date
  actorName: string
  fromHousehold: string | null
  toHousehold: string | null
  detail: Record<string, unknown> | null
}

export async function eventsOf(db: Db, residentId: string): Promise<ResidentEventRow[]> {
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
  return db
    .select()
    .from(resident)
    .where(and(eq(resident.householdId, householdId), eq(resident.status, 'active')))
    .orderBy(asc(resident.name))
}

/** What a search box asked for, with full phones and ID numbers already turned into blind-index candidates. */
export type ResidentSearch =
  | { kind: 'phoneIndex'; candidates: string[] }
  | { kind: 'idIndex'; candidates: string[] }
  | { kind: 'last4'; value: string }
  | { kind: 'idLast4'; value: string }
  | { kind: 'pinyin'; value: string }
  | { kind: 'name'; value: string }

export interface ResidentFilter {
  status: (typeof RESIDENT_STATUSES)[number]
  /** Only residents at or under this division's path (already checked against the scope). */
  underPath?: string | undefined
  householdId?: string | undefined
  search?: ResidentSearch | undefined
  tag?: string | undefined
  residenceType?: string | undefined
  /** Inclusive birth-date bounds (YYYY-MM-DD) of an age band. */
  bornFrom?: string | undefined
  bornTo?: string | undefined
}

/** The keyset position of the resident list: (grid_path, sort_key, id) of the last row shown. */
export type ResidentCursor = readonly [gridPath: string, sortKey: string, id: string]

function searchCondition(s: ResidentSearch): SQL | undefined {
  switch (s.kind) {
    case 'phoneIndex':
      return inArray(resident.phoneBidx, s.candidates)
    case 'idIndex':
      // The registered document or any other one the person carries (documents.tables.ts).
      return or(
        inArray(resident.idBidx, s.candidates),
        inArray(
          resident.id,
          sql`(select ${residentDocument.residentId} from ${residentDocument} where ${inArray(residentDocument.numberBidx, s.candidates)})`,
        ),
      )
    case 'last4':
      return or(eq(resident.phoneLast4, s.value), eq(resident.idLast4, s.value))
    case 'idLast4':
      return eq(resident.idLast4, s.value)
    case 'pinyin':
      return or(
        like(resident.nameInitials, likePrefix(s.value)),
        like(resident.namePinyin, likePrefix(s.value)),
      )
    case 'name':
      return like(resident.name, likeContains(s.value))
  }
}

export interface ResidentListRow extends ResidentRow {
  householdLabel: string | null
}

/** The resident list: every filter and the scope inside one query, keyset by (grid_path, sort_key, id). */
export async function listResidentRows(
  db: Db,
  scope: Scope,
  f: ResidentFilter,
  after: ResidentCursor | null,
  limit: number,
): Promise<ResidentListRow[]> {
  const conds: (SQL | undefined)[] = [
    scopeCondition(resident.gridPath, scope),
    eq(resident.status, f.status),
  ]
  if (f.underPath) conds.push(like(resident.gridPath, likePrefix(f.underPath)))
  if (f.householdId) conds.push(eq(resident.householdId, f.householdId))
  if (f.search) conds.push(searchCondition(f.search))
  if (f.tag)
    conds.push(
      sql`exists (select 1 from ${residentTag} t where t.resident_id = ${resident.id} and t.tag = ${f.tag})`,
    )
  if (f.residenceType) conds.push(eq(resident.residenceType, f.residenceType))
  if (f.bornFrom) conds.push(sql`${resident.birthDate} >= ${f.bornFrom}`)
  if (f.bornTo) conds.push(sql`${resident.birthDate} <= ${f.bornTo}`)
  if (after)
    conds.push(
      sql`(${resident.gridPath}, ${resident.sortKey}, ${resident.id}) > (${after[0]}, ${after[1]}, ${after[2]}::uuid)`,
    )
  const result = await db
    .select({ r: resident, householdLabel: household.label })
    .from(resident)
    .leftJoin(household, eq(household.id, resident.householdId))
    .where(and(...conds))
    .orderBy(asc(resident.gridPath), asc(resident.sortKey), asc(resident.id))
    .limit(limit)
  return result.map((x) => ({ ...x.r, householdLabel: x.householdLabel }))
}

// COPY paths for generated data (the demo city, benchmarks)

export interface BuildingCopy {
  id: string
  gridId: string
  gridPath: string
  code: string
  name: string
}

export interface HouseholdCopy {
  id: string
  unitId: string
  buildingId: string
  gridId: string
  gridPath: string
  room: string
  floor: number
  label: string
  sortKey: string
}

/** Buildings, units and households in three COPYs; returns the number of households written. */
export async function copyPlaces(
  bulk: BulkLoader,
  buildings: BuildingCopy[],
  units: { id: string; buildingId: string; code: string }[],
  households: Iterable<HouseholdCopy>,
): Promise<number> {
  await bulk.copyRows(
    'building',
    ['id', 'grid_id', 'grid_path', 'code', 'name'],
    buildings.map((b) => [b.id, b.gridId, b.gridPath, b.code, b.name]),
  )
  await bulk.copyRows(
    'unit',
    ['id', 'building_id', 'code'],
    units.map((u) => [u.id, u.buildingId, u.code]),
  )
  return bulk.copyRows(
    'household',
    ['id', 'unit_id', 'building_id', 'grid_id', 'grid_path', 'room', 'floor', 'label', 'sort_key'],
    (function* (): Generator<CopyValue[]> {
      for (const h of households)
        yield [
          h.id,
          h.unitId,
          h.buildingId,
          h.gridId,
          h.gridPath,
          h.room,
          h.floor,
          h.label,
          h.sortKey,
        ]
    })(),
  )
}

/** One resident as COPY writes it: sealed fields already sealed, name keys already derived. */
export interface ResidentCopy {
  id: string
  householdId: string
  gridId: string
  gridPath: string
  sortKey: string
  name: string
  namePinyin: string
  nameInitials: string
  idType: string
  idEnc: string
  idBidx: string
  idLast4: string
  phoneEnc: string | null
  phoneBidx: string | null
  phoneLast4: string | null
  sex: string
  birthDate: string
  relation: string
  residenceType: string
  at: Date
  actorName: string
  tags: string[]
}

/** The columns a resident row is bulk-loaded with (COPY), in order: the import and its benchmark baseline share them. */
export const RESIDENT_COLUMNS = [
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
  'status',
  'created_at',
  'updated_at',
] as const

/** A batch of residents with their first history event (registered) and their tags; returns the residents written. */
export async function copyResidents(bulk: BulkLoader, batch: ResidentCopy[]): Promise<number> {
  const n = await bulk.copyRows(
    'resident',
    RESIDENT_COLUMNS,
    batch.map((p) => [
      p.id,
      p.householdId,
      p.gridId,
      p.gridPath,
      p.sortKey,
      p.name,
      p.namePinyin,
      p.nameInitials,
      p.idType,
      p.idEnc,
      p.idBidx,
      p.idLast4,
      p.phoneEnc,
      p.phoneBidx,
      p.phoneLast4,
      p.sex,
      p.birthDate,
      p.relation,
      p.residenceType,
      'active',
      p.at,
      p.at,
    ]),
  )
  await bulk.copyRows(
    'resident_event',
    ['resident_id', 'kind', 'to_household_id', 'actor_name', 'at'],
    batch.map((p) => [p.id, 'registered', p.householdId, p.actorName, p.at]),
  )
  await bulk.copyRows(
    'resident_tag',
    ['resident_id', 'tag', 'set_by', 'set_at'],
    batch.flatMap((p) => p.tags.map((t) => [p.id, t, p.actorName, p.at])),
  )
  return n
}
