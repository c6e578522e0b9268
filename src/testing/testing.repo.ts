import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import { localDate } from '../core/clock.js'
import { excusedJoins, excusedSql, roundMembersSql, type RoundDays } from './missed.repo.js'
import { rows, type Db, type Tx } from '../core/db/db.js'
import { scopeCondition, scopeOverlapCondition, type ScopedActor } from '../core/scope/scope.js'
import { recheckOrder, testRound, tube } from './testing.tables.js'

/**
 * The queries of rounds, their progress and sampling (codes: codes.repo, sites: sites.repo,
 * key groups: routine.repo; results: results.repo; the missed-test list: missed.repo). A
 * caller's scope is passed as data (its paths) and each query writes its own predicate.
 */

/** The scope a query is limited to: an actor, or any set of tree paths. */
export type Scope = Pick<ScopedActor, 'scopePaths'>

export type RoundRow = typeof testRound.$inferSelect
export type NewRound = typeof testRound.$inferInsert
export type TubeRow = typeof tube.$inferSelect

/* ------------------------------------------------------------------ rounds */

export async function findRound(db: Db, id: string): Promise<RoundRow | undefined> {
  const [r] = await db.select().from(testRound).where(eq(testRound.id, id))
  return r
}

/** Where a round list page ends: the last row's creation time (PostgreSQL text, microseconds kept) and id. */
export interface RoundCursor {
  at: string
  id: string
}

/** A round any of whose scope paths overlaps the caller's scope (above it, as a street round seen from a grid, or inside it). */
function roundOverlaps(scope: Scope): SQL {
  return sql`exists (select 1 from unnest(${testRound.scopePaths}) as rp(path) where ${scopeOverlapCondition(sql`rp.path`, scope)})`
}

/**
 * Rounds overlapping the caller's scope, newest first, one keyset page: the scope is in the
 * query, so a grid worker in a deployment of thousands of rounds still finds theirs.
 */
export async function listRoundRows(
  db: Db,
  scope: Scope,
  q: {
    status?: RoundRow['status'] | undefined
    after?: RoundCursor | null | undefined
    limit: number
  },
): Promise<(RoundRow & { cursorAt: string })[]> {
  return db
    .select({ ...roundColumns, cursorAt: sql<string>`${testRound.createdAt}::text` })
    .from(testRound)
    .where(
      and(
        roundOverlaps(scope),
        q.status ? eq(testRound.status, q.status) : undefined,
        q.after
          ? sql`(${testRound.createdAt}, ${testRound.id}) < (${q.after.at}::timestamptz, ${q.after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(testRound.createdAt), desc(testRound.id))
    .limit(q.limit)
}

/** How many closed rounds the sampling screen offers for rechecks. */
const RECHECK_ROUNDS = 50

/**
 * Closed rounds that still have rechecks to swab (status ordered) among the caller's people,
 * with how many, most recently closed first: the recheck orders' grids are matched to the scope
 * in the query, so a grid worker sees only the rechecks of their grids.
 */
export async function recheckRoundRows(
  db: Db,
  scope: Scope,
): Promise<(RoundRow & { openRechecks: number })[]> {
  const open = db.$with('open_recheck').as(
    db
      .select({ roundId: recheckOrder.roundId, n: sql<number>`count(*)::int`.as('n') })
      .from(recheckOrder)
      .where(
        and(
          eq(recheckOrder.status, 'ordered'),
          scopeCondition(sql`${recheckOrder.gridPath}`, scope),
        ),
      )
      .groupBy(recheckOrder.roundId),
  )
  return db
    .with(open)
    .select({ ...roundColumns, openRechecks: open.n })
    .from(testRound)
    .innerJoin(open, eq(open.roundId, testRound.id))
    .where(eq(testRound.status, 'closed'))
    .orderBy(desc(testRound.closedAt), desc(testRound.id))
    .limit(RECHECK_ROUNDS)
}

const roundColumns = {
  id: testRound.id,
  name: testRound.name,
  kind: testRound.kind,
  scopeIds: testRound.scopeIds,
  scopePaths: testRound.scopePaths,
  startsAt: testRound.startsAt,
  deadline: testRound.deadline,
  poolSize: testRound.poolSize,
  householdPool: testRound.householdPool,
  householdCapacity: testRound.householdCapacity,
  singleTubeTags: testRound.singleTubeTags,
  areaReason: testRound.areaReason,
  buildingIds: testRound.buildingIds,
  unitIds: testRound.unitIds,
  turnaroundRecheckHours: testRound.turnaroundRecheckHours,
  profileName: testRound.profileName,
  turnaroundPooledHours: testRound.turnaroundPooledHours,
  turnaroundSingleHours: testRound.turnaroundSingleHours,
  status: testRound.status,
  createdBy: testRound.createdBy,
  createdAt: testRound.createdAt,
  closedAt: testRound.closedAt,
} satisfies Record<keyof RoundRow, unknown>

export async function insertRound(db: Db, values: NewRound): Promise<RoundRow> {
  const [round] = await db.insert(testRound).values(values).returning()
  return round!
}

/** Closes a round and every tube still open in it. */
export async function closeRoundAndTubes(db: Db, id: string, at: Date): Promise<RoundRow> {
  const [closed] = await db
    .update(testRound)
    .set({ status: 'closed', closedAt: at })
    .where(eq(testRound.id, id))
    .returning()
  await db
    .update(tube)
    .set({ status: 'closed', closedAt: at })
    .where(and(eq(tube.roundId, id), eq(tube.status, 'open')))
  return closed!
}

/** Division names by id (a round's scope, shown by name). */
export async function divisionNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const found = await rows<{ id: string; name: string }>(
    db,
    sql`select id, name from division where id = any(${sql.param([...ids])}::uuid[])`,
  )
  return new Map(found.map((d) => [d.id, d.name]))
}

/* ------------------------------------------------------------------ sampling */

export interface ScanPerson {
  id: string
  name: string
  householdId: string | null
  gridPath: string
  status: string
  tags: string[]
  householdLabel: string | null
  /** The building and unit of their household (a round of buildings or units samples only those). */
  buildingId: string | null
  unitId: string | null
  /** Already has a specimen in this round. */
  sampled: boolean
  /** An open recheck order of this round: the next swab answers it. */
  recheckOrderId: string | null
}

/**
 * The people a scan batch names, by live code token and by ID blind index, with what the scan
 * needs to know about each in this round: one query for the batch.
 */
export async function scanPersons(
  db: Db,
  roundId: string,
  tokens: string[],
  bidx: string[],
): Promise<Map<string, ScanPerson>> {
  if (tokens.length === 0 && bidx.length === 0) return new Map()
  const found = await rows<ScanPerson & { key: string }>(
    db,
    sql`with p as (
          select c.token as key, c.resident_id as id from resident_code c where c.token = any(${sql.param(tokens)}::text[]) and c.revoked_at is null
          union all
          select r.id_bidx as key, r.id from resident r where r.id_bidx = any(${sql.param(bidx)}::text[]))
        select p.key, r.id, r.name, r.household_id as "householdId", r.grid_path as "gridPath", r.status, h.label as "householdLabel",
          h.building_id as "buildingId", h.unit_id as "unitId",
          coalesce((select array_agg(t.tag) from resident_tag t where t.resident_id = r.id), '{}') as tags,
          exists (select 1 from specimen s where s.round_id = ${roundId} and s.resident_id = r.id) as sampled,
          (select o.id from recheck_order o where o.round_id = ${roundId} and o.resident_id = r.id and o.status = 'ordered' limit 1) as "recheckOrderId"
        from p join resident r on r.id = p.id left join household h on h.id = r.household_id`,
  )
  return new Map(found.map((p) => [p.key, p]))
}

export async function specimensByClientId(
  db: Db,
  clientIds: string[],
): Promise<Map<string, { id: string; tubeId: string; roundId: string }>> {
  if (clientIds.length === 0) return new Map()
  const found = await rows<{ client_id: string; id: string; tube_id: string; round_id: string }>(
    db,
    sql`select client_id, id, tube_id, round_id from specimen where client_id = any(${sql.param(clientIds)}::text[])`,
  )
  return new Map(
    found.map((s) => [s.client_id, { id: s.id, tubeId: s.tube_id, roundId: s.round_id }]),
  )
}

/** Tubes by barcode, locked for the batch: two lanes never overfill one tube. */
export async function lockTubes(tx: Tx, codes: string[]): Promise<Map<string, TubeRow>> {
  if (codes.length === 0) return new Map()
  const found = await tx
    .select()
    .from(tube)
    .where(sql`${tube.code} = any(${sql.param(codes)}::text[])`)
    .for('update')
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
  tx: Tx,
  batch: {
    newTubes: NewTube[]
    changedTubes: { id: string; members: number; status: string; closedAt: Date | null }[]
    specimens: NewSpecimen[]
    rechecksSampled: { id: string; at: Date }[]
  },
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

/** The grids of the people swabbed into a tube (who may close someone else's tube). */
export async function tubeMemberPaths(db: Db, tubeId: string): Promise<string[]> {
  const found = await rows<{ grid_path: string }>(
    db,
    sql`select distinct grid_path from specimen where tube_id = ${tubeId}`,
  )
  return found.map((p) => p.grid_path)
}

export async function closeTube(db: Db, tubeId: string, at: Date): Promise<void> {
  await db
    .update(tube)
    .set({ status: 'closed', closedAt: at })
    .where(and(eq(tube.id, tubeId), eq(tube.status, 'open')))
}

/** A sampler's open tubes in a round (optionally at one site), newest first. */
export async function openTubesOpenedBy(
  db: Db,
  roundId: string,
  username: string,
  siteId: string | undefined,
  limit: number,
): Promise<TubeRow[]> {
  return db
    .select()
    .from(tube)
    .where(
      and(
        eq(tube.roundId, roundId),
        eq(tube.status, 'open'),
        eq(tube.openedBy, username),
        siteId ? eq(tube.siteId, siteId) : undefined,
      ),
    )
    .orderBy(desc(tube.openedAt))
    .limit(limit)
}

/* ------------------------------------------------------------------ progress */

/** Residents in the round's scope and the caller's, by grid: in scope, sampled, excused. */
export async function progressByGrid(
  db: Db,
  round: RoundRow,
  scope: Scope,
  elsewhereHours: number | null = null,
): Promise<
  { gridPath: string; gridName: string; inScope: number; sampled: number; excused: number }[]
> {
  const days = roundDays(round, elsewhereHours)
  return rows(
    db,
    sql`with p as (
          select r.grid_path,
                 count(*)::int as in_scope,
                 count(*) filter (where exists (select 1 from specimen s where s.round_id = ${round.id} and s.resident_id = r.id))::int as sampled,
                 count(*) filter (where ${excusedSql(days)})::int as excused
          from resident r
          ${excusedJoins(days)}
          where r.status = 'active' and ${roundMembersSql(days)} and ${scopeCondition(sql`r.grid_path`, scope)}
          group by r.grid_path)
        select p.grid_path as "gridPath", coalesce(d.name, p.grid_path) as "gridName", p.in_scope as "inScope", p.sampled, p.excused
        from p left join division d on d.path = p.grid_path order by p.grid_path`,
  )
}

/** The missed-test list's counts by grid: one anti-join of the registry against the round's specimens and excuses. */
export function missedCountsSql(
  round: RoundRow,
  scope: Scope,
  elsewhereHours: number | null = null,
): SQL {
  const days = roundDays(round, elsewhereHours)
  return sql`select r.grid_path as "gridPath", count(*)::int as missed
        from resident r
        ${excusedJoins(days)}
        where r.status = 'active' and ${roundMembersSql(days)} and ${scopeCondition(sql`r.grid_path`, scope)}
          and not exists (select 1 from specimen s where s.round_id = ${round.id} and s.resident_id = r.id)
          and not ${excusedSql(days)}
        group by r.grid_path order by r.grid_path`
}

/**
 * The local days a round runs over (its start and deadline), which presence is read against, its
 * places, and the window in which a swab in another round accounts for a person (the profile's
 * tested-elsewhere hours before the start, up to the deadline; null: no such credit).
 */
export function roundDays(round: RoundRow, elsewhereHours: number | null = null): RoundDays {
  return {
    id: round.id,
    scopePaths: round.scopePaths,
    buildingIds: round.buildingIds,
    unitIds: round.unitIds,
    firstDay: localDate(round.startsAt),
    lastDay: localDate(round.deadline),
    elsewhereFrom:
      elsewhereHours === null
        ? null
        : new Date(round.startsAt.getTime() - elsewhereHours * 3_600_000).toISOString(),
    elsewhereTo: round.deadline.toISOString(),
  }
}

export async function missedCountsByGrid(
  db: Db,
  round: RoundRow,
  scope: Scope,
  elsewhereHours: number | null = null,
): Promise<{ gridPath: string; missed: number }[]> {
  // A street's round hashes its specimens' residents (700 k for a million people); with the
  // default 4 MB of work_mem the hash spills to disk in batches (bench/missed).
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`)
    return rows(tx, missedCountsSql(round, scope, elsewhereHours))
  })
}

/**
 * The tubes of a round the caller may count (`t` is the tube table): all of them when
 * `tubeScope` is null (the caller's scope holds the whole round), otherwise those holding a swab
 * of someone under it (a grid worker on a street round sees their part, not the street's).
 */
export function tubesIn(tubeScope: Scope | null): SQL {
  return tubeScope
    ? sql`exists (select 1 from specimen s where s.tube_id = t.id and ${scopeCondition(sql`s.grid_path`, tubeScope)})`
    : sql`true`
}

/** Specimens of the round under the caller's scope, by hour of the scan (UTC, ISO). */
export async function specimensByHour(
  db: Db,
  roundId: string,
  scope: Scope,
): Promise<{ hour: string; specimens: number }[]> {
  return rows(
    db,
    sql`select to_char(date_trunc('hour', scanned_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"') as hour, count(*)::int as specimens
        from specimen s where s.round_id = ${roundId} and ${scopeCondition(sql`s.grid_path`, scope)} group by 1 order by 1`,
  )
}

/** Tubes by whole hours from opening to result (null: no result yet) and kind. */
export interface RoundCounters {
  specimens: number
  tubesOpen: number
  tubesClosed: number
  tubesResulted: number
  poolPositiveTubes: number
  rechecksOrdered: number
  rechecksOpen: number
  confirmed: number
  conflicts: number
}

export async function roundCounters(
  db: Db,
  roundId: string,
  scope: Scope,
  tubeScope: Scope | null,
): Promise<RoundCounters> {
  const tubes = tubesIn(tubeScope)
  const inScope = (col: SQL): SQL => scopeCondition(col, scope)
  const [r] = await rows<RoundCounters>(
    db,
    sql`select
          (select count(*)::int from specimen s where s.round_id = ${roundId} and ${inScope(sql`s.grid_path`)}) as specimens,
          (select count(*)::int from tube t where t.round_id = ${roundId} and t.status = 'open' and ${tubes}) as "tubesOpen",
          (select count(*)::int from tube t where t.round_id = ${roundId} and t.status = 'closed' and ${tubes}) as "tubesClosed",
          (select count(*)::int from tube t where t.round_id = ${roundId} and t.result is not null and ${tubes}) as "tubesResulted",
          (select count(*)::int from tube t where t.round_id = ${roundId} and t.kind = 'pooled' and t.result in ('positive', 'abnormal') and ${tubes}) as "poolPositiveTubes",
          (select count(*)::int from recheck_order o where o.round_id = ${roundId} and ${inScope(sql`o.grid_path`)}) as "rechecksOrdered",
          (select count(*)::int from recheck_order o where o.round_id = ${roundId} and o.status in ('ordered', 'sampled') and ${inScope(sql`o.grid_path`)}) as "rechecksOpen",
          (select count(*)::int from positive_case c where c.round_id = ${roundId} and ${inScope(sql`c.grid_path`)}) as confirmed,
          (select count(*)::int from result_conflict c join tube t on t.id = c.tube_id where c.round_id = ${roundId} and c.status = 'open'
             and exists (select 1 from specimen s where s.tube_id = c.tube_id and ${inScope(sql`s.grid_path`)})) as conflicts`,
  )
  return r!
}
