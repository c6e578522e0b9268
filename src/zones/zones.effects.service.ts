import type { Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import {
  settleZoneMeasures,
  zoneMeasureHolders,
  ZONE_LEVEL_CHANGED,
  ZONE_LIFTED,
  type ZoneWant,
} from '../measures/zone.service.js'
import { ZONE_MEASURES, type ZonesSettings } from './zones.profile.js'
import type { ZoneLevel } from './zones.rules.js'
import { activeAreasOfResidents, residentIdsInside } from './zones.repo.js'

/**
 * What a risk-area decision does to the people inside (issue 11 item 2, domain.md §6): the
 * measure the profile gives the area's level (zones.levels[].measure: 封控 sealed → stay home,
 * services delivered; 管控 controlled; 防范 precaution) is started through the measures service
 * for every resident inside, set-wise. Someone inside two active areas is under the strictest of
 * them, once: lowering or lifting one area leaves the people also inside a stricter (or equal)
 * active area under that area's measure, still running; lifting ends the rest. The caller audits
 * the decision with these counts.
 */

export interface MeasureEffect {
  /** People newly put under a zone measure. */
  started: number
  /** Zone measures ended. */
  ended: number
}

type Measure = (typeof ZONE_MEASURES)[number]

function measureOf(s: ZonesSettings, level: string): Measure | null {
  return s.levels.find((l) => l.level === level)?.measure ?? null
}

/** Per person, the strictest measure of the active areas they are in, and the areas giving it. */
async function wantsOf(tx: Tx, s: ZonesSettings, residentIds: string[]): Promise<ZoneWant[]> {
  const found = await activeAreasOfResidents(tx, residentIds)
  const best = new Map<string, { measure: Measure; areaIds: string[] }>()
  for (const r of found) {
    const measure = measureOf(s, r.level)
    if (!measure) continue
    const had = best.get(r.resident_id)
    const stricter = !had || ZONE_MEASURES.indexOf(measure) < ZONE_MEASURES.indexOf(had.measure)
    if (stricter) best.set(r.resident_id, { measure, areaIds: [r.area_id] })
    else if (had.measure === measure) had.areaIds.push(r.area_id)
  }
  // Areas in a stable order, so the same area holds the measures of a building drawn twice.
  return residentIds.map((residentId) => {
    const b = best.get(residentId)
    return { residentId, want: b ? { measure: b.measure, areaIds: b.areaIds.sort() } : null }
  })
}

export async function applyAreaMeasures(
  tx: Tx,
  actor: Actor,
  s: ZonesSettings,
  area: { id: string; level: ZoneLevel },
  change: 'drawn' | 'widened' | 'level' | 'lifted',
  at: Date = new Date(),
): Promise<MeasureEffect> {
  if (measureOf(s, area.level) === null)
    // The profile's level list was checked before the decision; a level outside it has none.
    throw new Error(`level ${area.level} has no measure in the profile`)
  const inside = await residentIdsInside(tx, area.id)
  const holders =
    change === 'level' || change === 'lifted' ? await zoneMeasureHolders(tx, area.id) : []
  const people = [...new Set([...inside, ...holders])].sort()
  const { started, ended } = await settleZoneMeasures(tx, await wantsOf(tx, s, people), {
    at,
    by: actor.username,
    reason: change === 'lifted' ? ZONE_LIFTED : ZONE_LEVEL_CHANGED,
  })
  return { started: started.length, ended: ended.length }
}
