import { z } from 'zod'
import { isoDate, isoDateTime } from '../core/http/dates.js'
import { ARRIVAL_CATEGORIES, CODE_COLOURS, ORIGINS } from '../policy/policy.service.js'

export const ARRIVAL_ID_TYPES = ['resident_id', 'passport'] as const
export const ARRIVAL_STATUSES = ['reported', 'confirmed'] as const
export const ARRIVAL_CHANNELS = ['self', 'gate'] as const

const text = (max: number) => z.string().trim().max(max)

export const checkpointIn = z
  .object({
    communityId: z.string().uuid(),
    name: text(60).min(1),
    location: text(200).optional(),
    hours: text(100).optional(),
    staff: z.array(z.string().uuid()).max(50).optional(),
  })
  .strict()
export type CheckpointIn = z.infer<typeof checkpointIn>

export const checkpointPatch = checkpointIn.omit({ communityId: true }).partial().strict()
export type CheckpointPatch = z.infer<typeof checkpointPatch>

export const checkpointOut = z.object({
  id: z.string(),
  communityId: z.string(),
  communityPath: z.string(),
  communityName: z.string(),
  name: z.string(),
  location: z.string(),
  hours: z.string(),
  staff: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string() })),
  /** The poster's path (/report/<token>): only for those who may manage the checkpoint. */
  reportPath: z.string(),
  tokenRotatedAt: z.string(),
  /** The itinerary window of the profile in force (days): the desk's form asks for that many. */
  itineraryWindowDays: z.number().int(),
})
export type CheckpointOut = z.infer<typeof checkpointOut>

export const checkpointList = z.object({ items: z.array(checkpointOut) })
export const checkpointIdParams = z.object({ id: z.string().uuid() })
export const checkpointListQuery = z.object({ communityId: z.string().uuid().optional() })

export const reportTokenParams = z.object({ token: z.string().min(16).max(64) })

/** What the public form needs to draw itself: nothing personal. */
export const publicCheckpointOut = z.object({
  checkpointName: z.string(),
  communityName: z.string(),
  itineraryWindowDays: z.number(),
  origins: z.array(z.enum(ORIGINS)),
})

const itineraryRow = z.object({ place: text(100).min(1), date: isoDate() }).strict()

export const arrivalReportIn = z
  .object({
    name: text(50).min(1),
    idType: z.enum(ARRIVAL_ID_TYPES).default('resident_id'),
    idNumber: text(30).min(1),
    phone: text(20).optional(),
    origin: z.enum(ORIGINS),
    originArea: text(100).optional(),
    arrivalDate: isoDate(),
    transport: text(60).optional(),
    purpose: text(100).optional(),
    /** A household of this community, when the person knows it (the gate picks it otherwise). */
    destinationHouseholdId: z.string().uuid().optional(),
    destinationAddress: text(200).optional(),
    itinerary: z.array(itineraryRow).max(60).default([]),
    healthCode: z.enum(CODE_COLOURS),
    lastNegativeAt: isoDateTime().optional(),
  })
  .strict()
export type ArrivalReportIn = z.infer<typeof arrivalReportIn>

/** The same for everyone, registered or not: the reference shown at the gate. */
export const arrivalReceipt = z.object({ reference: z.string(), reportDay: z.string() })

export const arrivalOut = z.object({
  id: z.string(),
  checkpointId: z.string(),
  reference: z.string(),
  reportDay: z.string(),
  channel: z.enum(ARRIVAL_CHANNELS),
  status: z.enum(ARRIVAL_STATUSES),
  name: z.string(),
  idType: z.enum(ARRIVAL_ID_TYPES),
  idNumber: z.string(),
  phone: z.string().nullable(),
  origin: z.enum(ORIGINS),
  originArea: z.string(),
  arrivalDate: z.string(),
  transport: z.string(),
  purpose: z.string(),
  healthCode: z.enum(CODE_COLOURS),
  lastNegativeAt: z.string().nullable(),
  itinerary: z.array(z.object({ place: z.string(), date: z.string() })),
  unmatchedPlaces: z.array(z.string()),
  destinationHouseholdId: z.string().nullable(),
  destinationAddress: z.string(),
  /** The person will live in another community: the measure is that community's to start. */
  handover: z.boolean(),
  category: z.enum(ARRIVAL_CATEGORIES).nullable(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  measureId: z.string().nullable(),
})
export type ArrivalOut = z.infer<typeof arrivalOut>

export const arrivalIdParams = z.object({ id: z.string().uuid() })
export const arrivalReferenceParams = z.object({
  id: z.string().uuid(),
  reference: z.string().trim().min(1).max(20),
})

export const confirmArrivalIn = z
  .object({
    /** Where the person will live: a household in scope, or none when they live in another community. */
    destinationHouseholdId: z.string().uuid().nullable().optional(),
    /** Another community the person will live in (a handover). */
    destinationCommunityId: z.string().uuid().nullable().optional(),
  })
  .strict()
export type ConfirmArrivalIn = z.infer<typeof confirmArrivalIn>

export const arrivalListQuery = z.object({
  date: isoDate().optional(),
  origin: z.enum(ORIGINS).optional(),
  withoutMeasure: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})
export type ArrivalListQuery = z.infer<typeof arrivalListQuery>
export const arrivalList = z.object({ items: z.array(arrivalOut) })
