import { and, eq, sql, type SQL } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { likeContains, likePrefix, pathsCondition, scopeCondition } from '../core/scope/scope.js'
import type { Scope } from './results.repo.js'
import { missedReason } from './testing.tables.js'

/** All SQL of the missed-test list and its reasons. */

export interface MissedRow {
  id: string
  name: string
  phoneEnc: string | null
  gridPath: string
  householdLabel: string | null
  sortKey: string
  reason: string | null
  note: string | null
  excludes: boolean | null
  recordedBy: string | null
  recordedAt: Date | null
  presence: string | null
  destination: string | null
  presenceSince: string | null
  returnOn: string | null
  birthDate: string | null
  excused: boolean
  /** No swab in this round, but one in another round within the tested-elsewhere window. */
  elsewhere: boolean
}

export interface MissedCursor {
  gridPath: string
  sortKey: string
  id: string
}

/** The local days a round runs over (its start and its deadline), which presence is read against. */
export interface RoundDays {
  id: string
  scopePaths: readonly string[]
  /** Narrower than the divisions: only these buildings and units (both empty: all of them). */
  buildingIds: readonly string[]
  unitIds: readonly string[]
  firstDay: string
  lastDay: string
  /** A swab in another round from this instant to `elsewhereTo` accounts for the person (null: no such credit). */
  elsewhereFrom: string | null
  elsewhereTo: string
}

/**
 * Whether resident `r` is one of the round's people: living under one of its divisions, not in a
 * vacant household and, when the round names buildings or units, in a household of one of them.
 */
export function roundMembersSql(
  round: Pick<RoundDays, 'scopePaths' | 'buildingIds' | 'unitIds'>,
): SQL {
  // A vacant flat (registry occupancy 空置): its registered people do not live there to be missed.
  const paths = sql`${pathsCondition(sql`r.grid_path`, round.scopePaths)} and not exists (select 1 from household hv where hv.id = r.household_id and hv.occupancy = 'vacant')`
  if (round.buildingIds.length === 0 && round.unitIds.length === 0) return paths
  return sql`${paths} and exists (select 1 from household hp where hp.id = r.household_id
            and (hp.building_id = any(${sql.param([...round.buildingIds])}::uuid[]) or hp.unit_id = any(${sql.param([...round.unitIds])}::uuid[])))`
}

/** Whether resident `r` was swabbed in another round within the tested-elsewhere window (在他处采样). */
export function elsewhereSql(round: RoundDays): SQL {
  if (!round.elsewhereFrom) return sql`false`
  return sql`exists (select 1 from specimen e where e.resident_id = r.id and e.round_id <> ${round.id} and e.scanned_at >= ${round.elsewhereFrom}::timestamptz and e.scanned_at <= ${round.elsewhereTo}::timestamptz)`
}

/**
 * Whether resident `r` is accounted for in the round without a swab (`x`: their missed_reason row
 * of the round, `p`: their resident_presence row): the round's own reason decides when there is
 * one; otherwise being away (外出) over the round's days — left by its last day, not back before
 * its first — excuses them, so nobody re-marks a long-term absentee every round.
 */
export function excusedSql(round: RoundDays): SQL {
  return sql`(coalesce(x.excludes, (p.status = 'away' and (p.since is null or p.since <= ${round.lastDay}::date) and (p.return_on is null or p.return_on >= ${round.firstDay}::date)), false) or ${elsewhereSql(round)})`
}

/** The joins `excusedSql` reads, for a query over `resident r`. */
export function excusedJoins(round: RoundDays): SQL {
  return sql`left join missed_reason x on x.round_id = ${round.id} and x.resident_id = r.id
          left join resident_presence p on p.resident_id = r.id`
}

/** A search box's text against name, pinyin, initials and the address (12栋 finds the building). */
function searchSql(q: string): SQL {
  const like = likeContains(q)
  const prefix = likePrefix(q.toLowerCase())
  return sql`and (r.name like ${like} or r.name_pinyin like ${prefix} or r.name_initials like ${prefix} or h.label like ${like})`
}

/**
 * One page of the missed-test list in walking order (grid → building → household), keyset by
 * (grid, sort key, id): those still owing a swab (`missed`), or those accounted for without one
 * (`excused`: a reason that excuses, or away over the round), or both. The inner query walks
 * `resident_scope_order_idx` and stops at the page's end; the wide columns are joined outside it
 * (2.5 s → 1 ms for a street's first page, bench/missed).
 */
export async function missedPage(
  db: Db,
  round: RoundDays,
  scope: Scope,
  q: {
    gridPath?: string | undefined
    after?: MissedCursor | undefined
    limit: number
    view: 'missed' | 'excused' | 'all'
    search?: string | undefined
  },
): Promise<MissedRow[]> {
  const escaped = q.gridPath ? likePrefix(q.gridPath) : null
  const excused = excusedSql(round)
  return rows(
    db,
    sql`select r.id, r.name, r.phone_enc as "phoneEnc", r.grid_path as "gridPath", h.label as "householdLabel", r.sort_key as "sortKey",
               m.reason, m.note, m.excludes, m.recorded_by as "recordedBy", m.recorded_at as "recordedAt",
               pr.status as presence, pr.destination, pr.since::text as "presenceSince", pr.return_on::text as "returnOn",
               r.birth_date::text as "birthDate", pick.excused, pick.elsewhere
        from (
          select r.id, r.grid_path, r.sort_key, ${excused} as excused, ${elsewhereSql(round)} as elsewhere from resident r
          ${excusedJoins(round)}
          ${q.search ? sql`left join household h on h.id = r.household_id` : sql``}
          where r.status = 'active' and ${roundMembersSql(round)} and ${scopeCondition(sql`r.grid_path`, scope)}
            ${escaped ? sql`and r.grid_path like ${escaped}` : sql``}
            ${q.after ? sql`and (r.grid_path, r.sort_key, r.id) > (${q.after.gridPath}, ${q.after.sortKey}, ${q.after.id}::uuid)` : sql``}
            and not exists (select 1 from specimen s where s.round_id = ${round.id} and s.resident_id = r.id)
            ${q.view === 'missed' ? sql`and not ${excused}` : q.view === 'excused' ? sql`and ${excused}` : sql``}
            ${q.search ? searchSql(q.search) : sql``}
          order by r.grid_path, r.sort_key, r.id
          limit ${q.limit}) pick
        join resident r on r.id = pick.id
        left join household h on h.id = r.household_id
        left join missed_reason m on m.round_id = ${round.id} and m.resident_id = r.id
        left join resident_presence pr on pr.resident_id = r.id
        order by pick.grid_path, pick.sort_key, pick.id`,
  )
}

/** What a reason is checked and announced with: the resident's grid, building, unit, name, address and birth date (registry's tables, read only). */
export interface MissedResident {
  gridPath: string
  buildingId: string | null
  unitId: string | null
  name: string
  household: string | null
  birthDate: string | null
}

export async function missedResident(
  db: Db,
  residentId: string,
): Promise<MissedResident | undefined> {
  const [r] = await rows<MissedResident>(
    db,
    sql`select r.grid_path as "gridPath", h.building_id as "buildingId", h.unit_id as "unitId", r.name, h.label as household,
               r.birth_date::text as "birthDate"
        from resident r left join household h on h.id = r.household_id where r.id = ${residentId}`,
  )
  return r
}

export async function upsertMissedReason(
  db: Db,
  v: typeof missedReason.$inferInsert,
): Promise<void> {
  await db
    .insert(missedReason)
    .values(v)
    .onConflictDoUpdate({
      target: [missedReason.roundId, missedReason.residentId],
      set: {
        reason: v.reason,
        excludes: v.excludes,
        note: v.note,
        recordedBy: v.recordedBy,
        recordedAt: new Date(),
      },
    })
}

/** Deletes a recorded reason; whether there was one. */
export async function deleteMissedReason(
  db: Db,
  roundId: string,
  residentId: string,
): Promise<boolean> {
  const gone = await db
    .delete(missedReason)
    .where(and(eq(missedReason.roundId, roundId), eq(missedReason.residentId, residentId)))
    .returning({ id: missedReason.residentId })
  return gone.length > 0
}
