import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import { requireAccess } from '../core/scope/access.js'
import { AppError, conflict, invalid, notFound } from '../core/errors.js'
import { localDate, startOfLocalDay } from '../core/clock.js'
import { uuidv7 } from '../core/ids.js'
import { profileSection } from '../policy/policy.service.js'
import {
  casesInside,
  positiveCaseGrid,
  roundsSampledInside,
  type PlacePart,
  type RoundInside,
} from '../testing/inside.service.js'
import { zonesSection, type ZonesSettings } from './zones.profile.js'
import {
  allowedUnits,
  countdown,
  isLowering,
  judgeChange,
  unitAllowed,
  unitOfExtent,
  type AreaFacts,
  type Countdown,
  type ExtentKind,
  type ZoneLevel,
  type ZoneTarget,
} from './zones.rules.js'
import {
  areaTouchesScope,
  countPeopleInside,
  eventsOf,
  extentsOf,
  findArea,
  findParts,
  floorsOf,
  insertArea,
  insertEvent,
  insertExtents,
  listAreasInScope,
  updateArea,
  type AreaRow,
  type ExtentInsert,
  type ExtentRow,
} from './zones.repo.js'
import type {
  AreaDetailOut,
  AreaListQuery,
  AreaPage,
  AreaSummaryOut,
  ChangeLevelIn,
  CreateAreaIn,
  ExtentIn,
  LiftIn,
  WidenIn,
  ZoneSettingsOut,
} from './zones.schema.js'

/**
 * Risk areas (issue 11 item 1, domain.md §6). An area is drawn at the units the profile in force
 * allows; its countdown (clean days, the negative round on the required day, whether it may be
 * lowered or lifted) is computed whenever it is read, from testing's cases and rounds of the
 * people inside. Lowering and lifting are a person's decision, judged against those checks,
 * recorded in the area's history and audited; nothing here changes an area by itself.
 */

async function settingsNow(db: Db): Promise<{ profile: string; settings: ZonesSettings }> {
  const { profile, settings } = await profileSection(db, 'zones', zonesSection)
  return { profile, settings }
}

const MEASURE_OF: Record<ZoneLevel, string> = {
  high: 'sealed',
  medium: 'controlled',
  low: 'precaution',
}

/** The catalogue code of what the profile calls a level. */
function levelName(s: ZonesSettings, level: ZoneLevel): string {
  if (s.levelNames.by === 'risk') return `ZONE_RISK_${level}`
  const measure = s.levels.find((l) => l.level === level)?.measure ?? MEASURE_OF[level]
  return `ZONE_MEASURE_${measure}`
}

/** The longest path every one of `paths` lies under (the audit entry's place). */
function commonPath(paths: readonly string[]): string {
  if (paths.length === 0) return '/'
  const split = paths.map((p) => p.split('/').filter(Boolean))
  const first = split[0]!
  let n = 0
  while (n < first.length && split.every((s) => s[n] === first[n])) n++
  return n === 0 ? '/' : `/${first.slice(0, n).join('/')}/`
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null)

/** Resolves the requested parts against the registry and the profile; refuses each bad one by its field. */
async function resolveExtents(
  db: Db,
  profile: string,
  s: ZonesSettings,
  list: readonly ExtentIn[],
  areaId: string,
): Promise<ExtentInsert[]> {
  const byKind = new Map<ExtentKind, string[]>()
  for (const e of list) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e.id])
  const found = new Map<string, Awaited<ReturnType<typeof findParts>>[number]>()
  for (const [kind, ids] of byKind)
    for (const p of await findParts(db, kind, ids)) found.set(`${kind}:${p.ref_id}`, p)
  const out: ExtentInsert[] = []
  for (const [i, e] of list.entries()) {
    const f = `extents.${i}`
    if (e.kind !== 'floor' && e.floor !== undefined) throw invalid(`${f}.floor`, 'ZONE_FLOOR_ONLY')
    const part = found.get(`${e.kind}:${e.id}`)
    if (!part) throw invalid(`${f}.id`, 'ZONE_EXTENT_NOT_FOUND')
    if (!unitAllowed(s, unitOfExtent(e.kind, part.code)))
      throw invalid(`${f}.kind`, 'ZONE_UNIT_NOT_ALLOWED', { profile })
    if (e.kind === 'floor') {
      if (e.floor === undefined) throw invalid(`${f}.floor`, 'ZONE_FLOOR_REQUIRED')
      if (!(await floorsOf(db, e.id)).includes(e.floor))
        throw invalid(`${f}.floor`, 'ZONE_FLOOR_NOT_FOUND', { floor: e.floor })
    }
    out.push({
      areaId,
      kind: e.kind,
      refId: e.id,
      floor: e.kind === 'floor' ? (e.floor ?? null) : null,
      path: part.path,
      label: part.label,
    })
  }
  return out
}

/** The clean-day facts of each area, from testing's cases and rounds of the people inside. */
async function factsOf(
  db: Db,
  areas: readonly AreaRow[],
  extents: readonly ExtentRow[],
  today: string,
): Promise<Map<string, { facts: AreaFacts; rounds: RoundInside[]; cases: number }>> {
  const since = new Map(
    areas.map((a) => [a.id, startOfLocalDay(localDate(new Date(a.levelSince)))]),
  )
  const parts: PlacePart[] = extents
    .filter((e) => since.has(e.areaId))
    .map((e) => ({
      placeId: e.areaId,
      kind: e.kind,
      refId: e.refId,
      floor: e.floor,
      since: since.get(e.areaId)!,
    }))
  const [cases, rounds] = await Promise.all([
    casesInside(db, parts),
    roundsSampledInside(db, parts),
  ])
  const out = new Map<string, { facts: AreaFacts; rounds: RoundInside[]; cases: number }>()
  for (const a of areas) {
    const c = cases.get(a.id)
    const r = rounds.get(a.id) ?? []
    out.set(a.id, {
      cases: c?.cases ?? 0,
      rounds: r,
      facts: {
        level: a.level as ZoneLevel,
        loweredFrom: (a.loweredFrom as ZoneLevel | null) ?? null,
        levelSince: localDate(new Date(a.levelSince)),
        lastCaseDate: c?.lastCaseAt ? localDate(c.lastCaseAt) : null,
        rounds: r.map((x) => ({
          id: x.roundId,
          date: localDate(x.sampledAt),
          sampled: x.sampled,
          negative: x.negative,
          positive: x.positive,
        })),
        today,
      },
    })
  }
  return out
}

function summary(
  s: ZonesSettings,
  a: AreaRow,
  extents: readonly ExtentRow[],
  cd: Countdown | null,
): AreaSummaryOut {
  return {
    id: a.id,
    name: a.name,
    level: a.level as ZoneLevel,
    levelName: levelName(s, a.level as ZoneLevel),
    status: a.status as AreaSummaryOut['status'],
    startedAt: iso(a.startedAt)!,
    levelSince: iso(a.levelSince)!,
    liftedAt: iso(a.liftedAt),
    extents: extents
      .filter((e) => e.areaId === a.id)
      .map((e) => ({
        id: e.id,
        kind: e.kind as ExtentKind,
        refId: e.refId,
        floor: e.floor,
        label: e.label,
        path: e.path,
      })),
    countdown: cd,
  }
}

/** What the profile in force calls the levels and which units it draws areas at (the form). */
export async function zoneSettings(db: Db, actor: Actor): Promise<ZoneSettingsOut> {
  requireAccess(actor, 'zones:read')
  const { profile, settings } = await settingsNow(db)
  return {
    profile,
    levelNames: settings.levelNames.by,
    levels: settings.levels.map((l) => ({
      level: l.level,
      measure: l.measure,
      name: levelName(settings, l.level),
    })),
    units: allowedUnits(settings),
  }
}

/** The areas with a part under my scope, newest first, each with its countdown computed now. */
export async function listAreas(db: Db, actor: Actor, q: AreaListQuery): Promise<AreaPage> {
  requireAccess(actor, 'zones:read')
  const limit = q.limit ?? 50
  const { settings } = await settingsNow(db)
  const found = await listAreasInScope(db, actor, {
    status: q.status,
    after: q.after,
    limit: limit + 1,
  })
  const page = found.slice(0, limit)
  const extents = await extentsOf(
    db,
    page.map((a) => a.id),
  )
  const active = page.filter((a) => a.status === 'active')
  const facts = await factsOf(db, active, extents, localDate(new Date()))
  return {
    items: page.map((a) => {
      const f = facts.get(a.id)
      return summary(settings, a, extents, f ? countdown(settings, f.facts) : null)
    }),
    next: found.length > limit ? page.at(-1)!.id : null,
  }
}

async function readableArea(db: Db, actor: Actor, id: string): Promise<AreaRow> {
  const a = await findArea(db, id)
  // Another area's id answers as an unknown one: the reader learns nothing of it.
  if (!a || !(await areaTouchesScope(db, id, actor))) throw notFound('ZONE_AREA_NOT_FOUND')
  return a
}

/** An area's page: its parts, how many live inside, its countdown, the rounds inside and its history. */
export async function areaDetail(db: Db, actor: Actor, id: string): Promise<AreaDetailOut> {
  requireAccess(actor, 'zones:read')
  const a = await readableArea(db, actor, id)
  return detailOf(db, a)
}

async function detailOf(db: Db, a: AreaRow): Promise<AreaDetailOut> {
  const { settings } = await settingsNow(db)
  const extents = await extentsOf(db, [a.id])
  const f = (await factsOf(db, [a], extents, localDate(new Date()))).get(a.id)!
  const active = a.status === 'active'
  return {
    ...summary(settings, a, extents, active ? countdown(settings, f.facts) : null),
    reason: a.reason,
    caseId: a.caseId,
    startedLevel: a.startedLevel as ZoneLevel,
    profileName: a.profileName,
    peopleInside: await countPeopleInside(db, a.id),
    casesInside: f.cases,
    rounds: f.rounds.map((r) => ({
      roundId: r.roundId,
      name: r.name,
      date: localDate(r.sampledAt),
      sampled: r.sampled,
      negative: r.negative,
      positive: r.positive,
    })),
    history: (await eventsOf(db, a.id)).map((e) => ({
      id: e.id,
      kind: e.kind as AreaDetailOut['history'][number]['kind'],
      fromLevel: e.fromLevel,
      toLevel: e.toLevel,
      reason: e.reason,
      overrideReason: e.overrideReason,
      detail: e.detail,
      actorName: e.actorName,
      at: iso(e.at)!,
    })),
  }
}

/** Draws an area at the units the profile in force allows, over parts wholly in my scope. */
export async function createArea(
  tx: Tx,
  actor: Actor,
  input: CreateAreaIn,
): Promise<AreaDetailOut> {
  requireAccess(actor, 'zones:manage')
  const { profile, settings } = await settingsNow(tx)
  if (!settings.levels.some((l) => l.level === input.level))
    throw invalid('level', 'ZONE_LEVEL_NOT_IN_PROFILE', { profile })
  const id = uuidv7()
  const extents = await resolveExtents(tx, profile, settings, input.extents, id)
  const paths = extents.map((e) => e.path)
  requireAccess(actor, 'zones:manage', { type: 'zone_area', id, paths })
  if (input.caseId && (await positiveCaseGrid(tx, input.caseId)) === null)
    throw invalid('caseId', 'ZONE_CASE_NOT_FOUND')
  const startedAt = input.startedAt ? new Date(input.startedAt) : new Date()
  await insertArea(tx, {
    id,
    name: input.name,
    level: input.level,
    startedLevel: input.level,
    loweredFrom: null,
    startedAt,
    levelSince: startedAt,
    reason: input.reason,
    caseId: input.caseId ?? null,
    profileName: profile,
    createdBy: actor.username,
  })
  await insertExtents(tx, extents)
  await insertEvent(tx, {
    areaId: id,
    kind: 'created',
    toLevel: input.level,
    reason: input.reason,
    detail: { extents: extents.map((e) => e.label), caseId: input.caseId ?? null },
    actorName: actor.username,
  })
  await audit(
    tx,
    actor,
    'zones.create',
    { type: 'zone_area', id, path: commonPath(paths) },
    { reason: input.reason, detail: { level: input.level, extents: extents.length, profile } },
  )
  return detailOf(tx, (await findArea(tx, id))!)
}

/** An active area I may change: every part of it lies in my scope. */
async function writableArea(
  tx: Tx,
  actor: Actor,
  id: string,
): Promise<{ a: AreaRow; paths: string[] }> {
  const a = await findArea(tx, id, { lock: true })
  if (!a) throw notFound('ZONE_AREA_NOT_FOUND')
  const paths = (await extentsOf(tx, [id])).map((e) => e.path)
  requireAccess(actor, 'zones:manage', { type: 'zone_area', id, paths })
  if (a.status !== 'active') throw conflict('ZONE_AREA_LIFTED')
  return { a, paths }
}

/** Adds parts to an area (widening); parts already in it are kept once. */
export async function widenArea(
  tx: Tx,
  actor: Actor,
  id: string,
  input: WidenIn,
): Promise<AreaDetailOut> {
  requireAccess(actor, 'zones:manage')
  const { a, paths } = await writableArea(tx, actor, id)
  const { profile, settings } = await settingsNow(tx)
  const extents = await resolveExtents(tx, profile, settings, input.extents, id)
  requireAccess(actor, 'zones:manage', {
    type: 'zone_area',
    id,
    paths: [...paths, ...extents.map((e) => e.path)],
  })
  const added = await insertExtents(tx, extents)
  if (added.length > 0) {
    await insertEvent(tx, {
      areaId: id,
      kind: 'widened',
      fromLevel: a.level,
      toLevel: a.level,
      reason: input.reason,
      detail: { extents: added.map((e) => e.label) },
      actorName: actor.username,
    })
    await audit(
      tx,
      actor,
      'zones.widen',
      { type: 'zone_area', id, path: commonPath([...paths, ...added.map((e) => e.path)]) },
      { reason: input.reason, detail: { added: added.length } },
    )
  }
  return detailOf(tx, (await findArea(tx, id))!)
}

/**
 * Judges a lowering or lifting against the countdown: refused with the failed checks unless a
 * lead (zones:override) decides with a reason of their own. Raising needs no check.
 */
async function decide(
  tx: Tx,
  actor: Actor,
  a: AreaRow,
  paths: string[],
  to: ZoneTarget,
  overrideReason: string | undefined,
): Promise<{ checks: Countdown['checks']; overridden: boolean }> {
  const { profile, settings } = await settingsNow(tx)
  const extents = await extentsOf(tx, [a.id])
  const f = (await factsOf(tx, [a], extents, localDate(new Date()))).get(a.id)!
  const v = judgeChange(settings, f.facts, to)
  if (v.kind === 'unknown_level') throw invalid('level', 'ZONE_LEVEL_NOT_IN_PROFILE', { profile })
  if (v.kind === 'same') throw conflict('ZONE_LEVEL_SAME')
  if (v.kind === 'raise') return { checks: [], overridden: false }
  const failed = v.countdown.checks.filter((c) => !c.ok)
  if (failed.length === 0) return { checks: v.countdown.checks, overridden: false }
  if (!overrideReason)
    throw new AppError(
      409,
      to === 'lifted' ? 'ZONE_LIFT_CHECKS_FAILED' : 'ZONE_LOWER_CHECKS_FAILED',
      undefined,
      { field: 'overrideReason', params: { failed: failed.length } },
    )
  requireAccess(actor, 'zones:override', { type: 'zone_area', id: a.id, paths })
  return { checks: v.countdown.checks, overridden: true }
}

/** Changes an area's level: raising at once; lowering only as the profile allows (or a lead's override). */
export async function changeAreaLevel(
  tx: Tx,
  actor: Actor,
  id: string,
  input: ChangeLevelIn,
): Promise<AreaDetailOut> {
  requireAccess(actor, 'zones:manage')
  const { a, paths } = await writableArea(tx, actor, id)
  const { checks, overridden } = await decide(
    tx,
    actor,
    a,
    paths,
    input.level,
    input.overrideReason,
  )
  const lowering = isLowering(a.level as ZoneLevel, input.level)
  const now = new Date()
  await updateArea(tx, id, {
    level: input.level,
    loweredFrom: lowering ? a.level : null,
    levelSince: now,
  })
  return recordDecision(tx, actor, a, paths, {
    kind: 'level',
    toLevel: input.level,
    reason: input.reason,
    overridden,
    overrideReason: input.overrideReason,
    checks,
  })
}

/** Lifts an area when the profile allows (or a lead decides against the checks, with a reason). */
export async function liftArea(
  tx: Tx,
  actor: Actor,
  id: string,
  input: LiftIn,
): Promise<AreaDetailOut> {
  requireAccess(actor, 'zones:manage')
  const { a, paths } = await writableArea(tx, actor, id)
  const { checks, overridden } = await decide(tx, actor, a, paths, 'lifted', input.overrideReason)
  const now = new Date()
  await updateArea(tx, id, { status: 'lifted', liftedAt: now })
  return recordDecision(tx, actor, a, paths, {
    kind: 'lifted',
    reason: input.reason,
    overridden,
    overrideReason: input.overrideReason,
    checks,
  })
}

/**
 * A lowering, raising or lifting decision in the area's history and the audit log, with the
 * checks it was taken against and the override reason when it went against them.
 */
async function recordDecision(
  tx: Tx,
  actor: Actor,
  a: { id: string; level: string },
  paths: string[],
  d: {
    kind: 'level' | 'lifted'
    toLevel?: ZoneLevel
    reason: string
    overridden: boolean
    overrideReason: string | undefined
    checks: unknown
  },
): Promise<AreaDetailOut> {
  await insertEvent(tx, {
    areaId: a.id,
    kind: d.kind,
    fromLevel: a.level,
    ...(d.toLevel ? { toLevel: d.toLevel } : {}),
    reason: d.reason,
    overrideReason: d.overridden ? (d.overrideReason ?? null) : null,
    detail: { checks: d.checks },
    actorName: actor.username,
  })
  await audit(
    tx,
    actor,
    d.kind === 'level' ? 'zones.level' : 'zones.lift',
    { type: 'zone_area', id: a.id, path: commonPath(paths) },
    {
      reason: d.reason,
      detail: {
        from: a.level,
        ...(d.toLevel ? { to: d.toLevel } : {}),
        overridden: d.overridden,
        overrideReason: d.overrideReason ?? null,
      },
    },
  )
  return detailOf(tx, (await findArea(tx, a.id))!)
}
