import { z } from 'zod'
import type { StrictnessRule } from '../policy.rules.js'

/**
 * The `checkpoints` section of a policy profile (domain.md §4): the itinerary window an arrival's
 * places are matched over, which origins are classified (and into which measure category of §7),
 * the gate rules of a lockdown and the health-code colours with their triggers. Moves to
 * `src/checkpoints/` with that domain (issue 11).
 */

export const ORIGINS = [
  'high_risk_area',
  'medium_risk_area',
  /** A low-risk area of a county or district that has medium or high areas. */
  'low_risk_area_in_risk_county',
  'overseas',
  'hk_macau_taiwan',
  'low_risk_area',
] as const
/** The categories of measures.json (§7) an origin can lead to. */
export const ARRIVAL_CATEGORIES = [
  'inbound',
  'high_risk_area',
  'medium_risk_area',
  'low_risk_area',
] as const
export const CODE_COLOURS = ['green', 'yellow', 'red'] as const

const cite = z.string().min(1).max(200)

export const originRule = z.object({
  origin: z.enum(ORIGINS),
  category: z.enum(ARRIVAL_CATEGORIES),
  cite,
})

export const codeTriggerRule = z.object({
  trigger: z.string().min(1).max(60),
  /** What ends it: a negative recheck, the end of the measure, 7 days without a new match … */
  exit: z.string().min(1).max(60),
})

export const codeColourRule = z.object({
  colour: z.enum(CODE_COLOURS),
  /** pass / restricted / forbidden at a gate. */
  gate: z.enum(['pass', 'restricted', 'forbidden']),
  triggers: z.array(codeTriggerRule),
  cite,
})

export const checkpointsSection = z
  .object({
    cite,
    /** Days of places stayed matched against the risk-area list (7; 14 before 2022-07-08). */
    itineraryWindowDays: z.number().int().min(1).max(30),
    itineraryCite: cite,
    /** Origins that put an arrival under a measure; an origin absent here is not classified. */
    classify: z.array(originRule),
    /** An arrival may file the report ahead (QR code at the gate, a link) and staff confirm it. */
    reportAhead: z.boolean(),
    gate: z.object({
      /** During a lockdown residents' exits and entries are registered too. */
      registerResidentsInLockdown: z.boolean(),
      /** Exit passes per household per day in a lockdown; null: no pass. */
      exitPassesPerHouseholdPerDay: z.number().int().min(0).max(10).nullable(),
      visitorsAllowedInLockdown: z.boolean(),
      /** Proof of a negative test within this many hours at the gate; null: no proof asked. */
      negativeTestHours: z.number().int().min(1).max(168).nullable(),
      /** The windows a local gate may choose from. */
      negativeTestHoursChoices: z.array(z.number().int().min(1).max(168)),
      /** Health code checked at the gate. */
      healthCodeChecked: z.boolean(),
      /** People without a smartphone are registered by hand. */
      manualRegistration: z.boolean(),
      /**
       * Measure categories (§7) whose people may not go out through a gate. A risk area's own
       * measures (zone_*) are not listed: the area's gate rules (passes, tests) govern them.
       */
      confinedMeasures: z
        .array(z.string().min(1).max(40))
        .default([
          'close_contact',
          'secondary_contact',
          'inbound',
          'high_risk_area',
          'medium_risk_area',
          'closed_loop_worker',
          'infected',
          'temporary_control',
        ]),
      cite,
    }),
    healthCode: z.array(codeColourRule),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>()
    s.classify.forEach((r, i) => {
      if (seen.has(r.origin))
        ctx.addIssue({
          code: 'custom',
          path: ['classify', i, 'origin'],
          message: `origin ${r.origin} twice`,
        })
      seen.add(r.origin)
    })
    const h = s.gate.negativeTestHours
    if (h !== null && !s.gate.negativeTestHoursChoices.includes(h))
      ctx.addIssue({
        code: 'custom',
        path: ['gate', 'negativeTestHours'],
        message: 'not one of negativeTestHoursChoices',
      })
  })
export type CheckpointsSettings = z.infer<typeof checkpointsSection>

export const checkpointsStrictness: StrictnessRule[] = [
  { match: 'itineraryWindowDays', stricter: 'higher' },
  { match: 'classify', stricter: 'more' },
  { match: 'gate.negativeTestHours', stricter: 'lower' },
  { match: 'gate.exitPassesPerHouseholdPerDay', stricter: 'lower' },
  { match: 'gate.visitorsAllowedInLockdown', stricter: 'false' },
  { match: 'gate.registerResidentsInLockdown', stricter: 'true' },
  { match: 'gate.healthCodeChecked', stricter: 'true' },
  { match: 'gate.confinedMeasures', stricter: 'more' },
  { match: 'healthCode.*.triggers', stricter: 'more' },
]
