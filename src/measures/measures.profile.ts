import { z } from 'zod'

/**
 * The `measures` section of a policy profile (domain.md §7, temporary control from §5): which
 * categories of people a profile identifies and, for each, the measure it gives them — a start
 * anchor, phases with their length and test days (counted within the phase), what home isolation
 * falls back to when the home cannot support it, the end condition and the release thresholds.
 * `src/policy/profiles/<name>/measures.json` holds the values; a category absent from a profile is
 * not identified under it (opt20 has no secondary contacts).
 */

export const MEASURE_CATEGORIES = [
  'close_contact',
  'secondary_contact',
  'inbound',
  'high_risk_area',
  'medium_risk_area',
  'low_risk_area',
  'closed_loop_worker',
  'infected',
  'temporary_control',
  /** The people inside a risk area (domain.md §6): 封控 / 管控 / 防范, for as long as the area is at that level. */
  'zone_sealed',
  'zone_controlled',
  'zone_precaution',
] as const
export type MeasureCategory = (typeof MEASURE_CATEGORIES)[number]

export const PHASE_KINDS = [
  'centralized_isolation',
  'home_isolation',
  'home_health_monitoring',
  'designated_facility',
  'temporary_control',
  'test_only',
  /** 封控: stay home, services delivered. */
  'stay_home',
  /** 管控: stay in the area, staggered pick-up. */
  'stay_in_area',
  /** 防范: protect yourself, avoid crowds. */
  'self_protection',
] as const
export type PhaseKind = (typeof PHASE_KINDS)[number]

/** What day 0 of a measure is (domain.md §7). */
export const ANCHOR_KINDS = [
  'last_exposure',
  'last_contact_with_close_contact',
  'entry',
  'left_area',
  'arrival',
  'end_of_closed_loop',
  'first_positive',
  'pool_result',
  /** The risk area's drawing or its level change (the zone measures). */
  'area_level',
] as const
export type AnchorKind = (typeof ANCHOR_KINDS)[number]

/** area_change: ends when the risk area it comes from is lowered or lifted (a person's decision there). */
export const END_CONDITIONS = [
  'duration',
  'negative_single_tube',
  'ct_at_least',
  'area_change',
] as const
export type EndCondition = (typeof END_CONDITIONS)[number]

/** Day counting: the anchor's day is day 0 (default, day 1 is the next calendar day), or day 1. */
export const DAY_ZERO_CONVENTIONS = ['anchor_is_day_0', 'anchor_is_day_1'] as const
export type DayZeroConvention = (typeof DAY_ZERO_CONVENTIONS)[number]

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)

export const measurePhase = z
  .object({
    kind: z.enum(PHASE_KINDS),
    /** Length in days; null: lasts until the category's end condition (temporary control). */
    days: z.number().int().min(1).max(60).nullable(),
    /** Test days counted within this phase: 1 is the phase's first day. */
    testDays: z.array(z.number().int().min(1).max(60)).default([]),
    /** The kind a person or the office may choose instead ("centralized if chosen"). */
    alternative: z.enum(PHASE_KINDS).nullable().default(null),
  })
  .refine((p) => p.days === null || p.testDays.every((d) => d <= p.days!), {
    message: 'a test day lies after the end of its phase',
    path: ['testDays'],
  })
export type MeasurePhaseRule = z.infer<typeof measurePhase>

export const measureCategoryRule = z
  .object({
    /** Where the values come from: the profile's section and domain.md §7 row. */
    cite: z.string().min(1),
    anchor: z.enum(ANCHOR_KINDS),
    phases: z.array(measurePhase).min(1).max(4),
    /** What home isolation becomes when the home cannot support it (no single room …). */
    homeFallback: z.enum(PHASE_KINDS).nullable().default(null),
    endCondition: z.enum(END_CONDITIONS),
    /** Both genes' Ct at least this clears (a later profile's "Ct < 35 is positive"). */
    releaseCt: z.number().min(10).max(45).nullable().default(null),
    /** "2 tests within 3 days, ≥ 24 h apart" (v9 low-risk area of a district with risk areas). */
    testsWithin: z
      .object({
        count: z.number().int().min(1).max(10),
        days: z.number().int().min(1).max(30),
        minHoursApart: z.number().min(0).max(240),
      })
      .nullable()
      .default(null),
    /** An open-ended measure ends after this many qualifying results on distinct days. */
    releaseTests: z.number().int().min(1).max(5).nullable().default(null),
    /** 填平补齐: days already spent in a low-risk place after leaving count toward the period. */
    fillUp: z.boolean().default(false),
    /** The category is identified only for anchors before this local date (new10 inbound). */
    identifiedBefore: localDay.nullable().default(null),
  })
  .refine((c) => c.endCondition !== 'ct_at_least' || c.releaseCt !== null, {
    message: 'ct_at_least needs releaseCt',
    path: ['releaseCt'],
  })
  .refine((c) => c.phases.slice(0, -1).every((p) => p.days !== null), {
    message: 'only the last phase may be open-ended',
    path: ['phases'],
  })
export type MeasureCategoryRule = z.infer<typeof measureCategoryRule>

export const measuresSection = z.object({
  cite: z.string().min(1),
  dayZero: z.enum(DAY_ZERO_CONVENTIONS).default('anchor_is_day_0'),
  /** Health check-ins a day (temperature twice daily: am and pm). */
  checkinsPerDay: z.number().int().min(0).max(2).default(2),
  categories: z.partialRecord(z.enum(MEASURE_CATEGORIES), measureCategoryRule),
})
export type MeasuresSettings = z.infer<typeof measuresSection>
