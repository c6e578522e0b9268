import { z } from 'zod'

/** The contract of the missed-test list (漏检名单), its reasons and its export. */

/** Why a resident has no specimen; the active profile says which apply and whether each excuses them. */
export const MISSED_REASONS = [
  'away',
  'in_hospital',
  'isolated',
  'infant',
  'tested_elsewhere',
  'door_to_door',
] as const
export const missedReason = z.enum(MISSED_REASONS)
export type MissedReason = z.infer<typeof missedReason>

export const missedQuery = z.object({
  grid: z.string().max(200).optional(),
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  includeExcused: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
})
export type MissedQuery = z.infer<typeof missedQuery>

export const missedItemOut = z.object({
  residentId: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  gridPath: z.string(),
  household: z.string().nullable(),
  age: z.number().nullable(),
  reason: missedReason.nullable(),
  note: z.string().nullable(),
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
})
export type RecordMissedIn = z.infer<typeof recordMissedIn>

export const recordMissedOut = z.object({ reason: missedReason, excludes: z.boolean() })
export type RecordMissedOut = z.infer<typeof recordMissedOut>

/** `lang` picks the language of the sheet (headers, reasons); Chinese by default. */
export const missedExportQuery = z.object({
  grid: z.string().max(200).optional(),
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
