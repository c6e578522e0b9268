import { z } from 'zod'
import { isoDateTime } from '../core/http/dates.js'

/** What a missed-test reason leads to (the profile's `action`; testing.rules MISSED_ACTIONS is the same list). */
export const MISSED_ACTIONS = [
  'excuse',
  'door_to_door',
  'fever_clinic',
  'escalate',
  'fix_registry',
] as const

/** The contract of the missed-test list (漏检名单), its reasons and its export. */

/** Why a resident has no specimen; the active profile says which apply and whether each excuses them. */
export const MISSED_REASONS = [
  'away',
  'in_hospital',
  'isolated',
  'infant',
  'tested_elsewhere',
  'vaccinated',
  'door_to_door',
  'home_isolation',
  'symptomatic',
  'refused',
  'moved_out',
  'deceased',
] as const
export const missedReason = z.enum(MISSED_REASONS)
export type MissedReason = z.infer<typeof missedReason>

export const MISSED_VIEWS = ['missed', 'excused'] as const

export const missedQuery = z.object({
  grid: z.string().max(200).optional(),
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  /** missed (default): still owing a swab; excused: accounted for without one (a reason, or away). */
  view: z.enum(MISSED_VIEWS).optional(),
  /** Part of a name, pinyin or initials, or of the address (12栋). */
  q: z.string().trim().max(40).optional(),
  /** Both lists at once (older clients). */
  includeExcused: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
})
export type MissedQuery = z.infer<typeof missedQuery>

export const missedPresenceOut = z.object({
  status: z.enum(['home', 'away', 'returned']),
  destination: z.string().nullable(),
  since: z.string().nullable(),
  returnOn: z.string().nullable(),
})

export const missedItemOut = z.object({
  residentId: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  gridPath: z.string(),
  household: z.string().nullable(),
  age: z.number().nullable(),
  reason: missedReason.nullable(),
  note: z.string().nullable(),
  /** Accounted for without a swab: by the round's reason, by being away over the round, or by a swab in another round within the tested-elsewhere window. */
  excused: z.boolean(),
  excusedBy: z.enum(['reason', 'presence', 'elsewhere']).nullable(),
  /** What the recorded reason leads to under the profile (door_to_door, escalate, fix_registry …). */
  action: z.enum(MISSED_ACTIONS).nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string().nullable(),
  /** Where the resident is, kept across rounds; null: never marked. */
  presence: missedPresenceOut.nullable(),
})
export type MissedItem = z.infer<typeof missedItemOut>

export const missedPageOut = z.object({
  items: z.array(missedItemOut),
  next: z.string().nullable(),
})
export type MissedPage = z.infer<typeof missedPageOut>

export const missedParams = z.object({ id: z.string().uuid(), residentId: z.string().uuid() })

export const recordMissedIn = z.object({
  reason: missedReason,
  note: z.string().max(500).optional(),
  /** When the person was tested elsewhere or vaccinated (the profile's window applies). */
  eventAt: isoDateTime().optional(),
})
export type RecordMissedIn = z.infer<typeof recordMissedIn>

export const recordMissedOut = z.object({
  reason: missedReason,
  excludes: z.boolean(),
  action: z.enum(MISSED_ACTIONS),
})
export type RecordMissedOut = z.infer<typeof recordMissedOut>

/** `lang` picks the language of the sheet (headers, reasons); Chinese by default. */
export const missedExportQuery = z.object({
  grid: z.string().max(200).optional(),
  q: z.string().trim().max(40).optional(),
  lang: z.string().max(20).optional(),
})

/** The cursor the list hands out; anything else is refused as `after` (never reaches SQL). */
export const missedCursor = z.strictObject({
  gridPath: z
    .string()
    .max(400)
    .refine((s) => !s.includes('\0')),
  sortKey: z
    .string()
    .max(400)
    .refine((s) => !s.includes('\0')),
  id: z.string().uuid(),
})
