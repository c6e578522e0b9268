import { sql, type SQL } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { tubesIn, type RoundRow, type Scope } from './testing.repo.js'

/**
 * Turnaround and overdue in SQL: the definition of overdue.rules.ts (turnaroundStart,
 * turnaroundTargetHours), written once here for the round's figure, its overdue count and the
 * sweep. `t` is the tube, `r` its round.
 */
const clockStart = sql`(case when t.kind = 'pooled' then t.closed_at else t.opened_at end)`
const targetHours = sql`(case t.kind when 'pooled' then r.turnaround_pooled_hours when 'recheck' then coalesce(r.turnaround_recheck_hours, r.turnaround_single_hours) else r.turnaround_single_hours end)`
const dueAt = sql`(${clockStart} + make_interval(hours => ${targetHours}))`
const overdueAt = (now: Date): SQL =>
  sql`t.result is null and ${clockStart} is not null and ${dueAt} < ${now.toISOString()}::timestamptz`

/** Resulted tubes of a round by whole hours from the start of their clock to the result (rounded up), by kind. */
export async function tubeTurnaround(
  db: Db,
  roundId: string,
  tubeScope: Scope | null,
): Promise<{ hours: number | null; kind: string; n: number }[]> {
  return rows(
    db,
    sql`select case when t.result is null or ${clockStart} is null then null
                    else greatest(0, ceil(extract(epoch from t.resulted_at - ${clockStart}) / 3600))::int end as hours,
               t.kind, count(*)::int as n
        from tube t where t.round_id = ${roundId} and ${tubesIn(tubeScope)} group by 1, 2`,
  )
}

/** Tubes of the round without a result past the round's target for their kind. */
export async function overdueTubeCount(
  db: Db,
  round: Pick<RoundRow, 'id'>,
  tubeScope: Scope | null,
  now: Date,
): Promise<number> {
  const [n] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tube t join test_round r on r.id = t.round_id
        where t.round_id = ${round.id} and ${overdueAt(now)} and ${tubesIn(tubeScope)}`,
  )
  return n?.n ?? 0
}

/**
 * How far back the sweep looks: tubes of rounds opened in the last 14 days (by the round index,
 * not a scan of every tube ever made). A tube older than that without a result was alerted
 * long ago, when it fell due.
 */
const SWEEP_ROUND_DAYS = 14

export interface OverdueTubeRow {
  id: string
  code: string
  kind: string
  dueAt: Date
  roundId: string
  roundName: string
  siteName: string | null
  gridPaths: string[]
}

/**
 * Tubes past their target that the sweep has not alerted yet, marked as alerted in the same
 * statement (a tube and its due time once, whoever sweeps, however often).
 */
export async function claimOverdueTubes(db: Db, now: Date): Promise<OverdueTubeRow[]> {
  const at = now.toISOString()
  const found = await rows<OverdueTubeRow>(
    db,
    sql`with due as (
          select t.id, t.round_id, ${dueAt} as due_at
          from test_round r join tube t on t.round_id = r.id
          where r.created_at > ${at}::timestamptz - make_interval(days => ${SWEEP_ROUND_DAYS}) and ${overdueAt(now)}),
        n as (
          insert into overdue_notice (subject, subject_id, due_at, round_id, alerted_at)
          select 'tube', id, due_at, round_id, ${at}::timestamptz from due
          on conflict do nothing returning subject_id, due_at)
        select t.id, t.code, t.kind, n.due_at as "dueAt", r.id as "roundId", r.name as "roundName", st.name as "siteName",
               coalesce((select array_agg(distinct s.grid_path) from specimen s where s.tube_id = t.id), '{}') as "gridPaths"
        from n join tube t on t.id = n.subject_id join test_round r on r.id = t.round_id
        left join sampling_site st on st.id = t.site_id
        order by r.id, t.code`,
  )
  return found.map((f) => ({ ...f, dueAt: new Date(f.dueAt) }))
}

export interface OverdueRecheckRow {
  id: string
  gridPath: string
  name: string
  household: string | null
  sourceTube: string
  assigneeName: string | null
  dueAt: Date
  roundId: string
  roundName: string
}

/** Recheck orders not swabbed by their deadline that the sweep has not alerted yet (for that deadline), marked alerted. */
export async function claimOverdueRechecks(db: Db, now: Date): Promise<OverdueRecheckRow[]> {
  const at = now.toISOString()
  const found = await rows<OverdueRecheckRow>(
    db,
    sql`with n as (
          insert into overdue_notice (subject, subject_id, due_at, round_id, alerted_at)
          select 'recheck', o.id, o.deadline, o.round_id, ${at}::timestamptz from recheck_order o
          where o.status = 'ordered' and o.deadline is not null and o.deadline < ${at}::timestamptz
          on conflict do nothing returning subject_id, due_at)
        select o.id, o.grid_path as "gridPath", p.name, h.label as household, t.code as "sourceTube",
               o.assignee_name as "assigneeName", n.due_at as "dueAt", rd.id as "roundId", rd.name as "roundName"
        from n join recheck_order o on o.id = n.subject_id join resident p on p.id = o.resident_id
        left join household h on h.id = p.household_id join tube t on t.id = o.source_tube_id
        join test_round rd on rd.id = o.round_id
        order by o.grid_path, h.sort_key, o.id`,
  )
  return found.map((f) => ({ ...f, dueAt: new Date(f.dueAt) }))
}

/** Division names by path (where an alert is filed: a grid, or the community above two grids). */
export async function divisionNamesByPath(
  db: Db,
  paths: readonly string[],
): Promise<Map<string, string>> {
  if (paths.length === 0) return new Map()
  const found = await rows<{ path: string; name: string }>(
    db,
    sql`select path, name from division where path = any(${sql.param([...paths])}::text[])`,
  )
  return new Map(found.map((d) => [d.path, d.name]))
}
