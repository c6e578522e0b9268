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
 * gets no second measure. A person with no household (a walk-in staying at an address outside the
 * registry, someone moved out) is put under it like any member, in their grid. Returns the ids of the
 * people newly put under it.
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
        where not exists (select 1 from measure m where m.resident_id = r.id and m.category = 'temporary_control' and m.status = 'active')
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

/**
 * A merged walk-in's active measures follow the resident they turned out to be (domain.md §12).
 * Where the resident is already under an active measure of the same category (one active measure
 * per person and category), one is kept: the one that lasts longer (an open-ended one over a dated
 * one, the later planned end), the resident's own on a tie; the other is cancelled with
 * MERGED_DUPLICATE and its check-ins join the kept one where its day and slot are free. The walk-in's
 * check-ins of moved measures move with them. Answers how many rows moved, for the audit entry.
 */
export async function moveMeasures(
  tx: Db,
  fromId: string,
  to: { id: string; gridPath: string },
  v: { at: Date; by: string },
): Promise<{ measures: number; measuresMerged: number; checkins: number }> {
  const pairs = await rows<{ walkIn: string; own: string; keepWalkIn: boolean }>(
    tx,
    sql`select w.id as "walkIn", o.id as own,
               (w.planned_end is null and o.planned_end is not null) or (w.planned_end > o.planned_end) as "keepWalkIn"
        from measure w join measure o on o.resident_id = ${to.id} and o.category = w.category and o.status = 'active'
        where w.resident_id = ${fromId} and w.status = 'active'`,
  )
  for (const p of pairs) {
    const [drop, keep] = p.keepWalkIn ? [p.own, p.walkIn] : [p.walkIn, p.own]
    await tx.execute(
      sql`update measure set status = 'cancelled', ended_at = ${v.at.toISOString()}::timestamptz, ended_by = ${v.by},
                 end_reason = 'MERGED_DUPLICATE'
          where id = ${drop}`,
    )
    await tx.execute(
      sql`update measure_checkin c set measure_id = ${keep}, resident_id = ${to.id}, grid_path = ${to.gridPath}
          where c.measure_id = ${drop}
            and not exists (select 1 from measure_checkin k where k.measure_id = ${keep} and k.local_date = c.local_date and k.slot = c.slot)`,
    )
  }
  const moved = await rows<{ id: string }>(
    tx,
    sql`update measure set resident_id = ${to.id}, grid_path = ${to.gridPath},
               household_id = (select household_id from resident where id = ${to.id})
        where resident_id = ${fromId} and status = 'active'
        returning id`,
  )
  const checkins = await rows<{ n: number }>(
    tx,
    sql`with c as (update measure_checkin set resident_id = ${to.id}, grid_path = ${to.gridPath}
                   where resident_id = ${fromId} and measure_id in (select id from measure where resident_id = ${to.id})
                   returning 1)
        select count(*)::int as n from c`,
  )
  return { measures: moved.length, measuresMerged: pairs.length, checkins: checkins[0]!.n }
}
