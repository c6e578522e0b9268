import { eq, sql, type SQL } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { likePrefix, pathsCondition } from '../core/auth/actor.js'
import { missedReason, testRound, tube } from './testing.tables.js'

/** The actor's scope predicate on a given path column (`scopeCondition` bound to the actor). */
export type ScopeOn = (pathColumn: SQL) => SQL

export type RoundRow = typeof testRound.$inferSelect
export type TubeRow = typeof tube.$inferSelect


export async function findRound(db: Db, id: string): Promise<RoundRow | undefined> {
  const [r] = await db.select().from(testRound).where(eq(testRound.id, id))
  return r
}

export interface ScanPerson {
  id: string
  name: string
  householdId: string | null
  gridPath: string
  status: string
  tags: string[]
  householdLabel: string | null
  /** Already has a specimen in this round. */
  sampled: boolean
  /** An open recheck order of this round: the next swab answers it. */
  recheckOrderId: string | null
}

/**
 * The people a scan batch names, by live code token and by ID blind index, with what the scan
 * needs to know about each in this round: one query for the batch.
 */
export async function scanPersons(db: Db, roundId: string, tokens: string[], bidx: string[]): Promise<Map<string, ScanPerson>> {
  if (tokens.length === 0 && bidx.length === 0) return new Map()
  const found = await rows<ScanPerson & { key: string }>(
    db,
    sql`with p as (
          select c.token as key, c.resident_id as id from resident_code c where c.token = any(${sql.param(tokens)}::text[]) and c.revoked_at is null
          union all
          select r.id_bidx as key, r.id from resident r where r.id_bidx = any(${sql.param(bidx)}::text[]))
        select p.key, r.id, r.name, r.household_id as "householdId", r.grid_path as "gridPath", r.status, h.label as "householdLabel",
          coalesce((select array_agg(t.tag) from resident_tag t where t.resident_id = r.id), '{}') as tags,
          exists (select 1 from specimen s where s.round_id = ${roundId} and s.resident_id = r.id) as sampled,
          (select o.id from recheck_order o where o.round_id = ${roundId} and o.resident_id = r.id and o.status = 'ordered' limit 1) as "recheckOrderId"
        from p join resident r on r.id = p.id left join household h on h.id = r.household_id`,
  )
  return new Map(found.map((p) => [p.key, p]))
}

export async function specimensByClientId(db: Db, clientIds: string[]): Promise<Map<string, { id: string; tubeId: string; roundId: string }>> {
  if (clientIds.length === 0) return new Map()
  const found = await rows<{ client_id: string; id: string; tube_id: string; round_id: string }>(
    db,
    sql`select client_id, id, tube_id, round_id from specimen where client_id = any(${sql.param(clientIds)}::text[])`,
  )
  return new Map(found.map((s) => [s.client_id, { id: s.id, tubeId: s.tube_id, roundId: s.round_id }]))
}

/** Tubes by barcode, locked for the batch: two lanes never overfill one tube. */
export async function lockTubes(db: Db, codes: string[]): Promise<Map<string, TubeRow>> {
  if (codes.length === 0) return new Map()
  const found = await db.select().from(tube).where(sql`${tube.code} = any(${sql.param(codes)}::text[])`).for('update')
  return new Map(found.map((t) => [t.code, t]))
}

export interface NewTube {
  id: string
  code: string
  roundId: string
  siteId: string | null
  kind: string
  capacity: number
  members: number
  householdId: string | null
  status: string
  openedAt: Date
  openedBy: string
  closedAt: Date | null
}

export interface NewSpecimen {
  id: string
  clientId: string
  roundId: string
  tubeId: string
  residentId: string
  gridPath: string
  siteId: string | null
  samplerName: string
  specimenType: string
  scannedAt: Date
  outOfScope: boolean
  repeat: boolean
  recheckOrderId: string | null
}

/**
 * Writes a scan batch in one statement: new tubes, changed tubes, specimens, rechecks now sampled.
 * (A statement of arrays, not COPY: for the tens to hundreds of rows of a device's batch, one
 * round trip is what counts.)
 */
export async function writeScanBatch(
  tx: Db,
  batch: { newTubes: NewTube[]; changedTubes: { id: string; members: number; status: string; closedAt: Date | null }[]; specimens: NewSpecimen[]; rechecksSampled: { id: string; at: Date }[] },
): Promise<void> {
  const t = batch.newTubes
  const c = batch.changedTubes
  const s = batch.specimens
  const r = batch.rechecksSampled
  const iso = (d: Date | null): string | null => d?.toISOString() ?? null
  const p = <T>(values: T[]): SQL => sql`${sql.param(values)}`
  await tx.execute(sql`
    with new_tubes as (
      insert into tube (id, code, round_id, site_id, kind, capacity, members, household_id, status, opened_at, opened_by, closed_at)
      select * from unnest(${p(t.map((x) => x.id))}::uuid[], ${p(t.map((x) => x.code))}::text[], ${p(t.map((x) => x.roundId))}::uuid[], ${p(t.map((x) => x.siteId))}::uuid[],
                           ${p(t.map((x) => x.kind))}::text[], ${p(t.map((x) => x.capacity))}::int[], ${p(t.map((x) => x.members))}::int[], ${p(t.map((x) => x.householdId))}::uuid[],
                           ${p(t.map((x) => x.status))}::text[], ${p(t.map((x) => iso(x.openedAt)))}::timestamptz[], ${p(t.map((x) => x.openedBy))}::text[], ${p(t.map((x) => iso(x.closedAt)))}::timestamptz[])
      returning 1),
    changed_tubes as (
      update tube set members = v.members, status = v.status, closed_at = v.closed_at
      from unnest(${p(c.map((x) => x.id))}::uuid[], ${p(c.map((x) => x.members))}::int[], ${p(c.map((x) => x.status))}::text[], ${p(c.map((x) => iso(x.closedAt)))}::timestamptz[]) as v(id, members, status, closed_at)
      where tube.id = v.id
      returning 1),
    new_specimens as (
      insert into specimen (id, client_id, round_id, tube_id, resident_id, grid_path, site_id, sampler_name, specimen_type, scanned_at, out_of_scope, repeat, recheck_order_id)
      select * from unnest(${p(s.map((x) => x.id))}::uuid[], ${p(s.map((x) => x.clientId))}::text[], ${p(s.map((x) => x.roundId))}::uuid[], ${p(s.map((x) => x.tubeId))}::uuid[],
                           ${p(s.map((x) => x.residentId))}::uuid[], ${p(s.map((x) => x.gridPath))}::text[], ${p(s.map((x) => x.siteId))}::uuid[], ${p(s.map((x) => x.samplerName))}::text[],
                           ${p(s.map((x) => x.specimenType))}::text[], ${p(s.map((x) => iso(x.scannedAt)))}::timestamptz[], ${p(s.map((x) => x.outOfScope))}::boolean[],
                           ${p(s.map((x) => x.repeat))}::boolean[], ${p(s.map((x) => x.recheckOrderId))}::uuid[])
      returning 1),
    sampled_rechecks as (
      update recheck_order set status = 'sampled', sampled_at = v.at
      from unnest(${p(r.map((x) => x.id))}::uuid[], ${p(r.map((x) => iso(x.at)))}::timestamptz[]) as v(id, at)
      where recheck_order.id = v.id and recheck_order.status = 'ordered'
      returning 1)
    select (select count(*) from new_tubes), (select count(*) from changed_tubes), (select count(*) from new_specimens), (select count(*) from sampled_rechecks)`)
}

/* ------------------------------------------------------------------ results */

export async function tubesByCode(db: Db, codes: string[]): Promise<Map<string, TubeRow>> {
  if (codes.length === 0) return new Map()
  const found = await db.select().from(tube).where(sql`${tube.code} = any(${sql.param(codes)}::text[])`).for('update')
  return new Map(found.map((t) => [t.code, t]))
}

/** Of these tubes, the ones holding a swab of someone outside `scope` (an empty tube: of a round reaching beyond it). */
export async function tubesReachingBeyond(db: Db, tubeIds: string[], scope: ScopeOn): Promise<Set<string>> {
  if (tubeIds.length === 0) return new Set()
  const found = await rows<{ id: string }>(
    db,
    sql`select t.id from tube t join test_round r on r.id = t.round_id
        where t.id = any(${sql.param(tubeIds)}::uuid[])
          and (exists (select 1 from specimen s where s.tube_id = t.id and not (${scope(sql`s.grid_path`)}))
               or (not exists (select 1 from specimen s where s.tube_id = t.id)
                   and exists (select 1 from unnest(r.scope_paths) as p(path) where not (${scope(sql`p.path`)}))))`,
  )
  return new Set(found.map((r) => r.id))
}

export interface AppliedResult {
  tubeId: string
  result: 'negative' | 'positive' | 'abnormal'
  kind: 'pooled' | 'single' | 'recheck'
  resultedAt: Date
}

export interface ResultEffects {
  /** Members of positive or abnormal pools, now pending recheck (with their new orders). */
  poolPositive: { residentId: string; gridPath: string; tubeCode: string; roundId: string }[]
  confirmed: { residentId: string; gridPath: string; tubeCode: string; roundId: string }[]
  cleared: number
}

/**
 * Applies lab results set-wise: the tubes, their members' states, recheck orders for pool
 * members, resolution of the rechecks, and confirmed positives (once per person and round).
 */
export async function applyTubeResults(tx: Db, lab: string, applied: AppliedResult[]): Promise<ResultEffects> {
  const effects: ResultEffects = { poolPositive: [], confirmed: [], cleared: 0 }
  if (applied.length === 0) return effects
  const ids = (pred: (a: AppliedResult) => boolean): string[] => applied.filter(pred).map((a) => a.tubeId)
  await tx.execute(sql`update tube set result = v.result, resulted_at = v.at, lab = ${lab}, status = 'closed', closed_at = coalesce(tube.closed_at, v.at)
    from unnest(${sql.param(applied.map((a) => a.tubeId))}::uuid[], ${sql.param(applied.map((a) => a.result))}::text[], ${sql.param(applied.map((a) => a.resultedAt.toISOString()))}::timestamptz[]) as v(id, result, at)
    where tube.id = v.id`)

  // Negative pools and single tubes clear their members (a retest may turn a pool back to negative).
  const negative = ids((a) => a.result === 'negative' && a.kind !== 'recheck')
  if (negative.length) {
    const [r] = await rows<{ n: number }>(
      tx,
      sql`with s as (update specimen set state = 'negative' where tube_id = any(${sql.param(negative)}::uuid[]) and state in ('pending', 'pool_positive') returning 1) select count(*)::int as n from s`,
    )
    effects.cleared += r?.n ?? 0
  }
  // Positive or abnormal pools, and abnormal single tubes: members pending recheck, one order each.
  const toRecheck = ids((a) => (a.kind === 'pooled' && a.result !== 'negative') || (a.kind === 'single' && a.result === 'abnormal'))
  if (toRecheck.length) {
    effects.poolPositive = await rows(
      tx,
      sql`with s as (
            update specimen set state = 'pool_positive' where tube_id = any(${sql.param(toRecheck)}::uuid[]) and state in ('pending', 'negative')
            returning id, round_id, resident_id, grid_path, tube_id),
          o as (
            insert into recheck_order (round_id, resident_id, grid_path, source_tube_id, source_specimen_id)
            select round_id, resident_id, grid_path, tube_id, id from s on conflict (source_specimen_id) do nothing returning 1)
          select s.resident_id as "residentId", s.grid_path as "gridPath", t.code as "tubeCode", s.round_id as "roundId", (select count(*) from o) as orders
          from s join tube t on t.id = s.tube_id`,
    )
  }
  // Positive single tubes: confirmed.
  const singlePositive = ids((a) => a.kind === 'single' && a.result === 'positive')
  if (singlePositive.length) {
    effects.confirmed.push(
      ...(await rows<ResultEffects['confirmed'][number]>(
        tx,
        sql`with s as (update specimen set state = 'confirmed_positive' where tube_id = any(${sql.param(singlePositive)}::uuid[]) and state <> 'confirmed_positive'
              returning id, round_id, resident_id, grid_path, tube_id)
            select s.resident_id as "residentId", s.grid_path as "gridPath", t.code as "tubeCode", s.round_id as "roundId", s.id as "specimenId" from s join tube t on t.id = s.tube_id`,
      )),
    )
  }
  // Recheck tubes resolve their orders and the pooled specimen the order came from.
  for (const result of ['negative', 'positive'] as const) {
    const recheck = ids((a) => a.kind === 'recheck' && a.result === result)
    if (recheck.length === 0) continue
    const resolved = await rows<ResultEffects['confirmed'][number]>(
      tx,
      sql`with s as (update specimen set state = ${result === 'negative' ? 'negative' : 'confirmed_positive'} where tube_id = any(${sql.param(recheck)}::uuid[]) and recheck_order_id is not null
            returning recheck_order_id, tube_id),
          o as (update recheck_order set status = ${result}, resolved_at = now() from s where recheck_order.id = s.recheck_order_id
            returning recheck_order.source_specimen_id, recheck_order.resident_id, recheck_order.grid_path, recheck_order.round_id, s.tube_id),
          src as (update specimen set state = ${result === 'negative' ? 'recheck_negative' : 'confirmed_positive'} from o where specimen.id = o.source_specimen_id returning 1)
          select o.resident_id as "residentId", o.grid_path as "gridPath", t.code as "tubeCode", o.round_id as "roundId", (select count(*) from src) as n
          from o join tube t on t.id = o.tube_id`,
    )
    if (result === 'positive') effects.confirmed.push(...resolved)
    else effects.cleared += resolved.length
  }
  return effects
}

export interface NewConflict {
  tubeId: string
  roundId: string
  held: 'negative' | 'positive' | 'abnormal'
  incoming: 'negative' | 'positive' | 'abnormal'
  retest: boolean
}

/** Opens a conflict per tube and disagreeing result (one open each: a lab sending it twice opens one). */
export async function insertConflicts(tx: Db, lab: string, conflicts: NewConflict[]): Promise<void> {
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
  tubeKind: string
  held: string
  incoming: string
  lab: string
  retest: boolean
  status: string
  note: string | null
  resolvedBy: string | null
  resolvedAt: Date | null
  createdAt: Date
  /** Swabs of the tube under the caller's scope. */
  members: number
}

const conflictColumns = (scope: ScopeOn): SQL => sql`c.id, c.tube_id as "tubeId", t.code as "tubeCode", t.kind as "tubeKind", c.held, c.incoming, c.lab, c.retest, c.status, c.note,
  c.resolved_by as "resolvedBy", c.resolved_at as "resolvedAt", c.created_at as "createdAt",
  (select count(*)::int from specimen s where s.tube_id = c.tube_id and ${scope(sql`s.grid_path`)}) as members`

/** A round's result conflicts whose tube holds a swab under the caller's scope; open ones first. */
export async function conflictsOfRound(db: Db, roundId: string, scope: ScopeOn): Promise<ConflictRow[]> {
  return rows(
    db,
    sql`select ${conflictColumns(scope)} from result_conflict c join tube t on t.id = c.tube_id
        where c.round_id = ${roundId} and exists (select 1 from specimen s where s.tube_id = c.tube_id and ${scope(sql`s.grid_path`)})
        order by c.status = 'open' desc, c.created_at desc, c.id limit 500`,
  )
}

/** One conflict, locked for its resolution, with the grids of everyone in its tube. */
export async function lockConflict(db: Db, roundId: string, id: string, scope: ScopeOn): Promise<(ConflictRow & { gridPaths: string[] }) | undefined> {
  const [c] = await rows<ConflictRow & { gridPaths: string[] }>(
    db,
    sql`select ${conflictColumns(scope)}, coalesce((select array_agg(distinct s.grid_path) from specimen s where s.tube_id = c.tube_id), '{}') as "gridPaths"
        from result_conflict c join tube t on t.id = c.tube_id where c.id = ${id} and c.round_id = ${roundId} for update of c`,
  )
  return c
}

/** Records confirmed positives once per person and round; returns those that are new. */
export async function recordPositiveCases(tx: Db, confirmed: ResultEffects['confirmed']): Promise<number> {
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

/* ------------------------------------------------------------------ progress and missed */

/** Residents in the round's scope and the actor's, by grid: in scope, sampled, excused, missed. */
export async function progressByGrid(db: Db, round: RoundRow, scope: ScopeOn): Promise<{ gridPath: string; gridName: string; inScope: number; sampled: number; excused: number }[]> {
  return rows(
    db,
    sql`with p as (
          select r.grid_path,
                 count(*)::int as in_scope,
                 count(*) filter (where exists (select 1 from specimen s where s.round_id = ${round.id} and s.resident_id = r.id))::int as sampled,
                 count(*) filter (where exists (select 1 from missed_reason m where m.round_id = ${round.id} and m.resident_id = r.id and m.excludes))::int as excused
          from resident r
          where r.status = 'active' and ${pathsCondition(sql`r.grid_path`, round.scopePaths)} and ${scope(sql`r.grid_path`)}
          group by r.grid_path)
        select p.grid_path as "gridPath", coalesce(d.name, p.grid_path) as "gridName", p.in_scope as "inScope", p.sampled, p.excused
        from p left join division d on d.path = p.grid_path order by p.grid_path`,
  )
}

/** The missed-test list's counts by grid: one anti-join of the registry against the round's specimens and excuses. */
export function missedCountsSql(round: RoundRow, scope: ScopeOn): SQL {
  return sql`select r.grid_path as "gridPath", count(*)::int as missed
        from resident r
        where r.status = 'active' and ${pathsCondition(sql`r.grid_path`, round.scopePaths)} and ${scope(sql`r.grid_path`)}
          and not exists (select 1 from specimen s where s.round_id = ${round.id} and s.resident_id = r.id)
          and not exists (select 1 from missed_reason m where m.round_id = ${round.id} and m.resident_id = r.id and m.excludes)
        group by r.grid_path order by r.grid_path`
}

export async function missedCountsByGrid(db: Db, round: RoundRow, scope: ScopeOn): Promise<{ gridPath: string; missed: number }[]> {
  // A street's round hashes its specimens' residents (700 k for a million people); with the
  // default 4 MB of work_mem the hash spills to disk in batches (bench/missed).
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`)
    return rows(tx, missedCountsSql(round, scope))
  })
}

export interface MissedRow {
  id: string
  name: string
  phoneEnc: string | null
  gridPath: string
  householdLabel: string | null
  sortKey: string
  reason: string | null
  note: string | null
  birthDate: string | null
}

/**
 * One page of the missed-test list in walking order (grid → building → household), keyset by
 * (grid, sort key, id). The inner query walks `resident_scope_order_idx` and stops at the page's
 * end; joining households and reasons outside it keeps the planner from sorting the whole
 * street first (2.5 s → 1 ms for a street's first page, bench/missed).
 */
export async function missedPage(
  db: Db,
  round: RoundRow,
  scope: ScopeOn,
  q: { gridPath?: string; after?: { gridPath: string; sortKey: string; id: string }; limit: number; includeExcused?: boolean },
): Promise<MissedRow[]> {
  const escaped = q.gridPath ? likePrefix(q.gridPath) : null
  return rows(
    db,
    sql`select r.id, r.name, r.phone_enc as "phoneEnc", r.grid_path as "gridPath", h.label as "householdLabel", r.sort_key as "sortKey", m.reason, m.note, r.birth_date::text as "birthDate"
        from (
          select r.id, r.grid_path, r.sort_key from resident r
          where r.status = 'active' and ${pathsCondition(sql`r.grid_path`, round.scopePaths)} and ${scope(sql`r.grid_path`)}
            ${escaped ? sql`and r.grid_path like ${escaped}` : sql``}
            ${q.after ? sql`and (r.grid_path, r.sort_key, r.id) > (${q.after.gridPath}, ${q.after.sortKey}, ${q.after.id}::uuid)` : sql``}
            and not exists (select 1 from specimen s where s.round_id = ${round.id} and s.resident_id = r.id)
            ${q.includeExcused ? sql`` : sql`and not exists (select 1 from missed_reason x where x.round_id = ${round.id} and x.resident_id = r.id and x.excludes)`}
          order by r.grid_path, r.sort_key, r.id
          limit ${q.limit}) pick
        join resident r on r.id = pick.id
        left join household h on h.id = r.household_id
        left join missed_reason m on m.round_id = ${round.id} and m.resident_id = r.id
        order by pick.grid_path, pick.sort_key, pick.id`,
  )
}

export async function upsertMissedReason(db: Db, v: typeof missedReason.$inferInsert): Promise<void> {
  await db
    .insert(missedReason)
    .values(v)
    .onConflictDoUpdate({ target: [missedReason.roundId, missedReason.residentId], set: { reason: v.reason, excludes: v.excludes, note: v.note, recordedBy: v.recordedBy, recordedAt: new Date() } })
}

/**
 * The tubes of a round the caller may count: all of them for a caller whose scope holds the
 * whole round, otherwise those holding a swab of someone under the caller's scope (a grid
 * worker on a street round sees their part, not the street's). `t` is the tube table's alias.
 */
export function tubesInScope(scope: ScopeOn | null): SQL {
  return scope ? sql`exists (select 1 from specimen s where s.tube_id = t.id and ${scope(sql`s.grid_path`)})` : sql`true`
}

export async function roundCounters(db: Db, roundId: string, scope: ScopeOn, tubeScope: ScopeOn | null): Promise<{
  specimens: number
  tubesOpen: number
  tubesClosed: number
  tubesResulted: number
  poolPositiveTubes: number
  rechecksOrdered: number
  rechecksOpen: number
  confirmed: number
  conflicts: number
}> {
  const tubes = tubesInScope(tubeScope)
  const [r] = await rows<Awaited<ReturnType<typeof roundCounters>>>(
    db,
    sql`select
          (select count(*)::int from specimen s where s.round_id = ${roundId} and ${scope(sql`s.grid_path`)}) as specimens,
          (select count(*)::int from tube t where t.round_id = ${roundId} and t.status = 'open' and ${tubes}) as "tubesOpen",
          (select count(*)::int from tube t where t.round_id = ${roundId} and t.status = 'closed' and ${tubes}) as "tubesClosed",
          (select count(*)::int from tube t where t.round_id = ${roundId} and t.result is not null and ${tubes}) as "tubesResulted",
          (select count(*)::int from tube t where t.round_id = ${roundId} and t.kind = 'pooled' and t.result in ('positive', 'abnormal') and ${tubes}) as "poolPositiveTubes",
          (select count(*)::int from recheck_order o where o.round_id = ${roundId} and ${scope(sql`o.grid_path`)}) as "rechecksOrdered",
          (select count(*)::int from recheck_order o where o.round_id = ${roundId} and o.status in ('ordered', 'sampled') and ${scope(sql`o.grid_path`)}) as "rechecksOpen",
          (select count(*)::int from positive_case c where c.round_id = ${roundId} and ${scope(sql`c.grid_path`)}) as confirmed,
          (select count(*)::int from result_conflict c join tube t on t.id = c.tube_id where c.round_id = ${roundId} and c.status = 'open'
             and exists (select 1 from specimen s where s.tube_id = c.tube_id and ${scope(sql`s.grid_path`)})) as conflicts`,
  )
  return r!
}
