import { sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { dutyColumnsOf } from './measures.repo.js'
import type { MeasurePlan } from './measures.rules.js'

/**
 * SQL of the measures a risk area puts on the people inside (domain.md §6: 封控 / 管控 / 防范),
 * set-wise: a building of 300 people is one statement, not 300. The zones domain passes the ids
 * of the people inside and plain values; no SQL comes in. A row keeps the area it came from in
 * `source_ref` (the area holding it now), so a decision on that area settles exactly its measures.
 */

export interface ZoneMeasureValues {
  category: string
  areaId: string
  at: Date
  anchorDate: string
  profileName: string
  rules: Record<string, unknown>
  plan: MeasurePlan
  checkinsPerDay: number
  startedBy: string
}

/**
 * Starts the zone measure for these people, once: a person already under this category (from
 * this or another area) or with no household is skipped. Returns the people newly under it.
 */
export async function insertZoneMeasures(
  tx: Db,
  residentIds: readonly string[],
  v: ZoneMeasureValues,
): Promise<string[]> {
  if (residentIds.length === 0) return []
  const duty = dutyColumnsOf(v.plan, v.checkinsPerDay)
  const found = await rows<{ resident_id: string }>(
    tx,
    sql`insert into measure (resident_id, household_id, grid_path, category, status, anchor_at, anchor_date, planned_end,
                             profile_name, rules, plan, source, source_ref, started_by, started_at,
                             test_days, checkin_from, checkin_to, open_test_from, daily_test_after, day_offset, checkins_per_day)
        select r.id, r.household_id, r.grid_path, ${v.category}, 'active', ${v.at.toISOString()}::timestamptz,
               ${v.anchorDate}::date, null, ${v.profileName}, ${JSON.stringify(v.rules)}::jsonb, ${JSON.stringify(v.plan)}::jsonb,
               'zone', ${v.areaId}, ${v.startedBy}, ${v.at.toISOString()}::timestamptz,
               ${sql.param(duty.testDays)}::date[], ${duty.checkinFrom}::date, ${duty.checkinTo}::date,
               ${duty.openTestFrom}::date, ${duty.dailyTestAfter}::date, ${duty.dayOffset}::int, ${duty.checkinsPerDay}::int
        from resident r
        where r.id = any(${sql.param([...new Set(residentIds)])}::uuid[])
          and r.household_id is not null and r.status = 'active'
          and not exists (select 1 from measure m where m.resident_id = r.id and m.category = ${v.category} and m.status = 'active')
        on conflict (resident_id, category) where status = 'active' do nothing
        returning resident_id`,
  )
  return found.map((r) => r.resident_id)
}

/** An active zone measure of a person: which category, started by which area. */
export interface ActiveZoneMeasure {
  id: string
  resident_id: string
  category: string
  source_ref: string | null
}

/** The active zone measures (any area) of these people. */
export async function activeZoneMeasuresOf(
  tx: Db,
  residentIds: readonly string[],
): Promise<ActiveZoneMeasure[]> {
  if (residentIds.length === 0) return []
  return rows<ActiveZoneMeasure>(
    tx,
    sql`select id, resident_id, category, source_ref from measure
        where resident_id = any(${sql.param([...new Set(residentIds)])}::uuid[])
          and source = 'zone' and status = 'active'`,
  )
}

/** The people of an area's active measures (someone who moved out is still among them). */
export async function zoneMeasureHoldersOf(tx: Db, areaId: string): Promise<string[]> {
  const found = await rows<{ resident_id: string }>(
    tx,
    sql`select resident_id from measure where source = 'zone' and source_ref = ${areaId} and status = 'active'`,
  )
  return found.map((r) => r.resident_id)
}

/** Ends these active zone measures (by id); returns the people whose measure ended. */
export async function endZoneMeasuresById(
  tx: Db,
  ids: readonly string[],
  v: { at: Date; endedBy: string; reason: string },
): Promise<string[]> {
  if (ids.length === 0) return []
  const found = await rows<{ resident_id: string }>(
    tx,
    sql`update measure set status = 'ended', ended_at = ${v.at.toISOString()}::timestamptz, ended_by = ${v.endedBy}, end_reason = ${v.reason}
        where id = any(${sql.param([...ids])}::uuid[]) and source = 'zone' and status = 'active'
        returning resident_id`,
  )
  return found.map((r) => r.resident_id)
}

/** A running zone measure now held by another area (the one it came from was lowered or lifted). */
export async function repointZoneMeasures(
  tx: Db,
  ids: readonly string[],
  areaId: string,
): Promise<void> {
  if (ids.length === 0) return
  await tx.execute(
    sql`update measure set source_ref = ${areaId}
        where id = any(${sql.param([...ids])}::uuid[]) and source = 'zone' and status = 'active'`,
  )
}
