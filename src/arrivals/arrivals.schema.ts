import { z } from 'zod'
import { isoDate } from '../core/http/dates.js'
import { ARRIVAL_CATEGORIES, ORIGINS } from '../policy/policy.service.js'
import { EXTERNAL_COLUMNS } from './external.rules.js'
import { RISK_LEVELS } from './itinerary.rules.js'

/**
 * The external risk-area list and itinerary classification (issue 11 items 3, 4): enter, edit,
 * end and list other cities' areas, import a list file, and classify an itinerary against the
 * list and the local areas under the profile in force. The web client (web/src/arrivals/api.ts)
 * is typed from here with `import type`.
 */

export { RISK_LEVELS, ORIGINS, ARRIVAL_CATEGORIES }
export const EXTERNAL_STATUSES = ['active', 'ended', 'upcoming'] as const

const name = z.string().trim().max(100)

const namesIn = {
  province: name.optional(),
  city: name.optional(),
  district: name.optional(),
  street: name.optional(),
  place: name.optional(),
}

export const externalAreaIn = z
  .object({
    ...namesIn,
    level: z.enum(RISK_LEVELS),
    /** First local day in force. */
    validFrom: isoDate(),
    /** The local day it stops counting (exclusive); none: in force until ended. */
    validTo: isoDate().nullable().optional(),
    source: z.string().trim().max(200).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.city && !v.district && !v.street && !v.place)
      ctx.addIssue({ code: 'custom', path: ['place'], message: 'name the area (city at least)' })
    if (v.validTo && v.validTo <= v.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'must be after validFrom' })
  })
export type ExternalAreaIn = z.infer<typeof externalAreaIn>

export const externalAreaPatch = z
  .object({
    ...namesIn,
    level: z.enum(RISK_LEVELS).optional(),
    validFrom: isoDate().optional(),
    validTo: isoDate().nullable().optional(),
    source: z.string().trim().max(200).optional(),
  })
  .strict()
export type ExternalAreaPatch = z.infer<typeof externalAreaPatch>

export const endExternalIn = z
  .object({
    /** The day it stops counting; today (local) if not given. */
    on: isoDate().optional(),
  })
  .strict()

export const externalAreaOut = z.object({
  id: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  street: z.string(),
  place: z.string(),
  level: z.enum(RISK_LEVELS),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  /** Computed on read on today's local date: in force, ended (on or after validTo), not yet. */
  status: z.enum(EXTERNAL_STATUSES),
  source: z.string(),
  enteredBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type ExternalAreaOut = z.infer<typeof externalAreaOut>

export const externalSaved = z.object({
  area: externalAreaOut,
  /** An entry already in force with the same names was updated instead of adding another. */
  updated: z.boolean(),
})

export const externalListQuery = z.object({
  q: z.string().trim().max(60).optional(),
  level: z.enum(RISK_LEVELS).optional(),
  status: z.enum(EXTERNAL_STATUSES).optional(),
  /** Keyset cursor: the last id of the previous page. */
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})
export type ExternalListQuery = z.infer<typeof externalListQuery>

export const externalPage = z.object({
  items: z.array(externalAreaOut),
  next: z.string().nullable(),
  /** Entries in force today (the whole list, not only this page). */
  active: z.number(),
})
export type ExternalPage = z.infer<typeof externalPage>

export const externalIdParams = z.object({ id: z.uuid() })

export const externalRejection = z.object({
  /** The row number in the file (1 = the first row). */
  row: z.number(),
  field: z.enum(EXTERNAL_COLUMNS),
  code: z.string(),
  /** The row's place as written, so a person finds it. */
  text: z.string(),
})
export const externalImportReport = z.object({
  rows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  rejected: z.array(externalRejection),
})
export type ExternalImportReport = z.infer<typeof externalImportReport>

const day = isoDate()
export const itineraryPlaceIn = z
  .object({
    ...namesIn,
    text: z.string().trim().max(200).optional(),
    from: day.nullable().optional(),
    to: day.nullable().optional(),
    overseas: z.boolean().optional(),
    countryCode: z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .optional(),
  })
  .strict()

export const classifyIn = z
  .object({
    arrivedOn: isoDate(),
    places: z.array(itineraryPlaceIn).max(60),
  })
  .strict()
export type ClassifyIn = z.infer<typeof classifyIn>

export const classificationOut = z.object({
  origin: z.enum(ORIGINS).nullable(),
  category: z.enum(ARRIVAL_CATEGORIES).nullable(),
  observed: z.enum(ORIGINS).nullable(),
  matches: z.array(
    z.object({
      placeIndex: z.number(),
      areaId: z.string(),
      level: z.enum(RISK_LEVELS),
      source: z.enum(['external', 'local']),
      origin: z.enum(ORIGINS),
    }),
  ),
  unmatched: z.array(z.number()),
  outsideWindow: z.array(z.number()),
  stricterLocalRule: z.boolean().optional(),
  windowStart: z.string(),
})
export type ClassificationOut = z.infer<typeof classificationOut>
