import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { rows } from '../core/db/db.js'
import { appUser } from '../core/auth/auth.tables.js'
import { division } from '../core/tree/tree.tables.js'
import { scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import { arrival, checkpoint } from './checkpoints.tables.js'

export type CheckpointRow = typeof checkpoint.$inferSelect
export type CheckpointInsert = typeof checkpoint.$inferInsert
export type ArrivalRow = typeof arrival.$inferSelect
export type ArrivalInsert = typeof arrival.$inferInsert

export async function insertCheckpoint(db: Db, row: CheckpointInsert): Promise<CheckpointRow> {
  const [c] = await db.insert(checkpoint).values(row).returning()
  return c!
}

export async function updateCheckpointRow(
  db: Db,
  id: string,
  set: Partial<CheckpointInsert>,
): Promise<CheckpointRow | undefined> {
  const [c] = await db.update(checkpoint).set(set).where(eq(checkpoint.id, id)).returning()
  return c
}

export async function findCheckpoint(db: Db, id: string): Promise<CheckpointRow | undefined> {
  const [c] = await db
    .select()
    .from(checkpoint)
    .where(and(eq(checkpoint.id, id), isNull(checkpoint.archivedAt)))
  return c
}

export async function findCheckpointByToken(
  db: Db,
  token: string,
): Promise<CheckpointRow | undefined> {
  const [c] = await db
    .select()
    .from(checkpoint)
    .where(and(eq(checkpoint.token, token), isNull(checkpoint.archivedAt)))
  return c
}

/** The checkpoints under the actor's scope (in SQL), optionally of one community. */
export async function listCheckpointsInScope(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
  communityId: string | undefined,
): Promise<CheckpointRow[]> {
  return db
    .select()
    .from(checkpoint)
    .where(
      and(
        scopeCondition(checkpoint.communityPath, actor),
        isNull(checkpoint.archivedAt),
        communityId ? eq(checkpoint.communityId, communityId) : undefined,
      ),
    )
    .orderBy(checkpoint.name, checkpoint.id)
    .limit(500)
}

export interface DivisionFacts {
  id: string
  name: string
  level: string
  path: string
}

export async function findDivisionFacts(db: Db, id: string): Promise<DivisionFacts | undefined> {
  const [d] = await db
    .select({ id: division.id, name: division.name, level: division.level, path: division.path })
    .from(division)
    .where(eq(division.id, id))
  return d
}

export async function divisionNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const found = await db
    .select({ id: division.id, name: division.name })
    .from(division)
    .where(inArray(division.id, [...ids]))
  return new Map(found.map((d) => [d.id, d.name]))
}

export interface StaffFacts {
  id: string
  username: string
  displayName: string
  role: string
}

export async function findUsers(db: Db, ids: readonly string[]): Promise<StaffFacts[]> {
  if (ids.length === 0) return []
  return db
    .select({
      id: appUser.id,
      username: appUser.username,
      displayName: appUser.displayName,
      role: appUser.role,
    })
    .from(appUser)
    .where(inArray(appUser.id, [...ids]))
}

/* ------------------------------------------------------------------ arrivals */

export async function findArrivalOfPersonDay(
  db: Db,
  bidxCandidates: readonly string[],
  reportDay: string,
): Promise<ArrivalRow | undefined> {
  const [a] = await db
    .select()
    .from(arrival)
    .where(and(inArray(arrival.idBidx, [...bidxCandidates]), eq(arrival.reportDay, reportDay)))
    .for('update')
  return a
}

/** Inserts a report; two at once for the same person and day are settled by the unique index (the later one updates). */
export async function upsertArrival(db: Db, row: ArrivalInsert): Promise<ArrivalRow> {
  const { id: _id, reference: _ref, createdAt: _c, ...set } = row
  const [a] = await db
    .insert(arrival)
    .values(row)
    .onConflictDoUpdate({ target: [arrival.idBidx, arrival.reportDay], set })
    .returning()
  return a!
}

export async function updateArrivalRow(
  db: Db,
  id: string,
  set: Partial<ArrivalInsert>,
): Promise<ArrivalRow> {
  const [a] = await db
    .update(arrival)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(arrival.id, id))
    .returning()
  return a!
}

export async function findArrival(db: Db, id: string): Promise<ArrivalRow | undefined> {
  const [a] = await db.select().from(arrival).where(eq(arrival.id, id))
  return a
}

export async function findArrivalByReference(
  db: Db,
  checkpointId: string,
  reference: string,
): Promise<ArrivalRow | undefined> {
  const [a] = await db
    .select()
    .from(arrival)
    .where(and(eq(arrival.reference, reference), eq(arrival.checkpointId, checkpointId)))
  return a
}

export interface ArrivalFilter {
  day: string | undefined
  origin: string | undefined
  withoutMeasure: boolean
  limit: number
}

/** Arrivals at the actor's gates or coming to live under the actor's scope (a handover), newest first. */
export async function listArrivalsInScope(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
  f: ArrivalFilter,
): Promise<ArrivalRow[]> {
  return db
    .select()
    .from(arrival)
    .where(
      and(
        or(
          scopeCondition(arrival.communityPath, actor),
          scopeCondition(arrival.destinationPath, actor),
        ),
        f.day ? eq(arrival.reportDay, f.day) : undefined,
        f.origin ? eq(arrival.origin, f.origin) : undefined,
        f.withoutMeasure
          ? and(isNull(arrival.measureId), sql`${arrival.category} is not null`)
          : undefined,
      ),
    )
    .orderBy(desc(arrival.updatedAt), desc(arrival.id))
    .limit(f.limit)
}

/* ------------------------------------------------------------------ registry reads */

export interface HouseholdFacts {
  id: string
  gridPath: string
  label: string
}

export async function findHouseholdFacts(db: Db, id: string): Promise<HouseholdFacts | undefined> {
  const [h] = await rows<HouseholdFacts>(
    db,
    sql`select id, grid_path as "gridPath", label from household where id = ${id}`,
  )
  return h
}

export interface RegisteredPerson {
  id: string
  gridPath: string
  householdId: string | null
  status: string
}

/** The resident a document names, if any (by blind index; an arrival's measure lands on them). */
export async function findResidentByDocument(
  db: Db,
  bidxCandidates: readonly string[],
): Promise<RegisteredPerson | undefined> {
  const [r] = await rows<RegisteredPerson>(
    db,
    sql`select id, grid_path as "gridPath", household_id as "householdId", status from resident
        where id_bidx in (${sql.join(
          bidxCandidates.map((b) => sql`${b}`),
          sql`, `,
        )})
        order by (status = 'active') desc limit 1`,
  )
  return r
}
