import type { Db } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { localDate } from '../core/clock.js'
import { invalid } from '../core/errors.js'
import { requireAccess } from '../core/scope/access.js'
import { pathUnderAny } from '../core/scope/scope.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import {
  areaRoundHistory,
  buildingChoices,
  PLACE_CHOICES,
  placesByIds,
  type PlaceRow,
} from './places.repo.js'
import { areaStopAdvice, cleanStreak, type TestingProfile } from './testing.rules.js'
import type { RoundPlacesOut, RoundPlacesQuery, StopAdviceOut } from './testing.schema.js'

/**
 * A round's places (domain.md §5: a round may cover buildings and units, not only grids and
 * communities) and the advice of the area-wide stop rule. Used by testing.service.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The buildings and units a new round is narrowed to, checked: each exists and lies inside one
 * of the round's divisions (the error names the field: buildingIds or unitIds).
 */
export async function checkRoundPlaces(
  db: Db,
  divisionPaths: readonly string[],
  input: { buildingIds?: readonly string[] | undefined; unitIds?: readonly string[] | undefined },
): Promise<{ buildingIds: string[]; unitIds: string[] }> {
  const buildingIds = [...new Set(input.buildingIds ?? [])]
  const unitIds = [...new Set(input.unitIds ?? [])]
  const found = new Map((await placesByIds(db, buildingIds, unitIds)).map((p) => [p.id, p]))
  const check = (ids: string[], field: 'buildingIds' | 'unitIds'): void => {
    for (const id of ids) {
      const place = found.get(id)
      if (!place) throw invalid(field, 'ROUND_PLACE_UNKNOWN')
      if (!pathUnderAny(place.gridPath, divisionPaths))
        throw invalid(field, 'ROUND_PLACE_OUTSIDE', { name: place.name })
    }
  }
  check(buildingIds, 'buildingIds')
  check(unitIds, 'unitIds')
  return { buildingIds, unitIds }
}

/** Names of a round's buildings and units by id. */
export async function placeNames(
  db: Db,
  buildingIds: readonly string[],
  unitIds: readonly string[],
): Promise<Map<string, PlaceRow>> {
  return new Map((await placesByIds(db, buildingIds, unitIds)).map((p) => [p.id, p]))
}

/** The buildings, with their units, a new round over these divisions may be narrowed to. */
export async function roundPlaceChoices(
  db: Db,
  actor: Actor,
  q: RoundPlacesQuery,
): Promise<RoundPlacesOut> {
  requireAccess(actor, 'testing:manage')
  const ids = [...new Set(q.divisionIds.split(',').filter(Boolean))]
  if (ids.length === 0 || ids.length > 200 || !ids.every((id) => UUID.test(id)))
    throw invalid('divisionIds', 'ROUND_DIVISION_UNKNOWN')
  const paths: string[] = []
  for (const id of ids) {
    const d = await findDivisionById(db, id)
    if (!d) throw invalid('divisionIds', 'ROUND_DIVISION_UNKNOWN')
    requireAccess(actor, 'testing:manage', { type: 'division', id: d.id, path: d.path })
    paths.push(d.path)
  }
  const found = await buildingChoices(db, paths, actor)
  return {
    items: found
      .slice(0, PLACE_CHOICES)
      .map((b) => ({ id: b.id, name: b.name, gridName: b.gridName, units: b.units })),
    truncated: found.length > PLACE_CHOICES,
  }
}

/**
 * What the stop rule advises for each area-wide round's area now, from the area's closed
 * rounds: a round with results still out is not counted (it is not known to be clean).
 */
export async function stopAdvices(
  db: Db,
  rounds: readonly { id: string; kind: string }[],
  stopRule: NonNullable<TestingProfile['areaRounds']['stopRule']> | null,
): Promise<Map<string, StopAdviceOut>> {
  const out = new Map<string, StopAdviceOut>()
  if (!stopRule) return out
  const area = rounds.filter((r) => r.kind === 'area').map((r) => r.id)
  const history = await areaRoundHistory(db, area)
  for (const id of area) {
    const mine = history.filter((h) => h.roundId === id)
    const known = mine
      .filter((h) => !h.pending)
      .map((h) => ({ day: localDate(new Date(h.closedAt)), positive: h.positive }))
    const advice = areaStopAdvice(stopRule, known)
    out.set(id, {
      next: advice.next,
      until: advice.next === 'wait' ? advice.until : null,
      cleanRounds: cleanStreak(known),
      pendingRounds: mine.length - known.length,
      rule: {
        cleanRounds: stopRule.cleanRounds,
        waitDays: stopRule.waitDays,
        finalRounds: stopRule.finalRounds,
      },
    })
  }
  return out
}
