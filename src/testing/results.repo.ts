import { and, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import { labAccount, resultConflict, tube } from './testing.tables.js'
import type {
  CaseStatus,
  ConflictStatus,
  RecheckReason,
  RecheckStatus,
  TubeResult,
} from './results.schema.js'

/**
 * All SQL of lab results, result conflicts, rechecks and lab accounts. Functions take the
 * connection first and plain values (ids, codes, the caller's scope); no SQL comes in.
 */

/** Whose scope a query is bounded by: the actor, or anything carrying scope paths. */
export type Scope = Pick<ScopedActor, 'scopePaths'>

const inScope = (col: SQLWrapper, scope: Scope): SQL => scopeCondition(col, scope)

export type TubeKind = 'pooled' | 'single' | 'recheck'

export interface ResultTube {
  id: string
  code: string
  roundId: string
  kind: TubeKind
  result: TubeResult | null
}

/** Tubes by barcode, locked for the batch (a second file for the same tubes waits for this one). */
export async function lockTubesByCode(
  db: Db,
  codes: readonly string[],
): Promise<Map<string, ResultTube>> {
  if (codes.length === 0) return new Map()
  const found = await db
    .select({
      id: tube.id,
      code: tube.code,
      roundId: tube.roundId,
      kind: tube.kind,
      result: tube.result,
    })
    .from(tube)
    .where(sql`${tube.code} = any(${sql.param(codes)}::text[])`)
    .for('update')
  return new Map(
    found.map((t) => [
      t.code,
      { ...t, kind: t.kind as TubeKind, result: t.result as TubeResult | null },
    ]),
  )
}

/** Of these tubes, the ones holding a swab of someone outside `scope` (an empty tube: of a round reaching beyond it). */
export async function tubesReachingBeyond(
  db: Db,
  tubeIds: readonly string[],
  scope: Scope,
): Promise<Set<string>> {
  if (tubeIds.length === 0) return new Set()
  const found = await rows<{ id: string }>(
    db,
    sql`select t.id from tube t join test_round r on r.id = t.round_id
        where t.id = any(${sql.param(tubeIds)}::uuid[])
          and (exists (select 1 from specimen s where s.tube_id = t.id and not (${inScope(sql`s.grid_path`, scope)}))
               or (not exists (select 1 from specimen s where s.tube_id = t.id)
                   and exists (select 1 from unnest(r.scope_paths) as p(path) where not (${inScope(sql`p.path`, scope)}))))`,
  )
  return new Set(found.map((r) => r.id))
}

/** The first scope path of each round (where a round's alerts are filed). */
export async function roundHomePaths(
  db: Db,
  roundIds: readonly string[],
): Promise<Map<string, string>> {
  if (roundIds.length === 0) return new Map()
  const found = await rows<{ id: string; path: string | null }>(
    db,
    sql`select id, scope_paths[1] as path from test_round where id = any(${sql.param(roundIds)}::uuid[])`,
  )
  return new Map(found.filter((r) => r.path).map((r) => [r.id, r.path!]))
}

export interface AppliedResult {
  tubeId: string
  result: TubeResult
  kind: TubeKind
  resultedAt: Date
  resultWord?: string | null
  ctN?: number | null
  ctOrf1ab?: number | null
}

export interface AffectedPerson {
  residentId: string
  gridPath: string
  tubeId: string
  tubeCode: string
  roundId: string
  name: string
  household: string | null
}

/** A member of a tube that must be swabbed alone again, with the order made for them (if new). */
export interface OrderedPerson extends AffectedPerson {
  reason: RecheckReason
  ordered: boolean
  deadline: Date | null
  assigneeName: string | null
}

export interface ResultEffects {
  /** Members of positive, abnormal or invalid tubes, now to be swabbed alone again (with their new orders). */
  rechecks: OrderedPerson[]
  /** Single-tube positives (a single tube or a recheck tube). */
  positives: AffectedPerson[]
  /** People whose single tube (or recheck) came back negative: their temporary control ends. */
  singleNegative: string[]
  /** Recheck orders whose tube came back abnormal or invalid: the person is swabbed again. */
  reswab: number
  cleared: number
}

async function setTubeResults(
  tx: Db,
  lab: string,
  applied: readonly AppliedResult[],
): Promise<void> {
  await tx.execute(sql`update tube set result = v.result, result_word = v.word, ct_n = v.ct_n, ct_orf1ab = v.ct_orf1ab, resulted_at = v.at, lab = ${lab}, status = 'closed', closed_at = coalesce(tube.closed_at, v.at)
    from unnest(${sql.param(applied.map((a) => a.tubeId))}::uuid[], ${sql.param(applied.map((a) => a.result))}::text[], ${sql.param(applied.map((a) => a.resultedAt.toISOString()))}::timestamptz[],
                ${sql.param(applied.map((a) => a.resultWord ?? null))}::text[], ${sql.param(applied.map((a) => a.ctN ?? null))}::float8[], ${sql.param(applied.map((a) => a.ctOrf1ab ?? null))}::float8[]) as v(id, result, at, word, ct_n, ct_orf1ab)
    where tube.id = v.id`)
}

/** Negative pools and single tubes clear their members (a retest may turn a pool back to negative); returns who. */
async function clearMembers(tx: Db, tubeIds: readonly string[]): Promise<{ residentId: string }[]> {
  if (tubeIds.length === 0) return []
  return rows(
    tx,
    sql`update specimen set state = 'negative' where tube_id = any(${sql.param(tubeIds)}::uuid[]) and state in ('pending', 'pool_positive') returning resident_id as "residentId"`,
  )
}

const personColumns = sql`s.resident_id as "residentId", s.grid_path as "gridPath", s.tube_id as "tubeId", t.code as "tubeCode", s.round_id as "roundId", r.name, h.label as household`

/**
 * Members of positive or abnormal pools (pool_positive) or of invalid tubes (swab again, not
 * cleared), one order each: due the profile's `recheckHours` after the tube's result, assigned to
 * a grid worker of the person's grid (the one whose scope is nearest to it).
 */
async function orderRechecks(
  tx: Db,
  tubeIds: readonly string[],
  reason: RecheckReason,
  recheckHours: number,
): Promise<OrderedPerson[]> {
  if (tubeIds.length === 0) return []
  const state = reason === 'invalid' ? 'pending' : 'pool_positive'
  return rows(
    tx,
    sql`with s as (
          update specimen set state = ${state} where tube_id = any(${sql.param(tubeIds)}::uuid[]) and state in ('pending', 'negative')
          returning id, round_id, resident_id, grid_path, tube_id),
        g as (select distinct grid_path from s),
        w as (
          select g.grid_path, u.id, u.display_name from g cross join lateral (
            select u.id, u.display_name from user_scope us join division d on d.id = us.division_id join app_user u on u.id = us.user_id
            where u.role = 'grid_worker' and not u.disabled and left(g.grid_path, length(d.path)) = d.path
            order by length(d.path) desc, u.username limit 1) u),
        o as (
          insert into recheck_order (round_id, resident_id, grid_path, source_tube_id, source_specimen_id, reason, deadline, assignee_id, assignee_name)
          select s.round_id, s.resident_id, s.grid_path, s.tube_id, s.id, ${reason}, t.resulted_at + ${recheckHours}::float8 * interval '1 hour', w.id, w.display_name
          from s join tube t on t.id = s.tube_id left join w on w.grid_path = s.grid_path
          on conflict (source_specimen_id) do nothing returning source_specimen_id, deadline, assignee_name)
        select ${personColumns}, ${reason} as reason, o.source_specimen_id is not null as ordered, o.deadline, o.assignee_name as "assigneeName"
        from s join tube t on t.id = s.tube_id join resident r on r.id = s.resident_id left join household h on h.id = r.household_id
        left join o on o.source_specimen_id = s.id`,
  )
}

async function positiveMembers(tx: Db, tubeIds: readonly string[]): Promise<AffectedPerson[]> {
  if (tubeIds.length === 0) return []
  return rows(
    tx,
    sql`with s as (update specimen set state = 'confirmed_positive' where tube_id = any(${sql.param(tubeIds)}::uuid[]) and state <> 'confirmed_positive'
          returning id, round_id, resident_id, grid_path, tube_id)
        select ${personColumns} from s join tube t on t.id = s.tube_id join resident r on r.id = s.resident_id left join household h on h.id = r.household_id`,
  )
}

/** Recheck tubes resolve their orders and the pooled specimen each order came from. */
async function resolveRechecks(
  tx: Db,
  tubeIds: readonly string[],
  result: 'negative' | 'positive',
): Promise<AffectedPerson[]> {
  if (tubeIds.length === 0) return []
  return rows(
    tx,
    sql`with x as (update specimen set state = ${result === 'negative' ? 'negative' : 'confirmed_positive'} where tube_id = any(${sql.param(tubeIds)}::uuid[]) and recheck_order_id is not null
          returning recheck_order_id, tube_id),
        o as (update recheck_order set status = ${result}, resolved_at = now() from x where recheck_order.id = x.recheck_order_id
          returning recheck_order.source_specimen_id, recheck_order.resident_id, recheck_order.grid_path, recheck_order.round_id, x.tube_id),
        src as (update specimen set state = ${result === 'negative' ? 'recheck_negative' : 'confirmed_positive'} from o where specimen.id = o.source_specimen_id returning 1)
        select o.resident_id as "residentId", o.grid_path as "gridPath", o.tube_id as "tubeId", t.code as "tubeCode", o.round_id as "roundId", r.name, h.label as household, (select count(*) from src) as n
        from o join tube t on t.id = o.tube_id join resident r on r.id = o.resident_id left join household h on h.id = r.household_id`,
  )
}

/** An abnormal or invalid recheck tube: its orders go back to ordered (swab again); nobody is cleared. */
async function reopenRechecks(tx: Db, tubeIds: readonly string[]): Promise<number> {
  if (tubeIds.length === 0) return 0
  const [r] = await rows<{ n: number }>(
    tx,
    sql`with o as (update recheck_order set status = 'ordered', sampled_at = null
          from specimen s where s.tube_id = any(${sql.param(tubeIds)}::uuid[]) and s.recheck_order_id = recheck_order.id and recheck_order.status = 'sampled'
          returning 1)
        select count(*)::int as n from o`,
  )
  return r?.n ?? 0
}

/**
 * Applies lab results set-wise: the tubes, their members' states, recheck orders (positive or
 * abnormal pools; invalid tubes), resolution of the rechecks, and single-tube positives.
 * Abnormal and invalid results never clear anyone: they mean swab again.
 */
export async function applyTubeResults(
  tx: Db,
  lab: string,
  applied: readonly AppliedResult[],
  recheckHours: number,
): Promise<ResultEffects> {
  const effects: ResultEffects = {
    rechecks: [],
    positives: [],
    singleNegative: [],
    reswab: 0,
    cleared: 0,
  }
  if (applied.length === 0) return effects
  const ids = (pred: (a: AppliedResult) => boolean): string[] =>
    applied.filter(pred).map((a) => a.tubeId)
  await setTubeResults(tx, lab, applied)
  const pooledClear = await clearMembers(
    tx,
    ids((a) => a.result === 'negative' && a.kind === 'pooled'),
  )
  const singleClear = await clearMembers(
    tx,
    ids((a) => a.result === 'negative' && a.kind === 'single'),
  )
  effects.cleared += pooledClear.length + singleClear.length
  effects.singleNegative.push(...singleClear.map((c) => c.residentId))
  // Positive or abnormal pools, and abnormal single tubes: pending recheck under temporary control.
  effects.rechecks.push(
    ...(await orderRechecks(
      tx,
      ids(
        (a) =>
          (a.kind === 'pooled' && (a.result === 'positive' || a.result === 'abnormal')) ||
          (a.kind === 'single' && a.result === 'abnormal'),
      ),
      'pool_positive',
      recheckHours,
    )),
    ...(await orderRechecks(
      tx,
      ids((a) => a.kind !== 'recheck' && a.result === 'invalid'),
      'invalid',
      recheckHours,
    )),
  )
  effects.positives.push(
    ...(await positiveMembers(
      tx,
      ids((a) => a.kind === 'single' && a.result === 'positive'),
    )),
  )
  const recheckNegative = await resolveRechecks(
    tx,
    ids((a) => a.kind === 'recheck' && a.result === 'negative'),
    'negative',
  )
  effects.cleared += recheckNegative.length
  effects.singleNegative.push(...recheckNegative.map((p) => p.residentId))
  effects.positives.push(
    ...(await resolveRechecks(
      tx,
      ids((a) => a.kind === 'recheck' && a.result === 'positive'),
      'positive',
    )),
  )
  effects.reswab = await reopenRechecks(
    tx,
    ids((a) => a.kind === 'recheck' && (a.result === 'abnormal' || a.result === 'invalid')),
  )
  return effects
}

export interface LoggedResult {
  tubeId: string
  result: TubeResult
  retest: boolean
  outcome: 'applied' | 'duplicate' | 'conflict'
  resultWord?: string | null
  ctN?: number | null
  ctOrf1ab?: number | null
}

/** Every result a lab sent, applied or not. */
export async function logTubeResults(
  tx: Db,
  lab: string,
  log: readonly LoggedResult[],
): Promise<void> {
  if (log.length === 0) return
  // Arrays, not a VALUES list: a lab's file has hundreds of thousands of rows (PostgreSQL takes 65,535 parameters).
  await tx.execute(sql`insert into tube_result (tube_id, result, lab, retest, outcome, result_word, ct_n, ct_orf1ab)
    select t, r, ${lab}, x, o, w, n, f from unnest(${sql.param(log.map((l) => l.tubeId))}::uuid[], ${sql.param(log.map((l) => l.result))}::text[],
                                         ${sql.param(log.map((l) => l.retest))}::boolean[], ${sql.param(log.map((l) => l.outcome))}::text[],
                                         ${sql.param(log.map((l) => l.resultWord ?? null))}::text[], ${sql.param(log.map((l) => l.ctN ?? null))}::float8[],
                                         ${sql.param(log.map((l) => l.ctOrf1ab ?? null))}::float8[]) as v(t, r, x, o, w, n, f)`)
}

export interface NewConflict {
  tubeId: string
  roundId: string
  held: TubeResult
  incoming: TubeResult
  retest: boolean
}

/** Opens a conflict per tube and disagreeing result (one open each: a lab sending it twice opens one). */
export async function insertConflicts(
  tx: Db,
  lab: string,
  conflicts: readonly NewConflict[],
): Promise<void> {
  if (conflicts.length === 0) return
  await tx.execute(sql`insert into result_conflict (tube_id, round_id, held, incoming, lab, retest)
    select t, r, h, i, ${lab}, x from unnest(${sql.param(conflicts.map((c) => c.tubeId))}::uuid[], ${sql.param(conflicts.map((c) => c.roundId))}::uuid[],
      ${sql.param(conflicts.map((c) => c.held))}::text[], ${sql.param(conflicts.map((c) => c.incoming))}::text[], ${sql.param(conflicts.map((c) => c.retest))}::boolean[]) as v(t, r, h, i, x)
    on conflict (tube_id, incoming) where status = 'open' do nothing`)
}

export interface ConflictRow {
  id: string
  tubeId: string
  tubeCode: string
  tubeKind: TubeKind
  held: TubeResult
  incoming: TubeResult
  lab: string
  retest: boolean
  status: ConflictStatus
  note: string | null
  resolvedBy: string | null
  resolvedAt: Date | null
  createdAt: Date
  /** Swabs of the tube under the caller's scope. */
  members: number
}

const conflictColumns = (
  scope: Scope,
): SQL => sql`c.id, c.tube_id as "tubeId", t.code as "tubeCode", t.kind as "tubeKind", c.held, c.incoming, c.lab, c.retest, c.status, c.note,
  c.resolved_by as "resolvedBy", c.resolved_at as "resolvedAt", c.created_at as "createdAt",
  (select count(*)::int from specimen s where s.tube_id = c.tube_id and ${inScope(sql`s.grid_path`, scope)}) as members`

/** A round's result conflicts whose tube holds a swab under the caller's scope; open ones first. */
export async function conflictsOfRound(
  db: Db,
  roundId: string,
  scope: Scope,
): Promise<ConflictRow[]> {
  return rows(
    db,
    sql`select ${conflictColumns(scope)} from result_conflict c join tube t on t.id = c.tube_id
        where c.round_id = ${roundId} and exists (select 1 from specimen s where s.tube_id = c.tube_id and ${inScope(sql`s.grid_path`, scope)})
        order by c.status = 'open' desc, c.created_at desc, c.id limit 500`,
  )
}

/** One conflict, locked for its resolution, with the grids of everyone in its tube. */
export async function lockConflict(
  db: Db,
  roundId: string,
  id: string,
  scope: Scope,
): Promise<(ConflictRow & { gridPaths: string[] }) | undefined> {
  const [c] = await rows<ConflictRow & { gridPaths: string[] }>(
    db,
    sql`select ${conflictColumns(scope)}, coalesce((select array_agg(distinct s.grid_path) from specimen s where s.tube_id = c.tube_id), '{}') as "gridPaths"
        from result_conflict c join tube t on t.id = c.tube_id where c.id = ${id} and c.round_id = ${roundId} for update of c`,
  )
  return c
}

export async function markConflictResolved(
  tx: Db,
  id: string,
  v: { status: Exclude<ConflictStatus, 'open'>; note: string; resolvedBy: string },
): Promise<{
  status: ConflictStatus
  note: string | null
  resolvedBy: string | null
  resolvedAt: Date | null
}> {
  const [done] = await tx
    .update(resultConflict)
    .set({ status: v.status, note: v.note, resolvedBy: v.resolvedBy, resolvedAt: new Date() })
    .where(eq(resultConflict.id, id))
    .returning({
      status: resultConflict.status,
      note: resultConflict.note,
      resolvedBy: resultConflict.resolvedBy,
      resolvedAt: resultConflict.resolvedAt,
    })
  return { ...done!, status: done!.status as ConflictStatus }
}

export interface NewCase extends AffectedPerson {
  reportDueAt: Date
  episode: number
}

/**
 * Records single-tube positives as screening positives (初筛阳性) with their 2-hour report clock,
 * once per person and episode: a person with an open case (screening, confirmed, asymptomatic)
 * gets nothing new; after an exclusion a positive opens their next episode. Returns the new cases.
 */
export async function recordPositiveCases(
  tx: Db,
  positives: readonly AffectedPerson[],
  at: Date,
): Promise<NewCase[]> {
  if (positives.length === 0) return []
  return rows(
    tx,
    sql`with v as (
          select distinct on (resident_id) * from unnest(${sql.param(positives.map((c) => c.residentId))}::uuid[], ${sql.param(positives.map((c) => c.roundId))}::uuid[],
            ${sql.param(positives.map((c) => c.tubeId))}::uuid[], ${sql.param(positives.map((c) => c.tubeCode))}::text[], ${sql.param(positives.map((c) => c.gridPath))}::text[])
            as v(resident_id, round_id, tube_id, tube_code, grid_path) order by resident_id),
          i as (
            insert into positive_case (resident_id, round_id, specimen_id, tube_code, grid_path, episode, status, report_due_at, confirmed_at)
            select v.resident_id, v.round_id, s.id, v.tube_code, v.grid_path,
                   coalesce((select max(p.episode) from positive_case p where p.resident_id = v.resident_id), 0) + 1,
                   'screening', ${at.toISOString()}::timestamptz + interval '2 hours', ${at.toISOString()}::timestamptz
            from v cross join lateral (select s.id from specimen s where s.tube_id = v.tube_id and s.resident_id = v.resident_id limit 1) s
            where not exists (select 1 from positive_case p where p.resident_id = v.resident_id and p.status <> 'excluded')
            on conflict do nothing
            returning resident_id, round_id, tube_code, grid_path, episode, report_due_at)
        select i.resident_id as "residentId", i.grid_path as "gridPath", v.tube_id as "tubeId", i.tube_code as "tubeCode", i.round_id as "roundId",
               r.name, h.label as household, i.report_due_at as "reportDueAt", i.episode
        from i join v on v.resident_id = i.resident_id join resident r on r.id = i.resident_id left join household h on h.id = r.household_id`,
  )
}

export interface CaseRow {
  id: string
  residentId: string
  name: string
  household: string | null
  gridPath: string
  tubeCode: string
  episode: number
  status: CaseStatus
  reportDueAt: Date | null
  reportedAt: Date | null
  decidedBy: string | null
  decidedAt: Date | null
  createdAt: Date
}

const caseColumns = sql`c.id, c.resident_id as "residentId", r.name, h.label as household, c.grid_path as "gridPath", c.tube_code as "tubeCode", c.episode, c.status,
  c.report_due_at as "reportDueAt", c.reported_at as "reportedAt", c.decided_by as "decidedBy", c.decided_at as "decidedAt", c.confirmed_at as "createdAt"`

/** Positive cases under the caller's scope, open ones first (at most 500). */
export async function casesInScope(db: Db, scope: Scope): Promise<CaseRow[]> {
  return rows(
    db,
    sql`select ${caseColumns} from positive_case c join resident r on r.id = c.resident_id left join household h on h.id = r.household_id
        where ${inScope(sql`c.grid_path`, scope)} order by c.status = 'screening' desc, c.confirmed_at desc, c.id limit 500`,
  )
}

export async function lockCase(db: Db, id: string, scope: Scope): Promise<CaseRow | undefined> {
  const [c] = await rows<CaseRow>(
    db,
    sql`select ${caseColumns} from positive_case c join resident r on r.id = c.resident_id left join household h on h.id = r.household_id
        where c.id = ${id} and ${inScope(sql`c.grid_path`, scope)} for update of c`,
  )
  return c
}

export async function updateCase(
  db: Db,
  id: string,
  v: { status?: CaseStatus; reportedAt?: Date; decidedBy?: string; decidedAt?: Date },
): Promise<void> {
  await db.execute(sql`update positive_case set status = coalesce(${v.status ?? null}, status),
    reported_at = coalesce(${v.reportedAt?.toISOString() ?? null}::timestamptz, reported_at),
    decided_by = coalesce(${v.decidedBy ?? null}, decided_by), decided_at = coalesce(${v.decidedAt?.toISOString() ?? null}::timestamptz, decided_at)
    where id = ${id}`)
}

/* ------------------------------------------------------------------ rechecks */

export interface RecheckRow {
  id: string
  residentId: string
  name: string
  household: string | null
  phoneEnc: string | null
  gridPath: string
  sourceTube: string
  status: RecheckStatus
  reason: RecheckReason
  deadline: Date | null
  assigneeId: string | null
  assigneeName: string | null
  createdAt: Date
}

/** A round's recheck orders under the caller's scope, in walking order (at most 2,000). */
export async function rechecksOfRound(
  db: Db,
  roundId: string,
  scope: Scope,
  status?: RecheckStatus,
): Promise<RecheckRow[]> {
  return rows(
    db,
    sql`select o.id, o.resident_id as "residentId", r.name, h.label as household, r.phone_enc as "phoneEnc", o.grid_path as "gridPath", t.code as "sourceTube", o.status,
          o.reason, o.deadline, o.assignee_id as "assigneeId", o.assignee_name as "assigneeName", o.created_at as "createdAt"
        from recheck_order o join resident r on r.id = o.resident_id left join household h on h.id = r.household_id join tube t on t.id = o.source_tube_id
        where o.round_id = ${roundId} and ${inScope(sql`o.grid_path`, scope)} ${status ? sql`and o.status = ${status}` : sql``}
        order by o.grid_path, h.sort_key, o.id limit 2000`,
  )
}

/** One recheck order of a round, locked for reassignment, if it is under the caller's scope. */
export async function lockRecheck(
  db: Db,
  roundId: string,
  id: string,
  scope: Scope,
): Promise<
  | {
      id: string
      gridPath: string
      status: RecheckStatus
      assigneeId: string | null
      assigneeName: string | null
    }
  | undefined
> {
  const [o] = await rows<{
    id: string
    gridPath: string
    status: RecheckStatus
    assigneeId: string | null
    assigneeName: string | null
  }>(
    db,
    sql`select id, grid_path as "gridPath", status, assignee_id as "assigneeId", assignee_name as "assigneeName" from recheck_order
        where id = ${id} and round_id = ${roundId} and ${inScope(sql`grid_path`, scope)} for update`,
  )
  return o
}

export async function setRecheckAssignee(
  db: Db,
  id: string,
  assignee: { id: string; name: string },
): Promise<void> {
  await db.execute(
    sql`update recheck_order set assignee_id = ${assignee.id}, assignee_name = ${assignee.name} where id = ${id}`,
  )
}

/** Enabled users whose scope covers a grid path (who may take a recheck there), grid workers first. */
export async function usersCovering(
  db: Db,
  gridPath: string,
): Promise<{ id: string; name: string; role: string }[]> {
  return rows(
    db,
    sql`select u.id, u.display_name as name, u.role from app_user u
        where not u.disabled and exists (select 1 from user_scope us join division d on d.id = us.division_id
                                         where us.user_id = u.id and left(${gridPath}, length(d.path)) = d.path)
        order by u.role = 'grid_worker' desc, u.display_name, u.id limit 200`,
  )
}

/** Whether each of these people must be swabbed alone in any round: an open recheck order (any round), or an open positive case. */
export async function singleTubeReasons(
  db: Db,
  residentIds: readonly string[],
): Promise<
  Map<string, { recheckOrderId: string | null; pendingRecheck: boolean; positive: boolean }>
> {
  if (residentIds.length === 0) return new Map()
  const found = await rows<{
    residentId: string
    recheckOrderId: string | null
    pendingRecheck: boolean
    positive: boolean
  }>(
    db,
    sql`select r.id as "residentId",
          (select o.id from recheck_order o where o.resident_id = r.id and o.status = 'ordered' order by o.created_at, o.id limit 1) as "recheckOrderId",
          exists (select 1 from recheck_order o where o.resident_id = r.id and o.status in ('ordered', 'sampled')) as "pendingRecheck",
          exists (select 1 from positive_case c where c.resident_id = r.id and c.status <> 'excluded') as positive
        from unnest(${sql.param([...residentIds])}::uuid[]) as r(id)`,
  )
  return new Map(found.map((f) => [f.residentId, f]))
}

/** What still hangs on a round when it closes: open recheck orders and tubes without a result. */
export async function roundOpenWork(
  db: Db,
  roundId: string,
): Promise<{ rechecks: number; tubes: number }> {
  const [r] = await rows<{ rechecks: number; tubes: number }>(
    db,
    sql`select (select count(*)::int from recheck_order where round_id = ${roundId} and status in ('ordered', 'sampled')) as rechecks,
               (select count(*)::int from tube where round_id = ${roundId} and result is null and members > 0) as tubes`,
  )
  return r ?? { rechecks: 0, tubes: 0 }
}

/* ------------------------------------------------------------------ lab accounts */

export type LabRow = typeof labAccount.$inferSelect

/** A new lab account, or undefined when the name is taken. */
export async function insertLabAccount(
  db: Db,
  v: { name: string; tokenHash: string; createdBy: string },
): Promise<LabRow | undefined> {
  const [lab] = await db.insert(labAccount).values(v).onConflictDoNothing().returning()
  return lab
}

export async function listLabs(db: Db): Promise<LabRow[]> {
  return db.select().from(labAccount).orderBy(labAccount.name)
}

/** Revokes a lab's token: 'revoked', 'already' (revoked before) or 'unknown'. */
export async function revokeLab(db: Db, id: string): Promise<'revoked' | 'already' | 'unknown'> {
  const [lab] = await db
    .update(labAccount)
    .set({ revokedAt: new Date() })
    .where(and(eq(labAccount.id, id), isNull(labAccount.revokedAt)))
    .returning({ id: labAccount.id })
  if (lab) return 'revoked'
  const [known] = await db
    .select({ id: labAccount.id })
    .from(labAccount)
    .where(eq(labAccount.id, id))
  return known ? 'already' : 'unknown'
}

/** The live (not revoked) lab with this token hash. */
export async function findLabByTokenHash(
  db: Db,
  tokenHash: string,
): Promise<{ id: string; name: string } | undefined> {
  const [lab] = await db
    .select({ id: labAccount.id, name: labAccount.name })
    .from(labAccount)
    .where(and(eq(labAccount.tokenHash, tokenHash), isNull(labAccount.revokedAt)))
  return lab
}
