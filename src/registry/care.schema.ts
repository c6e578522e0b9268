import { z } from 'zod'

/** A resident's helper (包保人), designated hospital (定点医院) and needs, as the form sends them; blank clears. */
export const careIn = z
  .object({
    helperName: z.string().trim().max(40).nullable(),
    /** A mobile, a landline or a +852 / +853 / +886 number; required with a helper; left out: the one recorded stays. */
    helperPhone: z.string().trim().max(20).nullable().optional(),
    hospital: z.string().trim().max(80).nullable(),
    /** What the person needs, e.g. 每周一三五透析. */
    needs: z.string().trim().max(200).nullable(),
  })
  .strict()
export type CareIn = z.infer<typeof careIn>

export const careQuery = z.object({ reveal: z.literal('phone').optional() }).strict()

export const careOut = z.object({
  residentId: z.string(),
  helperName: z.string().nullable(),
  /** Masked (138****1234) unless revealed (pii:reveal, audited). */
  helperPhone: z.string().nullable(),
  revealed: z.boolean(),
  hospital: z.string().nullable(),
  needs: z.string().nullable(),
  /** null while nothing has been recorded. */
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
})
export type CareOut = z.infer<typeof careOut>
