import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import { requireAccess } from '../core/scope/access.js'
import { AppError, conflict, invalid, notFound } from '../core/errors.js'
import { localDate } from '../core/clock.js'
import { uuidv7 } from '../core/ids.js'
import { positiveCaseGrid } from '../testing/inside.service.js'
import type { ZonesSettings } from './zones.profile.js'
import {
  isLowering,
  judgeChange,
  unitAllowed,
  unitOfExtent,
  type Countdown,
  type ExtentKind,
  type ZoneLevel,
  type ZoneTarget,
} from './zones.rules.js'
import {
  extentsOf,
  findArea,
  findParts,
  floorsOf,
  insertArea,
  insertEvent,
  insertExtents,
  updateArea,
  type AreaRow,
  type ExtentInsert,
} from './zones.repo.js'
import type {
  AreaDetailOut,
  ChangeLevelIn,
  CreateAreaIn,
  ExtentIn,
  LiftIn,
  WidenIn,
} from './zones.schema.js'
import { detailOf, factsOf, settingsNow } from './zones.read.service.js'
import { applyAreaMeasures, type MeasureEffect } from './zones.effects.service.js'

/**
 * Risk-area decisions (issue 11 items 1 and 2, domain.md §6): drawing at the units the profile in
 * force allows, widening, raising, and lowering or lifting judged against the countdown (a lead
 * may decide against it with a reason). Each is recorded in the area's history, audited, and
 * carried in the same transaction to the measures of the people inside (zones.effects.service.ts).
 */

/** The longest path every one of `paths` lies under (the audit entry's place). */
function commonPath(paths: readonly string[]): string {
  if (paths.length === 0) return '/'
  const split = paths.map((p) => p.split('/').filter(Boolean))
  const first = split[0]!
  let n = 0
  while (n < first.length && split.every((s) => s[n] === first[n])) n++
  return n === 0 ? '/' : `/${first.slice(0, n).join('/')}/`
}

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
  const effect = await applyAreaMeasures(tx, actor, settings, { id, level: input.level }, 'drawn')
  await insertEvent(tx, {
    areaId: id,
    kind: 'created',
    toLevel: input.level,
    reason: input.reason,
    detail: {
      extents: extents.map((e) => e.label),
      caseId: input.caseId ?? null,
      measuresStarted: effect.started,
    },
    actorName: actor.username,
  })
  await audit(
    tx,
    actor,
    'zones.create',
    { type: 'zone_area', id, path: commonPath(paths) },
    {
      reason: input.reason,
      detail: {
        level: input.level,
        extents: extents.length,
        profile,
        measuresStarted: effect.started,
      },
    },
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
    const effect = await applyAreaMeasures(
      tx,
      actor,
      settings,
      { id, level: a.level as ZoneLevel },
      'widened',
    )
    await insertEvent(tx, {
      areaId: id,
      kind: 'widened',
      fromLevel: a.level,
      toLevel: a.level,
      reason: input.reason,
      detail: { extents: added.map((e) => e.label), measuresStarted: effect.started },
      actorName: actor.username,
    })
    await audit(
      tx,
      actor,
      'zones.widen',
      { type: 'zone_area', id, path: commonPath([...paths, ...added.map((e) => e.path)]) },
      { reason: input.reason, detail: { added: added.length, measuresStarted: effect.started } },
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
  const { settings } = await settingsNow(tx)
  const effect = await applyAreaMeasures(
    tx,
    actor,
    settings,
    { id, level: input.level },
    'level',
    now,
  )
  return recordDecision(tx, actor, a, paths, effect, {
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
  const { settings } = await settingsNow(tx)
  const effect = await applyAreaMeasures(
    tx,
    actor,
    settings,
    { id, level: a.level as ZoneLevel },
    'lifted',
    now,
  )
  return recordDecision(tx, actor, a, paths, effect, {
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
  effect: MeasureEffect,
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
    detail: { checks: d.checks, measuresStarted: effect.started, measuresEnded: effect.ended },
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
        measuresStarted: effect.started,
        measuresEnded: effect.ended,
      },
    },
  )
  return detailOf(tx, (await findArea(tx, a.id))!)
}
