import { z } from 'zod'

/**
 * The sampling desk's look-up of a scanned person before the tube (POST, so a scanned ID number
 * never sits in a URL or an access log): who it is, masked, and whether they must be swabbed alone.
 */
export const personCheckIn = z.object({
  /** What was scanned or typed for the person: a resident code or an ID number. */
  person: z.string().min(1).max(200),
})
export type PersonCheckIn = z.infer<typeof personCheckIn>

export const personCheckOut = z.object({
  person: z.object({
    /** Masked (张*三). */
    name: z.string(),
    /** Masked (320102********1234); null for a person registered without a document number. */
    idNumber: z.string().nullable(),
    /** Where they live: the household label (5栋1单元101: building, unit and room). */
    household: z.string().nullable(),
    room: z.string().nullable(),
  }),
  control: z.object({
    /** Pending recheck, under a measure or positive: a single tube in any round. */
    singleTube: z.boolean(),
    /** Temporary control (临时管控) from a pooled positive, with its door-to-door recheck deadline. */
    temporaryControl: z
      .object({ deadline: z.string().nullable(), overdue: z.boolean() })
      .nullable(),
    /** Active measure categories other than temporary control (close_contact …); empty for a caller who may not read measures. */
    measures: z.array(z.string()),
    /** Under some measure other than temporary control (true even where the categories are withheld). */
    underMeasure: z.boolean(),
    pendingRecheck: z.boolean(),
    positive: z.boolean(),
  }),
})
export type PersonCheckOut = z.infer<typeof personCheckOut>
