import { z } from 'zod'
import type { SectionSpec } from '../policy/policy.service.js'

/**
 * The `zones` section of a policy profile (domain.md §6): the units risk areas are drawn at, the
 * levels a profile knows with the measure of each, and when an area is lowered or lifted (clean
 * days without a new infection, the round that must be negative and on which day), and what the
 * levels are called (v9: high / medium / low risk; opt20 and new10: sealed / controlled /
 * precaution). The zones domain (src/zones/) reads it; policy validates it at every start.
 */

export const AREA_UNITS = [
  'household',
  'floor',
  'unit',
  'building',
  'compound',
  'village',
  'grid',
  'community',
  'street',
] as const
/** Tags (registry.vocab KNOWN_TAGS) that make a person vulnerable when a profile names none. */
export const VULNERABLE_TAGS = [
  'dialysis',
  'chemotherapy',
  'pregnancy',
  'living_alone',
  'disabled',
  'bedridden',
  'chronic_disease',
  'chronic_key',
  'minor_alone',
] as const
export const ZONE_LEVELS = ['high', 'medium', 'low'] as const
/** 封控 (stay home, services delivered) / 管控 (stay in the area) / 防范 (protect yourself). */
export const ZONE_MEASURES = ['sealed', 'controlled', 'precaution'] as const

const cite = z.string().min(1).max(200)

export const zoneLevelRule = z.object({
  level: z.enum(ZONE_LEVELS),
  measure: z.enum(ZONE_MEASURES),
  cite,
})

/** What a profile calls its levels: by risk (高/中/低风险区) or by the measure of the area (封控/管控/防范区). */
export const LEVEL_NAMINGS = ['risk', 'measure'] as const

export const zoneTransitionRule = z.object({
  from: z.enum(ZONE_LEVELS),
  /** A lower level, or 'lifted' (the area ends). */
  to: z.union([z.enum(ZONE_LEVELS), z.literal('lifted')]),
  /** Only for areas that started at this level (v9: a medium area that started as medium). */
  startedAs: z.enum(ZONE_LEVELS).nullable(),
  /** Consecutive days without a new infection in the area. */
  cleanDays: z.number().int().min(1).max(60),
  /** The day (of those clean days) whose full round must be all negative; null: no round needed. */
  negativeRoundOnDay: z.number().int().min(1).max(60).nullable(),
  /** new10: lift promptly once the clean days have passed, without waiting for a decision. */
  promptly: z.boolean(),
  cite,
})

export const zonesSection = z
  .object({
    cite,
    /** The units an area may be drawn at. */
    areaUnits: z.array(z.enum(AREA_UNITS)).min(1),
    /** Units an area must never be (new10: never a whole compound, community or street). */
    forbiddenUnits: z.array(z.enum(AREA_UNITS)),
    /** opt20: an area is widened beyond its unit only when the chain of transmission is unclear. */
    widenOnlyWhenChainUnclear: z.boolean(),
    levels: z.array(zoneLevelRule).min(1),
    transitions: z.array(zoneTransitionRule),
    /** A new case inside the area restarts its clean-day clock. */
    newCaseRestartsClock: z.boolean(),
    /** What the levels are called on screens (a profile without it: by risk). */
    levelNames: z
      .object({ by: z.enum(LEVEL_NAMINGS), cite })
      .default({ by: 'risk', cite: '§6: high / medium / low risk areas' }),
    /**
     * Whether an area may also be drawn smaller than its units (v9: a compound or village, or a
     * part of one: a building, a unit, a floor, a household); without it only `areaUnits`.
     */
    smallerUnits: z
      .object({ allowed: z.boolean(), cite })
      .default({ allowed: false, cite: '§6: areas are drawn at the profile units only' }),
    /**
     * The resident tags that put a person inside an area on its 重点人群 list (a named helper and
     * a designated hospital each): dialysis, pregnancy, living alone, disabled, bedridden, chronic
     * disease (issue 11 item 2).
     */
    vulnerable: z
      .object({ tags: z.array(z.string().regex(/^[a-z][a-z0-9_]{1,39}$/)).min(1), cite })
      .default({
        tags: [...VULNERABLE_TAGS],
        cite: '§6: the vulnerable inside an area each have a named helper and a designated hospital',
      }),
  })
  .superRefine((s, ctx) => {
    const levels = new Set(s.levels.map((l) => l.level))
    s.transitions.forEach((t, i) => {
      for (const key of ['from', 'to', 'startedAs'] as const) {
        const v = t[key]
        if (v !== null && v !== 'lifted' && !levels.has(v))
          ctx.addIssue({
            code: 'custom',
            path: ['transitions', i, key],
            message: `level ${v} is not one of this profile's levels`,
          })
      }
      if (t.negativeRoundOnDay !== null && t.negativeRoundOnDay > t.cleanDays)
        ctx.addIssue({
          code: 'custom',
          path: ['transitions', i, 'negativeRoundOnDay'],
          message: 'the negative round falls after the clean days',
        })
    })
    s.areaUnits.forEach((u, i) => {
      if (s.forbiddenUnits.includes(u))
        ctx.addIssue({
          code: 'custom',
          path: ['areaUnits', i],
          message: `${u} is also forbidden`,
        })
    })
  })
export type ZonesSettings = z.infer<typeof zonesSection>

/** How an override of this section is judged stricter or looser than national (docs/POLICY.md). */
export const zonesStrictness: SectionSpec['strictness'] = [
  { match: 'transitions.*.cleanDays', stricter: 'higher' },
  { match: 'transitions.*.negativeRoundOnDay', stricter: 'higher' },
  { match: 'transitions.*.promptly', stricter: 'false' },
  { match: 'areaUnits', stricter: 'more' },
  { match: 'forbiddenUnits', stricter: 'fewer' },
  { match: 'widenOnlyWhenChainUnclear', stricter: 'false' },
  { match: 'newCaseRestartsClock', stricter: 'true' },
  { match: 'smallerUnits.allowed', stricter: 'false' },
  { match: 'vulnerable.tags', stricter: 'more' },
]
