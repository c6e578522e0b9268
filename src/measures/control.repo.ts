import { sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { dutyColumnsOf } from './measures.repo.js'
import type { MeasurePlan } from './measures.rules.js'

/**
 * SQL of temporary control (临时管控, domain.md §5): the measure rows a pooled positive starts and
 * a negative single tube ends, set-wise (a large outbreak's file puts 25,000 people under control
 * in one statement). Callers pass plain values; no SQL comes in.
 */

export interface ControlStart {
  residentId: string
  /** The tube whose result started it (measure.source_ref). */
  tubeId: string
}

export interface ControlValues {
  at: Date
  anchorDate: string
  profileName: string
  rules: Record<string, unknown>
  /** The dated plan; its duty columns are written from it (dutyColumnsOf), so the boards see controlled people owe a swab and check-ins. */
  plan: MeasurePlan
  checkinsPerDay: number
  startedBy: string
}

/**
 * Puts people under temporary control, once: a person already under it (or twice in the batch)
 * gets no second measure. A person with no household (moved out of the deployment) is not put under
 * it here; their recheck order and alert still go out. Returns the ids of the people newly put under it.
 */
export async function insertTemporaryControls(
  tx: Db,
  people: readonly ControlStart[],
  v: ControlValues,
): Promise<string[]> {
  if (people.length === 0) return []
  const duty = dutyColumnsOf(v.plan, v.checkinsPerDay)
  const found = await rows<{ resident_id: string }>(
    tx,
    sql`insert into measure (resident_id, household_id, grid_path, category, status, anchor_at, anchor_date, planned_end,
                             profile_name, rules, plan, source, source_ref, started_by, started_at,
                             test_days, checkin_from, checkin_to, open_test_from, daily_test_after, day_offset, checkins_per_day)
        select distinct on (r.id) r.id, r.household_id, r.grid_path, 'temporary_control', 'active', ${v.at.toISOString()}::timestamptz,
               ${v.anchorDate}::date, null, ${v.profileName}, ${JSON.stringify(v.rules)}::jsonb, ${JSON.stringify(v.plan)}::jsonb,
               'pool_positive', p.tube_id::text, ${v.startedBy}, ${v.at.toISOString()}::timestamptz,
               ${sql.param(duty.testDays)}::date[], ${duty.checkinFrom}::date, ${duty.checkinTo}::date,
               ${duty.openTestFrom}::date, ${duty.dailyTestAfter}::date, ${duty.dayOffset}::int, ${duty.checkinsPerDay}::int
        from unnest(${sql.param(people.map((p) => p.residentId))}::uuid[], ${sql.param(people.map((p) => p.tubeId))}::uuid[]) as p(resident_id, tube_id)
        join resident r on r.id = p.resident_id
        where r.household_id is not null
          and not exists (select 1 from measure m where m.resident_id = r.id and m.category = 'temporary_control' and m.status = 'active')
        order by r.id, p.tube_id
        on conflict (resident_id, category) where status = 'active' do nothing
        returning resident_id`,
  )
  return found.map((r) => r.resident_id)
}

/** Ends the active temporary control of these people (a negative single-tube result); returns who. */
export async function endTemporaryControls(
  tx: Db,
  residentIds: readonly string[],
  v: { at: Date; endedBy: string; reason: string },
): Promise<string[]> {
  if (residentIds.length === 0) return []
  const found = await rows<{ resident_id: string }>(
    tx,
    sql`update measure set status = 'ended', ended_at = ${v.at.toISOString()}::timestamptz, ended_by = ${v.endedBy}, end_reason = ${v.reason}
        where resident_id = any(${sql.param([...residentIds])}::uuid[]) and category = 'temporary_control' and status = 'active'
        returning resident_id`,
  )
  return found.map((r) => r.resident_id)
}

/** Of these people, those under any active measure (the sampling desk swabs them alone). */
export async function residentsUnderMeasure(
  db: Db,
  residentIds: readonly string[],
): Promise<Map<string, string[]>> {
  if (residentIds.length === 0) return new Map()
  const found = await rows<{ resident_id: string; categories: string[] }>(
    db,
    sql`select resident_id, array_agg(distinct category order by category) as categories from measure
        where resident_id = any(${sql.param([...residentIds])}::uuid[]) and status = 'active' group by resident_id`,
  )
  return new Map(found.map((r) => [r.resident_id, r.categories]))
}
