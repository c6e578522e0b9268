import { z } from 'zod'
import { isoDate } from '../core/http/dates.js'
import { RELATIONS, RESIDENCE_TYPES, TAG_PATTERN } from './registry.rules.js'

const range = z.tuple([z.number().int().min(1).max(200), z.number().int().min(1).max(200)]).refine(([a, b]) => a <= b, 'from must not exceed to')

export const buildingLayoutIn = z
  .object({
    gridId: z.string().uuid(),
    building: z.string().trim().min(1).max(20),
    buildingName: z.string().trim().max(50).optional(),
    units: range,
    floors: range,
    roomsPerFloor: range,
  })
  .strict()
export type BuildingLayoutIn = z.infer<typeof buildingLayoutIn>

export const buildingOut = z.object({ id: z.string(), gridId: z.string(), code: z.string(), name: z.string(), units: z.number(), households: z.number(), residents: z.number() })
export const unitOut = z.object({ id: z.string(), buildingId: z.string(), code: z.string(), households: z.number(), residents: z.number() })
export const householdOut = z.object({ id: z.string(), unitId: z.string(), room: z.string(), floor: z.number().nullable(), label: z.string(), residents: z.number() })

const idTypes = z.enum(['resident_id', 'hk_macau_permit', 'taiwan_permit', 'foreigner_id', 'passport', 'other'])

export const registerResidentIn = z
  .object({
    householdId: z.string().uuid(),
    name: z.string().trim().min(1).max(50),
    idType: idTypes.optional(),
    idNumber: z.string().trim().min(1).max(30),
    phone: z.string().trim().max(20).optional(),
    sex: z.enum(['male', 'female']).optional(),
    birthDate: isoDate().optional(),
    relation: z.enum(RELATIONS).optional(),
    residenceType: z.enum(RESIDENCE_TYPES),
    employer: z.string().trim().max(100).optional(),
    notes: z.string().trim().max(1000).optional(),
    tags: z.array(z.string().regex(TAG_PATTERN, 'lower-case letters, digits and _')).max(20).optional(),
  })
  .strict()
export type RegisterResidentIn = z.infer<typeof registerResidentIn>

export const updateResidentIn = registerResidentIn
  .omit({ householdId: true, idNumber: true, idType: true, tags: true })
  .partial()
  .extend({ phone: z.string().trim().max(20).nullable().optional() })
  .strict()
export type UpdateResidentIn = z.infer<typeof updateResidentIn>

export const moveResidentIn = z.object({ householdId: z.string().uuid(), relation: z.enum(RELATIONS).optional() }).strict()
export const moveOutIn = z.object({ reason: z.string().trim().min(2).max(200) }).strict()
export const setTagsIn = z.object({ tags: z.array(z.string().regex(TAG_PATTERN, 'lower-case letters, digits and _')).max(20) }).strict()

export const residentListQuery = z
  .object({
    q: z.string().trim().max(30).optional(),
    divisionId: z.string().uuid().optional(),
    householdId: z.string().uuid().optional(),
    tag: z.string().regex(TAG_PATTERN).optional(),
    minAge: z.coerce.number().int().min(0).max(130).optional(),
    maxAge: z.coerce.number().int().min(0).max(130).optional(),
    residenceType: z.enum(RESIDENCE_TYPES).optional(),
    status: z.enum(['active', 'moved_out']).default('active'),
    after: z.string().max(400).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
export type ResidentListQuery = z.infer<typeof residentListQuery>

export const residentOut = z.object({
  id: z.string(),
  name: z.string(),
  idType: z.string(),
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  revealed: z.array(z.enum(['id', 'phone'])),
  sex: z.string().nullable(),
  birthDate: z.string().nullable(),
  age: z.number().nullable(),
  relation: z.string().nullable(),
  residenceType: z.string(),
  employer: z.string().nullable(),
  notes: z.string().nullable(),
  status: z.string(),
  householdId: z.string().nullable(),
  householdLabel: z.string().nullable(),
  gridId: z.string().nullable(),
  tags: z.array(z.string()),
})
export type ResidentOut = z.infer<typeof residentOut>

export const residentDetailOut = residentOut.extend({
  household: z.array(z.object({ id: z.string(), name: z.string(), relation: z.string().nullable(), age: z.number().nullable() })),
  events: z.array(z.object({ kind: z.string(), at: z.string(), actorName: z.string(), fromHousehold: z.string().nullable(), toHousehold: z.string().nullable(), detail: z.record(z.string(), z.unknown()).nullable() })),
  tagDetails: z.array(z.object({ tag: z.string(), setBy: z.string(), setAt: z.string() })),
})
export type ResidentDetailOut = z.infer<typeof residentDetailOut>

/**
 * `transfer_requested`: the ID number is registered in a community outside the caller's
 * scope. `resident` is then null and `transfer` echoes only what the caller typed.
 */
export const registerOutcome = z.object({
  outcome: z.enum(['created', 'moved', 'unchanged', 'updated', 'transfer_requested']),
  resident: residentOut.nullable(),
  transfer: z.object({ id: z.string(), status: z.string(), name: z.string(), householdLabel: z.string() }).optional(),
  repaired: z.array(z.string()),
})

export const TRANSFER_STATUSES = ['requested', 'confirmed', 'disputed'] as const
export const transferListQuery = z
  .object({
    direction: z.enum(['in', 'out']).optional(),
    status: z.enum(TRANSFER_STATUSES).optional(),
    after: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict()
export type TransferListQuery = z.infer<typeof transferListQuery>

/**
 * One transfer as a side sees it. `in` (the registering side): what it typed and the status;
 * the old record (`residentId`, `residentName`, `fromHousehold`) only once confirmed.
 * `out` (the side the person is registered in): the record, where they now live, and the decision.
 */
export const transferOut = z.object({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  status: z.enum(TRANSFER_STATUSES),
  typedName: z.string(),
  typedPhone: z.string().nullable(),
  toHousehold: z.string(),
  toGrid: z.string(),
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  fromHousehold: z.string().nullable(),
  fromGrid: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  canDecide: z.boolean(),
})
export type TransferOut = z.infer<typeof transferOut>
export const confirmTransferIn = z.object({ note: z.string().trim().max(200).optional() }).strict()
export const disputeTransferIn = z.object({ reason: z.string().trim().min(2).max(200) }).strict()
export const revealQuery = z.object({ reveal: z.string().regex(/^(id|phone)(,(id|phone))?$/).optional() }).strict()
