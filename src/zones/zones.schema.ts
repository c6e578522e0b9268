import { z } from 'zod'
import { isoDateTime } from '../core/http/dates.js'
import { AREA_UNITS, LEVEL_NAMINGS, ZONE_LEVELS, ZONE_MEASURES } from './zones.profile.js'
import { EXTENT_KINDS } from './zones.rules.js'

/**
 * The risk-area contract (issue 11 item 1, domain.md §6): create an area of registry parts at the
 * units the profile in force allows, widen it, change its level, lift it; the list of my scope
 * with each countdown, and an area's page. Countdowns are computed when read, never stored. The
 * web app types its client (web/src/zones/api.ts) from here with `import type`.
 */

export { EXTENT_KINDS, ZONE_LEVELS }
export const AREA_STATUSES = ['active', 'lifted'] as const
export const ZONE_EVENT_KINDS = ['created', 'level', 'widened', 'lifted'] as const
export const ZONE_TARGETS = [...ZONE_LEVELS, 'lifted'] as const

const reason = z.string().trim().min(2).max(200)
const params = z.record(z.string(), z.union([z.string(), z.number()]))

export const extentIn = z
  .object({
    kind: z.enum(EXTENT_KINDS),
    /** The household, unit or building (a floor: its building), or the grid or community. */
    id: z.uuid(),
    /** Only for a floor: which floor of the building. */
    floor: z.number().int().min(-10).max(200).optional(),
  })
  .strict()

export const createAreaIn = z
  .object({
    name: z.string().trim().min(1).max(80),
    level: z.enum(ZONE_LEVELS),
    reason,
    /** The single-tube positive that caused it (testing's positive case id), if known. */
    caseId: z.uuid().optional(),
    /** When the area began; now if not given. */
    startedAt: isoDateTime().optional(),
    extents: z.array(extentIn).min(1).max(200),
  })
  .strict()

export const widenIn = z.object({ reason, extents: z.array(extentIn).min(1).max(200) }).strict()

export const changeLevelIn = z
  .object({
    level: z.enum(ZONE_LEVELS),
    reason,
    /** A lead deciding against failed checks: why (audited). */
    overrideReason: reason.optional(),
  })
  .strict()

export const liftIn = z.object({ reason, overrideReason: reason.optional() }).strict()

export const areaIdParams = z.object({ id: z.uuid() })

/** 发起本区域核酸: a round of the area's buildings and units at the pool of its level. */
export const areaRoundIn = z.object({ deadline: isoDateTime().optional() }).strict()
export type AreaRoundIn = z.infer<typeof areaRoundIn>
export const areaRoundOut = z.object({
  roundId: z.string(),
  name: z.string(),
  poolSize: z.number(),
  householdPool: z.boolean(),
  /** The area's round of today was already open (pressed again): this is it, not a new one. */
  existing: z.boolean(),
})
export type AreaRoundOut = z.infer<typeof areaRoundOut>

export const areaListQuery = z.object({
  status: z.enum(AREA_STATUSES).optional(),
  /** Keyset cursor: areas created before this one (its id). */
  after: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
})

export const checkOut = z.object({ code: z.string(), ok: z.boolean(), params })

export const countdownOut = z.object({
  clockFrom: z.string(),
  cleanDays: z.number(),
  next: z.enum(ZONE_TARGETS).nullable(),
  requiredDays: z.number().nullable(),
  daysLeft: z.number().nullable(),
  eligibleOn: z.string().nullable(),
  roundDay: z.number().nullable(),
  roundDate: z.string().nullable(),
  roundId: z.string().nullable(),
  checks: z.array(checkOut),
  eligible: z.boolean(),
})

export const extentOut = z.object({
  id: z.number(),
  kind: z.enum(EXTENT_KINDS),
  refId: z.string(),
  floor: z.number().nullable(),
  label: z.string(),
  path: z.string(),
})

export const areaSummaryOut = z.object({
  id: z.string(),
  name: z.string(),
  level: z.enum(ZONE_LEVELS),
  /** The catalogue code of what the profile in force calls the level (ZONE_RISK_high, ZONE_MEASURE_sealed …). */
  levelName: z.string(),
  status: z.enum(AREA_STATUSES),
  startedAt: z.string(),
  levelSince: z.string(),
  liftedAt: z.string().nullable(),
  extents: z.array(extentOut),
  /** Null once lifted. */
  countdown: countdownOut.nullable(),
})

export const areaPage = z.object({
  items: z.array(areaSummaryOut),
  /** The cursor of the next page (null: none). */
  next: z.string().nullable(),
})

export const zoneEventOut = z.object({
  id: z.number(),
  kind: z.enum(ZONE_EVENT_KINDS),
  fromLevel: z.string().nullable(),
  toLevel: z.string().nullable(),
  reason: z.string(),
  overrideReason: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  actorName: z.string(),
  at: z.string(),
})

export const roundInsideOut = z.object({
  roundId: z.string(),
  name: z.string(),
  date: z.string(),
  sampled: z.number(),
  negative: z.number(),
  positive: z.number(),
})

export const areaDetailOut = areaSummaryOut.extend({
  reason: z.string(),
  caseId: z.string().nullable(),
  startedLevel: z.enum(ZONE_LEVELS),
  profileName: z.string(),
  /** Active residents living inside now. */
  peopleInside: z.number(),
  /** New positives of people inside since the area began. */
  casesInside: z.number(),
  rounds: z.array(roundInsideOut),
  history: z.array(zoneEventOut),
  /** Other active areas of another level covering people inside this one (a lead resolves it). */
  overlaps: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      level: z.enum(ZONE_LEVELS),
      levelName: z.string(),
      people: z.number(),
    }),
  ),
})

export const zoneSettingsOut = z.object({
  profile: z.string(),
  levelNames: z.enum(LEVEL_NAMINGS),
  levels: z.array(
    z.object({ level: z.enum(ZONE_LEVELS), measure: z.enum(ZONE_MEASURES), name: z.string() }),
  ),
  /** The units an area may be drawn at under the profile in force, smallest first. */
  units: z.array(z.enum(AREA_UNITS)),
})

export type ExtentIn = z.infer<typeof extentIn>
export type CreateAreaIn = z.infer<typeof createAreaIn>
export type WidenIn = z.infer<typeof widenIn>
export type ChangeLevelIn = z.infer<typeof changeLevelIn>
export type LiftIn = z.infer<typeof liftIn>
export type AreaListQuery = z.infer<typeof areaListQuery>
export type AreaSummaryOut = z.infer<typeof areaSummaryOut>
export type AreaPage = z.infer<typeof areaPage>
export type AreaDetailOut = z.infer<typeof areaDetailOut>
export type ZoneSettingsOut = z.infer<typeof zoneSettingsOut>
export type CountdownOut = z.infer<typeof countdownOut>
