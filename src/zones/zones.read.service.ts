import type { Db } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { notFound } from '../core/errors.js'
import { localDate, startOfLocalDay } from '../core/clock.js'
import { profileSection } from '../policy/policy.service.js'
import {
  casesInside,
  roundsSampledInside,
  type PlacePart,
  type RoundInside,
} from '../testing/inside.service.js'
import { zonesSection, type ZonesSettings } from './zones.profile.js'
import {
  allowedUnits,
  countdown,
  type AreaFacts,
  type Countdown,
  type ExtentKind,
  type ZoneLevel,
} from './zones.rules.js'
import {
  areaTouchesScope,
  countPeopleInside,
  eventsOf,
  extentsOf,
  findArea,
  listAreasInScope,
  overlappingAreas,
  residentIdsInside,
  type AreaRow,
  type ExtentRow,
} from './zones.repo.js'
import type {
  AreaDetailOut,
  AreaListQuery,
  AreaPage,
  AreaSummaryOut,
  ZoneSettingsOut,
} from './zones.schema.js'

/**
 * Risk areas (issue 11 item 1, domain.md §6). An area is drawn at the units the profile in force
 * allows; its countdown (clean days, the negative round on the required day, whether it may be
 * lowered or lifted) is computed whenever it is read, from testing's cases and rounds of the
 * people inside. Lowering and lifting are a person's decision, judged against those checks,
 * recorded in the area's history and audited; nothing here changes an area by itself.
 *
 * This module reads (settings, the list, an area page with its countdown); zones.decide.service.ts
 * decides (draw, widen, raise, lower, lift) and zones.effects.service.ts carries each decision to
 * the people inside (their measures).
 */

export async function settingsNow(db: Db): Promise<{ profile: string; settings: ZonesSettings }> {
  const { profile, settings } = await profileSection(db, 'zones', zonesSection)
  return { profile, settings }
}

const MEASURE_OF: Record<ZoneLevel, string> = {
  high: 'sealed',
  medium: 'controlled',
  low: 'precaution',
}

/** The catalogue code of what the profile calls a level. */
export function levelName(s: ZonesSettings, level: ZoneLevel): string {
  if (s.levelNames.by === 'risk') return `ZONE_RISK_${level}`
  const measure = s.levels.find((l) => l.level === level)?.measure ?? MEASURE_OF[level]
  return `ZONE_MEASURE_${measure}`
}

export const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null)

/** The clean-day facts of each area, from testing's cases and rounds of the people inside. */
export async function factsOf(
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

export async function readableArea(db: Db, actor: Actor, id: string): Promise<AreaRow> {
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

export async function detailOf(db: Db, a: AreaRow): Promise<AreaDetailOut> {
  const { settings } = await settingsNow(db)
  const extents = await extentsOf(db, [a.id])
  const f = (await factsOf(db, [a], extents, localDate(new Date()))).get(a.id)!
  const active = a.status === 'active'
  // An active area's people are read once: their number, and the areas of another level they are also in.
  const inside = active ? await residentIdsInside(db, a.id) : null
  return {
    ...summary(settings, a, extents, active ? countdown(settings, f.facts) : null),
    reason: a.reason,
    caseId: a.caseId,
    startedLevel: a.startedLevel as ZoneLevel,
    profileName: a.profileName,
    peopleInside: inside ? inside.length : await countPeopleInside(db, a.id),
    casesInside: f.cases,
    rounds: f.rounds.map((r) => ({
      roundId: r.roundId,
      name: r.name,
      date: localDate(r.sampledAt),
      sampled: r.sampled,
      negative: r.negative,
      positive: r.positive,
    })),
    overlaps: inside
      ? (await overlappingAreas(db, a, inside)).map((o) => ({
          ...o,
          level: o.level as ZoneLevel,
          levelName: levelName(settings, o.level as ZoneLevel),
        }))
      : [],
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
