import { and, eq, isNull, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { scopeCondition, type ScopedActor } from '../core/scope/scope.js'
import { labAccount, resultConflict, tube } from './testing.tables.js'
import type { ConflictStatus, RecheckStatus, TubeResult } from './results.schema.js'

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
}

export interface AffectedPerson {
  residentId: string
  gridPath: string
  tubeCode: string
  roundId: string
}

export interface ResultEffects {
  /** Members of positive or abnormal pools, now pending recheck (with their new orders). */
  poolPositive: AffectedPerson[]
  confirmed: AffectedPerson[]
  cleared: number
}

async function setTubeResults(
  tx: Db,
  lab: string,
  applied: readonly AppliedResult[],
): Promise<void> {
  await tx.execute(sql`update tube set result = v.result, resulted_at = v.at, lab = ${lab}, status = 'closed', closed_at = coalesce(tube.closed_at, v.at)
    from unnest(${sql.param(applied.map((a) => a.tubeId))}::uuid[], ${sql.param(applied.map((a) => a.result))}::text[], ${sql.param(applied.map((a) => a.resultedAt.toISOString()))}::timestamptz[]) as v(id, result, at)
    where tube.id = v.id`)
}

/** Negative pools and single tubes clear their members (a retest may turn a pool back to negative). */
async function clearMembers(tx: Db, tubeIds: readonly string[]): Promise<number> {
  if (tubeIds.length === 0) return 0
  const [r] = await rows<{ n: number }>(
    tx,
    sql`with s as (update specimen set state = 'negative' where tube_id = any(${sql.param(tubeIds)}::uuid[]) and state in ('pending', 'pool_positive') returning 1) select count(*)::int as n from s`,
  )
  return r?.n ?? 0
}

/** Members pending recheck, one order each. */
async function orderRechecks(tx: Db, tubeIds: readonly string[]): Promise<AffectedPerson[]> {
  if (tubeIds.length === 0) return []
  return rows(
    tx,
    sql`with s as (
          update specimen set state = 'pool_positive' where tube_id = any(${sql.param(tubeIds)}::uuid[]) and state in ('pending', 'negative')
          returning id, round_id, resident_id, grid_path, tube_id),
        o as (
          insert into recheck_order (round_id, resident_id, grid_path, source_tube_id, source_specimen_id)
          select round_id, resident_id, grid_path, tube_id, id from s on conflict (source_specimen_id) do nothing returning 1)
        select s.resident_id as "residentId", s.grid_path as "gridPath", t.code as "tubeCode", s.round_id as "roundId", (select count(*) from o) as orders
        from s join tube t on t.id = s.tube_id`,
  )
}

async function confirmMembers(tx: Db, tubeIds: readonly string[]): Promise<AffectedPerson[]> {
  if (tubeIds.length === 0) return []
  return rows(
    tx,
    sql`with s as (update specimen set state = 'confirmed_positive' where tube_id = any(${sql.param(tubeIds)}::uuid[]) and state <> 'confirmed_positive'
          returning id, round_id, resident_id, grid_path, tube_id)
        select s.resident_id as "residentId", s.grid_path as "gridPath", t.code as "tubeCode", s.round_id as "roundId", s.id as "specimenId" from s join tube t on t.id = s.tube_id`,
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
    sql`with s as (update specimen set state = ${result === 'negative' ? 'negative' : 'confirmed_positive'} where tube_id = any(${sql.param(tubeIds)}::uuid[]) and recheck_order_id is not null
          returning recheck_order_id, tube_id),
        o as (update recheck_order set status = ${result}, resolved_at = now() from s where recheck_order.id = s.recheck_order_id
          returning recheck_order.source_specimen_id, recheck_order.resident_id, recheck_order.grid_path, recheck_order.round_id, s.tube_id),
        src as (update specimen set state = ${result === 'negative' ? 'recheck_negative' : 'confirmed_positive'} from o where specimen.id = o.source_specimen_id returning 1)
        select o.resident_id as "residentId", o.grid_path as "gridPath", t.code as "tubeCode", o.round_id as "roundId", (select count(*) from src) as n
        from o join tube t on t.id = o.tube_id`,
  )
}

/**
 * Applies lab results set-wise: the tubes, their members' states, recheck orders for pool
 * members, resolution of the rechecks, and confirmed positives (once per person and round).
 */
export async function applyTubeResults(
  tx: Db,
  lab: string,
  applied: readonly AppliedResult[],
): Promise<ResultEffects> {
  const effects: ResultEffects = { poolPositive: [], confirmed: [], cleared: 0 }
  if (applied.length === 0) return effects
  const ids = (pred: (a: AppliedResult) => boolean): string[] =>
    applied.filter(pred).map((a) => a.tubeId)
  await setTubeResults(tx, lab, applied)
  effects.cleared += await clearMembers(
    tx,
    ids((a) => a.result === 'negative' && a.kind !== 'recheck'),
  )
  // Positive or abnormal pools, and abnormal single tubes.
  effects.poolPositive = await orderRechecks(
    tx,
    ids(
      (a) =>
        (a.kind === 'pooled' && a.result !== 'negative') ||
        (a.kind === 'single' && a.result === 'abnormal'),
    ),
  )
  effects.confirmed.push(
    ...(await confirmMembers(
      tx,
      ids((a) => a.kind === 'single' && a.result === 'positive'),
    )),
  )
  effects.cleared += (
    await resolveRechecks(
      tx,
      ids((a) => a.kind === 'recheck' && a.result === 'negative'),
      'negative',
    )
  ).length
  effects.confirmed.push(
    ...(await resolveRechecks(
      tx,
      ids((a) => a.kind === 'recheck' && a.result === 'positive'),
      'positive',
    )),
  )
  return effects
}

export interface LoggedResult {
  tubeId: string
  result: TubeResult
  retest: boolean
  outcome: 'applied' | 'duplicate' | 'conflict'
}

/** Every result a lab sent, applied or not. */
export async function logTubeResults(
  tx: Db,
  lab: string,
  log: readonly LoggedResult[],
): Promise<void> {
  if (log.length === 0) return
  // Arrays, not a VALUES list: a lab's file has hundreds of thousands of rows (PostgreSQL takes 65,535 parameters).
  await tx.execute(sql`insert into tube_result (tube_id, result, lab, retest, outcome)
    select t, r, ${lab}, x, o from unnest(${sql.param(log.map((l) => l.tubeId))}::uuid[], ${sql.param(log.map((l) => l.result))}::text[],
                                         ${sql.param(log.map((l) => l.retest))}::boolean[], ${sql.param(log.map((l) => l.outcome))}::text[]) as v(t, r, x, o)`)
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

/** Records confirmed positives once per person and round; returns how many are new. */
export async function recordPositiveCases(
  tx: Db,
  confirmed: readonly AffectedPerson[],
): Promise<number> {
  if (confirmed.length === 0) return 0
  const [r] = await rows<{ n: number }>(
    tx,
    sql`with v as (select * from unnest(${sql.param(confirmed.map((c) => c.residentId))}::uuid[], ${sql.param(confirmed.map((c) => c.roundId))}::uuid[],
                                       ${sql.param(confirmed.map((c) => c.tubeCode))}::text[], ${sql.param(confirmed.map((c) => c.gridPath))}::text[]) as v(resident_id, round_id, tube_code, grid_path)),
          i as (insert into positive_case (resident_id, round_id, specimen_id, tube_code, grid_path)
                select v.resident_id, v.round_id, s.id, v.tube_code, v.grid_path from v
                join tube t on t.code = v.tube_code join specimen s on s.tube_id = t.id and s.resident_id = v.resident_id
                on conflict (resident_id, round_id) do nothing returning 1)
        select count(*)::int as n from i`,
  )
  return r?.n ?? 0
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
    sql`select o.id, o.resident_id as "residentId", r.name, h.label as household, r.phone_enc as "phoneEnc", o.grid_path as "gridPath", t.code as "sourceTube", o.status, o.created_at as "createdAt"
        from recheck_order o join resident r on r.id = o.resident_id left join household h on h.id = r.household_id join tube t on t.id = o.source_tube_id
        where o.round_id = ${roundId} and ${inScope(sql`o.grid_path`, scope)} ${status ? sql`and o.status = ${status}` : sql``}
        order by o.grid_path, h.sort_key, o.id limit 2000`,
  )
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
