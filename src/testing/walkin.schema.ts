import { z } from 'zod'
import { WALK_IN_ID_TYPES } from '../registry/provisional.service.js'

/** A walk-in registered at the sampling desk of a round (domain.md §5): who, which document, phone, where staying. */
export const walkInIn = z
  .object({
    name: z.string().trim().min(1).max(50),
    idType: z.enum(WALK_IN_ID_TYPES).optional(),
    idNumber: z.string().trim().min(1).max(30),
    phone: z.string().trim().min(1).max(20),
    /** The household of the registry they stay in, when known … */
    householdId: z.string().uuid().optional(),
    /** … else the grid they stay in and the address as they say it. */
    gridId: z.string().uuid().optional(),
    address: z.string().trim().max(200).optional(),
    siteId: z.string().uuid().optional(),
  })
  .strict()
export type WalkInIn = z.infer<typeof walkInIn>

export const walkInOut = z.object({
  /** created: registered now; existing: the same document registered before (a retry); registered: a resident of the registry. */
  outcome: z.enum(['created', 'existing', 'registered']),
  residentId: z.string(),
  /** Masked, as the sampling screen shows people. */
  name: z.string(),
  /** The person's code: the desk scans (or types) it and goes straight on to the tube. */
  code: z.string(),
  /** What was repaired in the document number (REPAIR_ID_15_TO_18 …). */
  repaired: z.array(
    z.object({
      code: z.string(),
      field: z.string(),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
})
export type WalkInOut = z.infer<typeof walkInOut>
