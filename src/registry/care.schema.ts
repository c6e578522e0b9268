import { z } from 'zod'

/** A resident's helper (包保人), designated hospital (定点医院), needs and proxy contact (代联系人), as the form sends them; blank clears. */
export const careIn = z
  .object({
    helperName: z.string().trim().max(40).nullable(),
    /** A mobile, a landline or a +852 / +853 / +886 number; required with a helper; left out: the one recorded stays. */
    helperPhone: z.string().trim().max(20).nullable().optional(),
    hospital: z.string().trim().max(80).nullable(),
    /** What the person needs, e.g. 每周一三五透析. */
    needs: z.string().trim().max(200).nullable(),
    /** 代联系人 of someone without a phone of their own; left out: the recorded one stays. */
    proxyName: z.string().trim().max(40).nullable().optional(),
    /** How the proxy is related, e.g. 儿子, 邻居, 保姆. */
    proxyRelation: z.string().trim().max(20).nullable().optional(),
    /** Required with a proxy; left out: the one recorded stays. */
    proxyPhone: z.string().trim().max(20).nullable().optional(),
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
  proxyName: z.string().nullable(),
  proxyRelation: z.string().nullable(),
  /** Masked unless revealed, like the helper's. */
  proxyPhone: z.string().nullable(),
  /** null while nothing has been recorded. */
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
})
export type CareOut = z.infer<typeof careOut>
