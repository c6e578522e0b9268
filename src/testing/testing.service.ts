import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import { conflict, invalid, notFound } from '../core/errors.js'
import { requireAccess } from '../core/scope/access.js'
import {
  isWholeDeployment,
  outOfScopeError,
  pathOverlapsScope,
  scopeContainsAll,
} from '../core/scope/scope.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { profileSection } from '../policy/policy.service.js'
import {
  closeRoundAndTubes,
  divisionNames,
  findRound,
  insertRound,
  listRoundRows,
  recheckRoundRows,
  missedCountsByGrid,
  progressByGrid,
  roundCounters,
  specimensByHour,
  type RoundRow,
} from './testing.repo.js'
import { roundOpenWork } from './results.repo.js'
import type { PlaceRow } from './places.repo.js'
import { checkRoundPlaces, placeNames, stopAdvices } from './places.service.js'
import { overdueTubeCount, tubeTurnaround } from './overdue.repo.js'
import {
  areaRoundRefusal,
  decodeRoundCursor,
  encodeRoundCursor,
  readTime,
  testingProfile,
  turnaroundBuckets,
  zonePool,
} from './testing.rules.js'
import type {
  CreateRoundIn,
  ListRoundsQuery,
  ProgressOut,
  RecheckRoundsOut,
  RoundOut,
  RoundsPageOut,
  StopAdviceOut,
  TestingSettingsOut,
} from './testing.schema.js'

/**
 * Testing rounds (domain.md §5): the profile's testing rules, opening and closing a round, who
 * may see it, and its live progress. Sampling, codes, results and the missed-test list are
 * beside this file (sampling.service, codes.service, results.service, missed.service).
 */

export async function testingSettings(db: Db): Promise<TestingSettingsOut> {
  return profileSection(db, 'testing', testingProfile)
}

/** A round is visible to whoever's scope overlaps it: above it (command) or inside it (a grid). */
function roundVisible(actor: Actor, round: RoundRow): boolean {
  return isWholeDeployment(actor) || round.scopePaths.some((rp) => pathOverlapsScope(actor, rp))
}

export async function visibleRound(db: Db, actor: Actor, id: string): Promise<RoundRow> {
  const round = await findRound(db, id)
  if (!round) throw notFound('ROUND_NOT_FOUND')
  if (!roundVisible(actor, round))
    throw outOfScopeError(actor, { type: 'test_round', id, path: round.scopePaths[0] ?? '/' })
  return round
}

export async function createRound(
  tx: Tx,
  actor: Actor,
  input: CreateRoundIn,
  now = new Date(),
): Promise<RoundOut> {
  requireAccess(actor, 'testing:manage')
  const { profile, settings } = await testingSettings(tx)
  const zone = input.zoneLevel ? zonePool(settings, input.zoneLevel) : undefined
  if (zone && input.poolSize !== undefined && input.poolSize !== zone.poolSize)
    throw invalid(
      'poolSize',
      zone.householdPool ? 'ROUND_ZONE_HOUSEHOLD' : 'ROUND_ZONE_POOL_SIZE',
      { profile, size: zone.poolSize },
    )
  const poolSize = zone?.poolSize ?? input.poolSize ?? settings.defaultPoolSize
  const householdPool = zone?.householdPool ?? input.householdPool ?? false
  if (input.kind === 'area') {
    const refusal = areaRoundRefusal(settings.areaRounds, input.areaReason)
    if (refusal)
      throw invalid(refusal === 'ROUND_AREA_NOT_ALLOWED' ? 'kind' : 'areaReason', refusal, {
        profile,
      })
  }
  if (!settings.poolSizes.includes(poolSize))
    throw invalid('poolSize', 'ROUND_POOL_SIZE_NOT_ALLOWED', {
      profile,
      sizes: settings.poolSizes.join(', '),
    })
  const startsAt = input.startsAt ? readTime(input.startsAt) : now
  if (!startsAt) throw invalid('startsAt', 'ROUND_TIME_INVALID')
  const deadline = readTime(input.deadline)
  if (!deadline) throw invalid('deadline', 'ROUND_TIME_INVALID')
  if (!(deadline > startsAt)) throw invalid('deadline', 'ROUND_DEADLINE_BEFORE_START')
  const hours = (deadline.getTime() - startsAt.getTime()) / 3_600_000
  if (input.kind === 'area' && hours > settings.areaRoundHours)
    throw invalid('deadline', 'ROUND_AREA_TOO_LONG', { hours: settings.areaRoundHours, profile })
  const divisions = []
  for (const id of [...new Set(input.divisionIds)]) {
    const d = await findDivisionById(tx, id)
    if (!d) throw invalid('divisionIds', 'ROUND_DIVISION_UNKNOWN', { id })
    if (d.level !== 'community' && d.level !== 'grid' && d.level !== 'street')
      throw invalid('divisionIds', 'ROUND_DIVISION_LEVEL', { name: d.name, level: d.level })
    requireAccess(actor, 'testing:manage', { type: 'division', id: d.id, path: d.path })
    divisions.push(d)
  }
  if (divisions.length === 0) throw invalid('divisionIds', 'ROUND_NO_DIVISION')
  const places = await checkRoundPlaces(
    tx,
    divisions.map((d) => d.path),
    input,
  )
  const round = await insertRound(tx, {
    name: input.name.trim(),
    kind: input.kind,
    scopeIds: divisions.map((d) => d.id),
    scopePaths: divisions.map((d) => d.path),
    buildingIds: places.buildingIds,
    unitIds: places.unitIds,
    startsAt,
    deadline,
    poolSize,
    householdPool,
    householdCapacity: settings.householdTubeCapacity,
    // The profile's single-tube groups always; the round may add its own.
    singleTubeTags: [...new Set([...settings.singleTubeTags, ...(input.singleTubeTags ?? [])])],
    areaReason: input.kind === 'area' ? input.areaReason?.trim() || null : null,
    profileName: profile,
    turnaroundPooledHours: settings.turnaroundHours.pooled,
    turnaroundSingleHours: settings.turnaroundHours.single,
    turnaroundRecheckHours: settings.turnaroundHours.recheck ?? null,
    createdBy: actor.username,
  })
  await audit(
    tx,
    actor,
    'testing.round_open',
    { type: 'test_round', id: round.id, path: divisions[0]!.path },
    {
      detail: {
        name: round.name,
        poolSize,
        ...(round.areaReason ? { areaReason: round.areaReason } : {}),
        ...(places.buildingIds.length ? { buildings: places.buildingIds.length } : {}),
        ...(places.unitIds.length ? { units: places.unitIds.length } : {}),
      },
    },
  )
  return (await roundViews(tx, [round]))[0]!
}

/** What a round's view reads besides its row: names of its divisions and places, the stop rule's advice. */
interface RoundLookups {
  names: Map<string, string>
  places: Map<string, PlaceRow>
  advice: Map<string, StopAdviceOut>
}

function roundView(r: RoundRow, { names, places, advice }: RoundLookups): RoundOut {
  const place = (id: string): { id: string; name: string } => ({
    id,
    name: places.get(id)?.name ?? '',
  })
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as RoundOut['kind'],
    scope: r.scopeIds.map((id, i) => ({
      id,
      name: names.get(id) ?? id,
      path: r.scopePaths[i] ?? '',
    })),
    startsAt: r.startsAt.toISOString(),
    deadline: r.deadline.toISOString(),
    poolSize: r.poolSize,
    householdPool: r.householdPool,
    householdCapacity: r.householdCapacity,
    singleTubeTags: r.singleTubeTags,
    areaReason: r.areaReason,
    buildings: r.buildingIds.map(place),
    units: r.unitIds.map(place),
    stopAdvice: advice.get(r.id) ?? null,
    profileName: r.profileName,
    turnaroundHours: {
      pooled: r.turnaroundPooledHours,
      single: r.turnaroundSingleHours,
      recheck: r.turnaroundRecheckHours ?? r.turnaroundSingleHours,
    },
    status: r.status as RoundOut['status'],
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  }
}

async function roundViews(db: Db, found: RoundRow[]): Promise<RoundOut[]> {
  const names = await divisionNames(db, [...new Set(found.flatMap((r) => r.scopeIds))])
  const places = await placeNames(
    db,
    [...new Set(found.flatMap((r) => r.buildingIds))],
    [...new Set(found.flatMap((r) => r.unitIds))],
  )
  const { settings } = await testingSettings(db)
  const advice = await stopAdvices(db, found, settings.areaRounds.stopRule)
  return found.map((r) => roundView(r, { names, places, advice }))
}

/** Rounds overlapping the caller's scope, newest first, a keyset page at a time (the scope is in the query). */
export async function listRounds(
  db: Db,
  actor: Actor,
  q: Partial<ListRoundsQuery>,
): Promise<RoundsPageOut> {
  requireAccess(actor, 'testing:read')
  const limit = q.limit ?? 200
  const after = q.after === undefined ? null : decodeRoundCursor(q.after)
  if (after === undefined) throw invalid('after', 'ROUND_CURSOR_INVALID')
  const found = await listRoundRows(db, actor, { status: q.status, after, limit })
  const last = found[found.length - 1]
  const next =
    found.length === limit && last ? encodeRoundCursor({ at: last.cursorAt, id: last.id }) : null
  return { items: await roundViews(db, found), next }
}

/** How many open rounds the sampling screen offers: a device samples into one of today's few. */
const SAMPLING_ROUNDS = 50

/** Rounds a sampler may scan into now: open, overlapping their scope, newest first. */
export async function openRoundsForSampling(db: Db, actor: Actor): Promise<RoundOut[]> {
  requireAccess(actor, 'testing:sample')
  const found = await listRoundRows(db, actor, { status: 'open', limit: SAMPLING_ROUNDS })
  return roundViews(db, found)
}

/**
 * Closed rounds whose rechecks are still to be swabbed in my scope (rechecks outlive their round,
 * domain.md §5): the sampling screen's 复核 section; the scan ingest takes only those people.
 */
export async function recheckRoundsForSampling(db: Db, actor: Actor): Promise<RecheckRoundsOut> {
  requireAccess(actor, 'testing:sample')
  const found = await recheckRoundRows(db, actor)
  const views = await roundViews(db, found)
  return { items: views.map((v, i) => ({ ...v, openRechecks: found[i]!.openRechecks })) }
}

export async function roundProgress(
  db: Db,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<ProgressOut> {
  requireAccess(actor, 'testing:read')
  const round = await visibleRound(db, actor, id)
  // Tube counts, turnaround and overdue tubes: the caller's part of the round unless their scope holds all of it.
  const tubeScope = scopeContainsAll(actor, round.scopePaths) ? null : actor
  const { settings } = await testingSettings(db)
  // A swab in another round within the tested-elsewhere window accounts for a person (walk-ins).
  const elsewhereHours = settings.missedReasons.tested_elsewhere?.withinHours ?? null
  const grids = await progressByGrid(db, round, actor, elsewhereHours)
  const missed = await missedCountsByGrid(db, round, actor, elsewhereHours)
  const byHour = await specimensByHour(db, round.id, actor)
  const counters = await roundCounters(db, round.id, actor, tubeScope)
  const turnaround = await tubeTurnaround(db, round.id, tubeScope)
  const overdueTubes = await overdueTubeCount(db, round, tubeScope, now)
  const missedBy = new Map(missed.map((m) => [m.gridPath, m.missed]))
  const byGrid = grids.map((g) => ({ ...g, missed: missedBy.get(g.gridPath) ?? 0 }))
  const totals = byGrid.reduce(
    (t, g) => ({
      inScope: t.inScope + g.inScope,
      sampled: t.sampled + g.sampled,
      excused: t.excused + g.excused,
      missed: t.missed + g.missed,
    }),
    { inScope: 0, sampled: 0, excused: 0, missed: 0 },
  )
  return {
    round: (await roundViews(db, [round]))[0]!,
    now: now.toISOString(),
    secondsLeft: Math.max(0, Math.round((round.deadline.getTime() - now.getTime()) / 1000)),
    totals,
    byGrid,
    byHour,
    counters,
    turnaround: turnaroundBuckets(turnaround),
    overdueTubes,
  }
}

/**
 * Closes a round: sampling stops, open tubes close. Rechecks outlive it (its recheck swabs and
 * every result are still taken); a round with open rechecks or tubes without a result closes
 * only when the caller confirms, after being told how many (409 ROUND_CLOSE_NEEDS_CONFIRM).
 */
export async function closeRound(
  tx: Tx,
  actor: Actor,
  id: string,
  opts: { confirm?: boolean } = {},
): Promise<RoundOut> {
  requireAccess(actor, 'testing:manage')
  const round = await visibleRound(tx, actor, id)
  // Closing stops sampling everywhere in the round: only a caller whose scope holds all of it may.
  requireAccess(actor, 'testing:manage', { type: 'test_round', id, paths: round.scopePaths })
  if (round.status === 'closed') return (await roundViews(tx, [round]))[0]!
  const open = await roundOpenWork(tx, id)
  if (!opts.confirm && (open.rechecks > 0 || open.tubes > 0))
    throw conflict('ROUND_CLOSE_NEEDS_CONFIRM', open)
  const closed = await closeRoundAndTubes(tx, id, new Date())
  await audit(
    tx,
    actor,
    'testing.round_close',
    { type: 'test_round', id, path: round.scopePaths[0] ?? null },
    { detail: open },
  )
  return (await roundViews(tx, [closed]))[0]!
}
