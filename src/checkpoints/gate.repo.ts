import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { likePrefix, scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import { exitPass, gatePassage } from './gate.tables.js'

/*
 * All SQL of the gate log and exit passes. The person a scan names is read from the registry's
 * resident (and a resident code) inside the checkpoint's community, in the query; their last
 * negative swab from testing's specimens and tubes; the risk areas over a gate from zones'
 * areas and extents (read-only joins, listed in scripts/check-deps.mjs).
 */

export type PassageRow = typeof gatePassage.$inferSelect
export type PassageInsert = typeof gatePassage.$inferInsert
export type ExitPassRow = typeof exitPass.$inferSelect
export type ExitPassInsert = typeof exitPass.$inferInsert

export interface GatePerson {
  id: string
  name: string
  gridPath: string
  householdId: string | null
  household: string | null
}

/** The active resident a live code, an ID number's blind indexes or carried documents name, living under `communityPath`. */
export async function findResidentBehindGate(
  db: Db,
  communityPath: string,
  key: { token: string } | { bidx: string[] } | { ids: string[] },
): Promise<GatePerson | undefined> {
  const match =
    'token' in key
      ? sql`r.id = (select c.resident_id from resident_code c where c.token = ${key.token} and c.revoked_at is null limit 1)`
      : 'ids' in key
        ? sql`r.id = any(${sql.param(key.ids)}::uuid[])`
        : sql`r.id_bidx = any(${sql.param(key.bidx)}::text[])`
  const [found] = await rows<GatePerson>(
    db,
    sql`select r.id, r.name, r.grid_path as "gridPath", r.household_id as "householdId",
          h.label as household
        from resident r left join household h on h.id = r.household_id
        where ${match} and r.status = 'active' and r.grid_path like ${likePrefix(communityPath)}
        order by r.created_at desc limit 1`,
  )
  return found
}

/** When the person's last negative swab was taken (a tube resulted negative), if ever. */
export async function lastNegativeSwab(db: Db, residentId: string): Promise<Date | undefined> {
  const [r] = await rows<{ at: Date | string | null }>(
    db,
    sql`select max(s.scanned_at) as at from specimen s join tube t on t.id = s.tube_id
        where s.resident_id = ${residentId} and t.result = 'negative'`,
  )
  return r?.at ? new Date(r.at) : undefined
}

/** The levels of the active risk areas with a part over or under a community (its gates' areas). */
export async function activeLevelsAround(db: Db, communityPath: string): Promise<string[]> {
  const found = await rows<{ level: string }>(
    db,
    sql`select distinct a.level from zone_area a
        where a.status = 'active' and exists (
          select 1 from zone_extent e where e.area_id = a.id
            and (e.path like ${likePrefix(communityPath)} or ${communityPath} like e.path || '%'))`,
  )
  return found.map((r) => r.level)
}

export interface HouseholdPlace {
  id: string
  gridPath: string
  label: string
}

export async function findHouseholdPlace(db: Db, id: string): Promise<HouseholdPlace | undefined> {
  const [h] = await rows<HouseholdPlace>(
    db,
    sql`select id, grid_path as "gridPath", label from household where id = ${id}`,
  )
  return h
}

/* ------------------------------------------------------------------ exit passes */

export async function passesOf(db: Db, householdId: string, day: string): Promise<ExitPassRow[]> {
  return db
    .select()
    .from(exitPass)
    .where(and(eq(exitPass.householdId, householdId), eq(exitPass.day, day)))
    .orderBy(asc(exitPass.seq))
}

/** Inserts the passes not there yet (a second issue of the same day adds nothing). */
export async function insertPasses(db: Db, list: ExitPassInsert[]): Promise<void> {
  if (list.length === 0) return
  await db.insert(exitPass).values(list).onConflictDoNothing()
}

export async function findPassByToken(db: Db, token: string): Promise<ExitPassRow | undefined> {
  const [p] = await db.select().from(exitPass).where(eq(exitPass.token, token)).limit(1)
  return p
}

/** Uses a pass if it is still unused (false: someone used it first). */
export async function usePass(
  db: Db,
  id: string,
  at: Date,
  checkpointId: string,
): Promise<boolean> {
  const done = await db
    .update(exitPass)
    .set({ usedAt: at, usedAtCheckpoint: checkpointId })
    .where(and(eq(exitPass.id, id), isNull(exitPass.usedAt)))
    .returning({ id: exitPass.id })
  return done.length === 1
}

/* ------------------------------------------------------------------ the log */

export async function findPassageByClientId(
  db: Db,
  clientId: string,
): Promise<PassageRow | undefined> {
  const [p] = await db.select().from(gatePassage).where(eq(gatePassage.clientId, clientId)).limit(1)
  return p
}

/** Logs a passage once per client id; undefined when that id was logged already. */
export async function insertPassage(db: Db, row: PassageInsert): Promise<PassageRow | undefined> {
  const [p] = await db.insert(gatePassage).values(row).onConflictDoNothing().returning()
  return p
}

/** A checkpoint's passages of a day, newest first (refused only, on request). */
export async function passagesOfDay(
  db: Db,
  checkpointId: string,
  day: string,
  refusedOnly: boolean,
  limit: number,
): Promise<PassageRow[]> {
  return db
    .select()
    .from(gatePassage)
    .where(
      and(
        eq(gatePassage.checkpointId, checkpointId),
        eq(gatePassage.day, day),
        refusedOnly ? eq(gatePassage.allowed, false) : undefined,
      ),
    )
    .orderBy(desc(gatePassage.at))
    .limit(limit)
}

/* ------------------------------------------------------------------ indicators */

export interface GateCounts {
  refusedExits: number
  arrivalsByOrigin: { origin: string; count: number }[]
  arrivalsWithoutMeasure: number
}

/** Today's refused exits of my gates, arrivals by origin class and confirmed arrivals whose proposed measure has not started. */
export async function gateCounts(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
  day: string,
): Promise<GateCounts> {
  const [refused] = await rows<{ n: number | string }>(
    db,
    sql`select count(*) as n from gate_passage p
        where ${scopeCondition(sql`p.community_path`, actor)} and p.day = ${day}
          and p.direction = 'out' and not p.allowed`,
  )
  const byOrigin = await rows<{ origin: string; count: number | string }>(
    db,
    sql`select a.origin, count(*) as count from arrival a
        where ${scopeCondition(sql`a.community_path`, actor)} and a.report_day = ${day}
        group by a.origin order by count(*) desc, a.origin`,
  )
  const [without] = await rows<{ n: number | string }>(
    db,
    sql`select count(*) as n from arrival a
        where ${scopeCondition(sql`a.community_path`, actor)} and a.report_day = ${day}
          and a.status = 'confirmed' and a.category is not null and a.measure_id is null`,
  )
  return {
    refusedExits: Number(refused?.n ?? 0),
    arrivalsByOrigin: byOrigin.map((r) => ({ origin: r.origin, count: Number(r.count) })),
    arrivalsWithoutMeasure: Number(without?.n ?? 0),
  }
}

/** Household labels (5栋1单元101) by id, for the log's rows. */
export async function householdLabels(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const found = await rows<{ id: string; label: string }>(
    db,
    sql`select id, label from household where id = any(${sql.param([...ids])}::uuid[])`,
  )
  return new Map(found.map((h) => [h.id, h.label]))
}

/** Turns an allowed passage into a refused one (its pass was used by someone first). */
export async function refusePassage(
  db: Db,
  id: string,
  reasons: PassageRow['reasons'],
): Promise<PassageRow> {
  const [p] = await db
    .update(gatePassage)
    .set({ allowed: false, reasons, exitPassId: null })
    .where(eq(gatePassage.id, id))
    .returning()
  return p!
}
