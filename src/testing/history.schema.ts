import { z } from 'zod'
import { isoDateTime } from '../core/http/dates.js'
import { ROUND_KINDS } from './testing.tables.js'
import { TUBE_KINDS } from './testing.schema.js'
import { TUBE_RESULTS } from './results.schema.js'

/**
 * A person's test history (核酸记录) on their page: every swab, newest first, with its round,
 * tube, result and the lab's Ct values, so a community doctor reads "单管 阴性 N 36.2 / ORF1ab
 * 37.0" without opening the round. The web app types its client from here with `import type`.
 */

/** Where one swab stands: pending → negative | pool_positive → recheck_negative | confirmed_positive. */
export const SPECIMEN_STATES = [
  'pending',
  'negative',
  'pool_positive',
  'recheck_negative',
  'confirmed_positive',
] as const

export const personSamplesQuery = z.object({
  /** Keyset cursor: swabs taken before this instant (the last item's `scannedAt`). */
  before: isoDateTime().optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
})

export const personSampleOut = z.object({
  specimenId: z.string(),
  roundId: z.string(),
  roundName: z.string(),
  roundKind: z.enum(ROUND_KINDS),
  scannedAt: z.string(),
  siteName: z.string().nullable(),
  samplerName: z.string(),
  tubeCode: z.string(),
  tubeKind: z.enum(TUBE_KINDS),
  /** People in the tube (1: a single tube). */
  tubeMembers: z.number(),
  /** Null while the lab has not answered. */
  result: z.enum(TUBE_RESULTS).nullable(),
  /** The lab's own word (阴性, 单基因阳性 …), as sent. */
  resultWord: z.string().nullable(),
  ctN: z.number().nullable(),
  ctOrf1ab: z.number().nullable(),
  resultedAt: z.string().nullable(),
  lab: z.string().nullable(),
  state: z.enum(SPECIMEN_STATES),
  /** The swab answered a recheck order (复核). */
  recheck: z.boolean(),
})
export type PersonSampleOut = z.infer<typeof personSampleOut>

export const personSamplesOut = z.object({
  items: z.array(personSampleOut),
  /** The cursor of the next page (null: none). */
  next: z.string().nullable(),
})
export type PersonSamplesOut = z.infer<typeof personSamplesOut>
