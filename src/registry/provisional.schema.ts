import { z } from 'zod'
import { ID_TYPES, PROVISIONAL_STATUSES, RELATIONS, RESIDENCE_TYPES } from './registry.vocab.js'

/**
 * The contract of walk-in reconciliation (domain.md §5, §12): the list of people registered
 * provisionally at a sampling desk, per community and grid, and what a grid worker decides for
 * each. The registration itself is testing's route (POST /api/rounds/:id/walk-ins).
 */

export const provisionalListQuery = z
  .object({
    divisionId: z.string().uuid().optional(),
    status: z.enum(PROVISIONAL_STATUSES).default('open'),
    after: z.string().max(400).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
export type ProvisionalListQuery = z.infer<typeof provisionalListQuery>

export const provisionalOut = z.object({
  residentId: z.string(),
  name: z.string(),
  idType: z.enum(ID_TYPES),
  /** Masked (first 6 + ******** + last 4). */
  idNumber: z.string().nullable(),
  /** Masked (138****1234). */
  phone: z.string().nullable(),
  gridId: z.string().nullable(),
  gridName: z.string(),
  householdId: z.string().nullable(),
  householdLabel: z.string().nullable(),
  /** Where they stay, as typed at the desk, when no household was chosen. */
  address: z.string().nullable(),
  registeredBy: z.string(),
  registeredAt: z.string(),
  status: z.enum(PROVISIONAL_STATUSES),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** Merged: the resident they turned out to be (name only). */
  mergedIntoId: z.string().nullable(),
  mergedIntoName: z.string().nullable(),
  note: z.string().nullable(),
  /**
   * After a merge: how many rows followed the person (specimens, rechecks, positives, measures,
   * checkins) and measuresMerged, the measures of a category both were under (one was kept).
   */
  moved: z.record(z.string(), z.number()).optional(),
})
export type ProvisionalOut = z.infer<typeof provisionalOut>
export const provisionalPage = z.object({
  items: z.array(provisionalOut),
  next: z.string().nullable(),
})
export type ProvisionalPage = z.infer<typeof provisionalPage>

export const confirmProvisionalIn = z
  .object({
    householdId: z.string().uuid(),
    relation: z.enum(RELATIONS).optional(),
    residenceType: z.enum(RESIDENCE_TYPES).default('floating'),
    note: z.string().trim().max(300).optional(),
  })
  .strict()
export type ConfirmProvisionalIn = z.infer<typeof confirmProvisionalIn>

export const mergeProvisionalIn = z
  .object({
    residentId: z.string().uuid(),
    note: z.string().trim().max(300).optional(),
  })
  .strict()
export type MergeProvisionalIn = z.infer<typeof mergeProvisionalIn>

export const passThroughIn = z.object({ note: z.string().trim().max(300).optional() }).strict()
export type PassThroughIn = z.infer<typeof passThroughIn>

export const provisionalParams = z.object({ id: z.string().uuid() })
