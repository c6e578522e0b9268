import type { Tx } from '../core/db/db.js'
import { localDate } from '../core/clock.js'
import { invalid } from '../core/errors.js'
import { profileSection } from '../policy/policy.service.js'
import { measuresSection, type MeasureCategory } from './measures.profile.js'
import { planMeasure } from './measures.rules.js'
import {
  activeZoneMeasuresOf,
  endZoneMeasuresById,
  insertZoneMeasures,
  repointZoneMeasures,
  zoneMeasureHoldersOf,
} from './zone.repo.js'

/**
 * The measures of the people inside a risk area (issue 11 item 2, domain.md §6): the zones domain
 * calls these in the transaction of its decision (drawing, widening, raising, lowering, lifting),
 * so the measures exist exactly when the area's level does; measures never imports zones. The
 * category of each level's measure (封控 sealed → zone_sealed …) and its rule come from the
 * profile in force; the zones domain audits the decision with the counts these return.
 */

/** What an area's level puts on the people inside (zones.levels[].measure). */
export type ZoneMeasure = 'sealed' | 'controlled' | 'precaution'

/** End reasons of zone measures (catalogue codes, labels in web locales measures.endReasons). */
export const ZONE_LEVEL_CHANGED = 'ZONE_LEVEL_CHANGED'
export const ZONE_LIFTED = 'ZONE_LIFTED'

export function zoneCategory(m: ZoneMeasure): MeasureCategory {
  return `zone_${m}`
}

/**
 * Puts the people inside an area under its level's measure, set-wise; someone already under that
 * category (a retry, a widening over them, an overlapping area) is not put under it twice. Returns
 * the people newly under it. A profile without the category refuses the decision (by `level`).
 */
export async function startZoneMeasures(
  tx: Tx,
  input: { areaId: string; measure: ZoneMeasure; residentIds: readonly string[] },
  opts: { at: Date; by: string },
): Promise<string[]> {
  if (input.residentIds.length === 0) return []
  const category = zoneCategory(input.measure)
  const { profile, settings } = await profileSection(tx, 'measures', measuresSection)
  const anchorDate = localDate(opts.at)
  const planned = planMeasure(settings, category, { anchorDate })
  const rule = settings.categories[category]
  if (!planned.ok || !rule)
    throw invalid('level', 'MEASURE_CATEGORY_NOT_IDENTIFIED', { profile, category })
  return insertZoneMeasures(tx, input.residentIds, {
    category,
    areaId: input.areaId,
    at: opts.at,
    anchorDate,
    profileName: profile,
    rules: {
      profile,
      profileTitle: profile,
      rule,
      overrides: [],
      checkinsPerDay: settings.checkinsPerDay,
      dayZero: settings.dayZero,
    },
    plan: planned.plan,
    checkinsPerDay: settings.checkinsPerDay,
    startedBy: opts.by,
  })
}

/** The people under one of an area's measures now (the zones domain settles them on its decisions). */
export async function zoneMeasureHolders(tx: Tx, areaId: string): Promise<string[]> {
  return zoneMeasureHoldersOf(tx, areaId)
}

/**
 * What a person inside risk areas is to be under: the strictest measure of the active areas they
 * are in, with the areas that give it (any of them may hold the measure); null: no active area.
 */
export interface ZoneWant {
  residentId: string
  want: { measure: ZoneMeasure; areaIds: readonly string[] } | null
}

/**
 * Brings these people's zone measures to what the areas they are in give (domain.md §6: someone in
 * two areas is under the stricter one, once). A measure of the wanted category keeps running (its
 * days, its check-ins), held by an area that still gives it when its own area was lowered or
 * lifted; any other zone measure ends with `reason`; someone without the wanted one gets it.
 */
export async function settleZoneMeasures(
  tx: Tx,
  wants: readonly ZoneWant[],
  opts: { at: Date; by: string; reason: typeof ZONE_LEVEL_CHANGED | typeof ZONE_LIFTED },
): Promise<{ started: string[]; ended: string[] }> {
  if (wants.length === 0) return { started: [], ended: [] }
  const current = await activeZoneMeasuresOf(
    tx,
    wants.map((w) => w.residentId),
  )
  const mine = new Map<string, typeof current>()
  for (const m of current) mine.set(m.resident_id, [...(mine.get(m.resident_id) ?? []), m])
  const toEnd: string[] = []
  const repoint = new Map<string, string[]>()
  const toStart = new Map<string, { areaId: string; measure: ZoneMeasure; residentIds: string[] }>()
  for (const w of wants) {
    const category = w.want ? zoneCategory(w.want.measure) : null
    let kept = false
    for (const m of mine.get(w.residentId) ?? []) {
      if (!w.want || m.category !== category || kept) {
        toEnd.push(m.id)
        continue
      }
      kept = true
      if (m.source_ref === null || !w.want.areaIds.includes(m.source_ref)) {
        const to = w.want.areaIds[0]!
        repoint.set(to, [...(repoint.get(to) ?? []), m.id])
      }
    }
    if (w.want && !kept) {
      const areaId = w.want.areaIds[0]!
      const key = `${w.want.measure}|${areaId}`
      const group = toStart.get(key) ?? { areaId, measure: w.want.measure, residentIds: [] }
      group.residentIds.push(w.residentId)
      toStart.set(key, group)
    }
  }
  const ended = await endZoneMeasuresById(tx, toEnd, {
    at: opts.at,
    endedBy: opts.by,
    reason: opts.reason,
  })
  for (const [areaId, ids] of repoint) await repointZoneMeasures(tx, ids, areaId)
  const started: string[] = []
  for (const g of toStart.values())
    started.push(...(await startZoneMeasures(tx, g, { at: opts.at, by: opts.by })))
  return { started, ended }
}
