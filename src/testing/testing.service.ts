import { and, desc, eq, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import { assertPathInScope, assertScopeContains, isWholeDeployment, outOfScopeError, pathOverlapsScope, scopeCondition, scopeContainsAll, type Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import { invalid, notFound } from '../core/errors.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { profileSection } from '../policy/policy.service.js'
import { findRound, missedCountsByGrid, progressByGrid, roundCounters, tubesInScope, type RoundRow, type ScopeOn } from './testing.repo.js'
import { readTime, testingProfile, type TestingProfile } from './testing.rules.js'
import { testRound, tube } from './testing.tables.js'

/**
 * Testing rounds (domain.md §5): the profile's testing rules, opening and closing a round, who
 * may see it, and its live progress. Sampling, codes, results and the missed-test list are
 * beside this file (sampling.service, codes.service, results.service, missed.service).
 */

export async function testingSettings(db: Db): Promise<{ profile: string; settings: TestingProfile }> {
  return profileSection(db, 'testing', testingProfile)
}

export const scopeOn =
  (actor: Actor): ScopeOn =>
  (col) =>
    scopeCondition(col, actor)

/** A round is visible to whoever's scope overlaps it: above it (command) or inside it (a grid). */
function roundVisible(actor: Actor, round: RoundRow): boolean {
  return isWholeDeployment(actor) || round.scopePaths.some((rp) => pathOverlapsScope(actor, rp))
}

export async function visibleRound(db: Db, actor: Actor, id: string): Promise<RoundRow> {
  const round = await findRound(db, id)
  if (!round) throw notFound('Round')
  if (!roundVisible(actor, round)) throw outOfScopeError(actor, { type: 'test_round', id, path: round.scopePaths[0] ?? '/' })
  return round
}

export interface CreateRoundIn {
  name: string
  kind: 'area' | 'key_groups' | 'routine'
  divisionIds: string[]
  startsAt?: string
  deadline: string
  poolSize?: number
  householdPool?: boolean
  singleTubeTags?: string[]
}

export async function createRound(db: Db, actor: Actor, input: CreateRoundIn, now = new Date()): Promise<RoundView> {
  authorize(actor, 'testing:manage')
  const { profile, settings } = await testingSettings(db)
  const poolSize = input.poolSize ?? settings.defaultPoolSize
  if (!settings.poolSizes.includes(poolSize)) throw invalid('poolSize', `profile ${profile} allows ${settings.poolSizes.join(', ')} per tube`)
  const startsAt = input.startsAt ? readTime(input.startsAt) : now
  if (!startsAt) throw invalid('startsAt', 'a real date and time in 2000–2099')
  const deadline = readTime(input.deadline)
  if (!deadline) throw invalid('deadline', 'a real date and time in 2000–2099')
  if (!(deadline > startsAt)) throw invalid('deadline', 'must be after the start')
  const hours = (deadline.getTime() - startsAt.getTime()) / 3_600_000
  if (input.kind === 'area' && hours > settings.areaRoundHours) throw invalid('deadline', `an area-wide round must finish within ${settings.areaRoundHours} h (profile ${profile})`)
  const divisions = []
  for (const id of [...new Set(input.divisionIds)]) {
    const d = await findDivisionById(db, id)
    if (!d) throw invalid('divisionIds', `no division ${id}`)
    if (d.level !== 'community' && d.level !== 'grid' && d.level !== 'street') throw invalid('divisionIds', `${d.name} is a ${d.level}; a round covers streets, communities or grids`)
    assertPathInScope(actor, { type: 'division', id: d.id, path: d.path })
    divisions.push(d)
  }
  if (divisions.length === 0) throw invalid('divisionIds', 'choose at least one community or grid')
  const [round] = await db
    .insert(testRound)
    .values({
      name: input.name.trim(),
      kind: input.kind,
      scopeIds: divisions.map((d) => d.id),
      scopePaths: divisions.map((d) => d.path),
      startsAt,
      deadline,
      poolSize,
      householdPool: input.householdPool ?? false,
      singleTubeTags: input.singleTubeTags ?? [],
      profileName: profile,
      turnaroundPooledHours: settings.turnaroundHours.pooled,
      turnaroundSingleHours: settings.turnaroundHours.single,
      createdBy: actor.username,
    })
    .returning()
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.round_open', targetType: 'test_round', targetId: round!.id, scopePath: divisions[0]!.path, ip: actor.ip, detail: { name: round!.name, poolSize } })
  return roundView(round!, new Map(divisions.map((d) => [d.id, d.name])))
}

export interface RoundView {
  id: string
  name: string
  kind: string
  scope: { id: string; name: string; path: string }[]
  startsAt: string
  deadline: string
  poolSize: number
  householdPool: boolean
  singleTubeTags: string[]
  profileName: string
  turnaroundHours: { pooled: number; single: number }
  status: string
  createdBy: string
  createdAt: string
  closedAt: string | null
}

function roundView(r: RoundRow, names: Map<string, string>): RoundView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    scope: r.scopeIds.map((id, i) => ({ id, name: names.get(id) ?? id, path: r.scopePaths[i] ?? '' })),
    startsAt: r.startsAt.toISOString(),
    deadline: r.deadline.toISOString(),
    poolSize: r.poolSize,
    householdPool: r.householdPool,
    singleTubeTags: r.singleTubeTags,
    profileName: r.profileName,
    turnaroundHours: { pooled: r.turnaroundPooledHours, single: r.turnaroundSingleHours },
    status: r.status,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  }
}

async function divisionNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const found = await rows<{ id: string; name: string }>(db, sql`select id, name from division where id = any(${sql.param(ids)}::uuid[])`)
  return new Map(found.map((d) => [d.id, d.name]))
}

export async function listRounds(db: Db, actor: Actor, q: { status?: 'open' | 'closed' }): Promise<RoundView[]> {
  authorize(actor, 'testing:read')
  const found = await db
    .select()
    .from(testRound)
    .where(q.status ? eq(testRound.status, q.status) : undefined)
    .orderBy(desc(testRound.createdAt))
    .limit(200)
  const visible = found.filter((r) => roundVisible(actor, r))
  const names = await divisionNames(db, [...new Set(visible.flatMap((r) => r.scopeIds))])
  return visible.map((r) => roundView(r, names))
}

/** Rounds a sampler may scan into now: open, overlapping their scope. */
export async function openRoundsForSampling(db: Db, actor: Actor): Promise<RoundView[]> {
  authorize(actor, 'testing:sample')
  const found = await db.select().from(testRound).where(eq(testRound.status, 'open')).orderBy(desc(testRound.createdAt)).limit(50)
  const visible = found.filter((r) => roundVisible(actor, r))
  const names = await divisionNames(db, [...new Set(visible.flatMap((r) => r.scopeIds))])
  return visible.map((r) => roundView(r, names))
}

export interface RoundProgress {
  round: RoundView
  now: string
  secondsLeft: number
  totals: { inScope: number; sampled: number; excused: number; missed: number }
  byGrid: { gridPath: string; gridName: string; inScope: number; sampled: number; excused: number; missed: number }[]
  byHour: { hour: string; specimens: number }[]
  counters: Awaited<ReturnType<typeof roundCounters>>
  turnaround: { bucket: string; tubes: number }[]
  overdueTubes: number
}

const TURNAROUND_BUCKETS = [2, 6, 12, 24, 48] as const

export async function roundProgress(db: Db, actor: Actor, id: string, now = new Date()): Promise<RoundProgress> {
  authorize(actor, 'testing:read')
  const round = await visibleRound(db, actor, id)
  const scope = scopeOn(actor)
  // Tube counts, turnaround and overdue tubes: the caller's part of the round unless their scope holds all of it.
  const tubeScope = scopeContainsAll(actor, round.scopePaths) ? null : scope
  const tubes = tubesInScope(tubeScope)
  const [grids, missed, byHour, counters, turnaround] = [
    await progressByGrid(db, round, scope),
    await missedCountsByGrid(db, round, scope),
    await rows<{ hour: string; specimens: number }>(
      db,
      sql`select to_char(date_trunc('hour', scanned_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"') as hour, count(*)::int as specimens
          from specimen s where s.round_id = ${round.id} and ${scope(sql`s.grid_path`)} group by 1 order by 1`,
    ),
    await roundCounters(db, round.id, scope, tubeScope),
    await rows<{ hours: number | null; kind: string; n: number }>(
      db,
      sql`select case when result is null then null else ceil(extract(epoch from resulted_at - opened_at) / 3600)::int end as hours, kind, count(*)::int as n
          from tube t where t.round_id = ${round.id} and ${tubes} group by 1, 2`,
    ),
  ]
  const missedBy = new Map(missed.map((m) => [m.gridPath, m.missed]))
  const byGrid = grids.map((g) => ({ ...g, missed: missedBy.get(g.gridPath) ?? 0 }))
  const totals = byGrid.reduce((t, g) => ({ inScope: t.inScope + g.inScope, sampled: t.sampled + g.sampled, excused: t.excused + g.excused, missed: t.missed + g.missed }), { inScope: 0, sampled: 0, excused: 0, missed: 0 })
  const buckets = new Map<string, number>()
  for (const t of turnaround) {
    if (t.hours === null) continue
    const b = TURNAROUND_BUCKETS.find((x) => t.hours! <= x)
    const label = b ? `≤${b}h` : `>${TURNAROUND_BUCKETS[TURNAROUND_BUCKETS.length - 1]}h`
    buckets.set(label, (buckets.get(label) ?? 0) + t.n)
  }
  const [overdue] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tube t where t.round_id = ${round.id} and t.result is null and t.status = 'closed' and ${tubes}
        and t.closed_at < ${now.toISOString()}::timestamptz - make_interval(hours => case when t.kind = 'pooled' then ${round.turnaroundPooledHours}::int else ${round.turnaroundSingleHours}::int end)`,
  )
  const names = await divisionNames(db, round.scopeIds)
  return {
    round: roundView(round, names),
    now: now.toISOString(),
    secondsLeft: Math.max(0, Math.round((round.deadline.getTime() - now.getTime()) / 1000)),
    totals,
    byGrid,
    byHour,
    counters,
    turnaround: [...TURNAROUND_BUCKETS.map((b) => `≤${b}h`), `>${TURNAROUND_BUCKETS[TURNAROUND_BUCKETS.length - 1]}h`].map((bucket) => ({ bucket, tubes: buckets.get(bucket) ?? 0 })),
    overdueTubes: overdue?.n ?? 0,
  }
}

export async function closeRound(db: Db, actor: Actor, id: string): Promise<RoundView> {
  authorize(actor, 'testing:manage')
  const round = await visibleRound(db, actor, id)
  // Closing stops sampling everywhere in the round: only a caller whose scope holds all of it may.
  assertScopeContains(actor, { type: 'test_round', id, paths: round.scopePaths })
  if (round.status === 'closed') return roundView(round, await divisionNames(db, round.scopeIds))
  const [closed] = await db.update(testRound).set({ status: 'closed', closedAt: new Date() }).where(eq(testRound.id, id)).returning()
  await db.update(tube).set({ status: 'closed', closedAt: new Date() }).where(and(eq(tube.roundId, id), eq(tube.status, 'open')))
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.round_close', targetType: 'test_round', targetId: id, scopePath: round.scopePaths[0], ip: actor.ip })
  return roundView(closed!, await divisionNames(db, closed!.scopeIds))
}
