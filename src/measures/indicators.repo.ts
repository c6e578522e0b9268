import { sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { likePrefix, scopeCondition, type ScopedActor } from '../core/scope/scope.js'

/**
 * The recheck clocks of the home page (临时管控): for each person under active temporary control in
 * the caller's scope, the earliest deadline of their door-to-door single-tube recheck that is not
 * swabbed yet (testing's `recheck_order`, read-only: scripts/check-deps.mjs ALLOWED_JOINS). A
 * recheck that was swabbed has met its clock (the result's own clock is testing's turnaround).
 */

export interface RecheckClockRow {
  /** People under temporary control still owing their recheck swab. */
  open: number
  overdue: number
  dueSoon: number
  /** The nearest deadline not yet passed. */
  nextDeadline: string | null
}

export async function recheckClocks(
  db: Db,
  actor: Pick<ScopedActor, 'scopePaths'>,
  at: { now: Date; soon: Date },
  divisionPath?: string,
): Promise<RecheckClockRow> {
  const [r] = await rows<RecheckClockRow>(
    db,
    sql`with clock as (
          select m.resident_id, min(o.deadline) as deadline
          from measure m
          join recheck_order o on o.resident_id = m.resident_id and o.status = 'ordered'
          where m.status = 'active' and m.category = 'temporary_control'
            and ${scopeCondition(sql`m.grid_path`, actor)}
            ${divisionPath ? sql`and m.grid_path like ${likePrefix(divisionPath)}` : sql``}
          group by m.resident_id)
        select count(*)::int as open,
               count(*) filter (where deadline <= ${at.now})::int as overdue,
               count(*) filter (where deadline > ${at.now} and deadline <= ${at.soon})::int as "dueSoon",
               min(deadline) filter (where deadline > ${at.now}) as "nextDeadline"
        from clock`,
  )
  return {
    open: r?.open ?? 0,
    overdue: r?.overdue ?? 0,
    dueSoon: r?.dueSoon ?? 0,
    nextDeadline: r?.nextDeadline ? new Date(r.nextDeadline).toISOString() : null,
  }
}
