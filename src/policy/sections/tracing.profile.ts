import { z } from 'zod'
import type { StrictnessRule } from '../policy.rules.js'

/**
 * The `tracing` section of a policy profile (domain.md §8): the report clock of a response, how
 * far back close contacts are looked for, whether secondary contacts are identified, where
 * candidates come from and the building templates. Moves to `src/tracing/` with that domain
 * (issue 11).
 */

export const RESPONSE_STEPS = [
  'case_reported',
  'contacts_listed',
  'contacts_under_measures',
  'zone_proposed',
] as const
export const CONTACT_SOURCES = [
  'household',
  'building_template',
  'venue_code',
  'sampling_queue_or_pool',
  'workplace_roster',
  'assist_list',
  'spatiotemporal_companion',
] as const
export const CLOSE_SETTINGS = [
  'living_together',
  'shared_meals',
  'same_office_or_classroom',
  'same_enclosed_space',
  'care',
  'same_vehicle_nearby',
] as const
export const TEMPLATE_RELATIONS = [
  'same_household',
  'same_floor',
  'floor_above',
  'floor_below',
  'same_unit',
  'same_building',
] as const

const cite = z.string().min(1).max(200)

export const clockRule = z.object({
  step: z.enum(RESPONSE_STEPS),
  /** Hours from the case's report (the case itself: from the positive result). */
  hours: z.number().positive().max(168),
  cite,
})

export const templateRule = z.object({
  name: z.string().min(1).max(60),
  title: z.string().min(1).max(100),
  rules: z.array(
    z.object({
      relation: z.enum(TEMPLATE_RELATIONS),
      category: z.enum(['close_contact', 'secondary_contact']),
    }),
  ),
  cite,
})

export const tracingSection = z
  .object({
    cite,
    clocks: z.array(clockRule).min(1),
    closeContact: z.object({
      /** Unprotected close contact from this many days before symptom onset … */
      lookBackDays: z.number().int().min(0).max(21),
      /** … or before the sample, when asymptomatic. */
      asymptomaticFrom: z.enum(['sample', 'onset']),
      settings: z.array(z.enum(CLOSE_SETTINGS)).min(1),
      cite,
    }),
    secondaryContact: z.object({
      identified: z.boolean(),
      /** From the close contact's first exposure until they were put under management. */
      window: z.enum(['first_exposure_to_management']).nullable(),
      cite,
    }),
    sources: z.array(z.enum(CONTACT_SOURCES)).min(1),
    templates: z.array(templateRule),
    /** One city's spatio-temporal companion rule; null: not used. */
    companion: z
      .object({
        cellMeters: z.number().int().positive(),
        minMinutes: z.number().int().positive(),
        phoneInCellHours: z.number().int().positive(),
        withinDays: z.number().int().positive(),
        cite,
      })
      .nullable(),
  })
  .superRefine((s, ctx) => {
    const steps = s.clocks.map((c) => c.step)
    s.clocks.forEach((c, i) => {
      if (steps.indexOf(c.step) !== i)
        ctx.addIssue({ code: 'custom', path: ['clocks', i, 'step'], message: 'step twice' })
    })
    if (s.secondaryContact.identified !== (s.secondaryContact.window !== null))
      ctx.addIssue({
        code: 'custom',
        path: ['secondaryContact', 'window'],
        message: 'a window exactly when secondary contacts are identified',
      })
  })
export type TracingSettings = z.infer<typeof tracingSection>

export const tracingStrictness: StrictnessRule[] = [
  { match: 'clocks.*.hours', stricter: 'lower' },
  { match: 'closeContact.lookBackDays', stricter: 'higher' },
  { match: 'closeContact.settings', stricter: 'more' },
  { match: 'secondaryContact.identified', stricter: 'true' },
  { match: 'sources', stricter: 'more' },
  { match: 'templates.*.rules', stricter: 'more' },
]
