import { z } from 'zod'

/** The inside list of an area (居住人员): a search, the measure filter, keyset paging. */
export const insideQuery = z
  .object({
    q: z.string().trim().min(1).max(40).optional(),
    /** yes: only people under an active measure; no: only those under none. */
    underMeasure: z.enum(['yes', 'no']).optional(),
    /** Keyset cursor: the `next` of the previous page. */
    after: z.string().max(400).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict()
export type InsideQuery = z.infer<typeof insideQuery>

/** The 重点人群 list: the search and paging of the inside list, and only those without a helper. */
export const vulnerableQuery = insideQuery
  .omit({ underMeasure: true })
  .extend({ withoutHelper: z.enum(['yes']).optional() })
  .strict()
export type VulnerableQuery = z.infer<typeof vulnerableQuery>

export const insideMeasureOut = z.object({
  category: z.string(),
  /** The plan's last day; null while it lasts until a condition. */
  plannedEnd: z.string().nullable(),
  /** Days from today to the planned end (0 on its last day); null without an end. */
  daysLeft: z.number().nullable(),
})

export const insidePersonOut = z.object({
  id: z.string(),
  name: z.string(),
  householdLabel: z.string().nullable(),
  building: z.string().nullable(),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  /** Masked (138****1234). */
  phone: z.string().nullable(),
  /** For someone without a phone: who to call instead (代联系人), phone masked. */
  proxy: z
    .object({ name: z.string(), relation: z.string().nullable(), phone: z.string().nullable() })
    .nullable(),
  tags: z.array(z.string()),
  measures: z.array(insideMeasureOut),
})
export type InsidePersonOut = z.infer<typeof insidePersonOut>

export const insidePage = z.object({
  items: z.array(insidePersonOut),
  next: z.string().nullable(),
})
export type InsidePage = z.infer<typeof insidePage>

export const vulnerablePersonOut = insidePersonOut.omit({ measures: true }).extend({
  /** The tags of the profile's vulnerable list this person has. */
  vulnerableTags: z.array(z.string()),
  helperName: z.string().nullable(),
  /** Masked; the resident's care card reveals it (audited). */
  helperPhone: z.string().nullable(),
  hospital: z.string().nullable(),
  needs: z.string().nullable(),
})
export type VulnerablePersonOut = z.infer<typeof vulnerablePersonOut>

export const vulnerablePage = z.object({
  items: z.array(vulnerablePersonOut),
  next: z.string().nullable(),
  /** Under my scope: how many vulnerable live inside, and how many of them have no helper (未指定包保人). */
  vulnerable: z.number(),
  withoutHelper: z.number(),
  /** The tags that count as vulnerable under the profile in force. */
  tags: z.array(z.string()),
})
export type VulnerablePage = z.infer<typeof vulnerablePage>
