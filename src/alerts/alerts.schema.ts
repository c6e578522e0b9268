import { z } from 'zod'

export const alertSeverity = z.enum(['info', 'warning', 'critical'])

export const alertOut = z.object({
  id: z.number(),
  scopePath: z.string(),
  kind: z.string(),
  severity: alertSeverity,
  /** What the alert says: a code of alerts.messages.ts and its params (null on alerts raised before codes). */
  code: z.string().nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  /** The Chinese text as raised; screens render `code` instead. */
  title: z.string(),
  /** A grouped alert's lines are `detail.items` (the list carries the first 20; the alert itself all). */
  detail: z.record(z.string(), z.unknown()),
  /** How many lines a grouped alert has (0 for an alert about one thing). */
  itemCount: z.number(),
  createdAt: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
})

export const alertListQuery = z.object({
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  kind: z.string().max(60).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})

export const alertList = z.object({ items: z.array(alertOut), open: z.number() })

export const alertIdParams = z.object({ id: z.coerce.number().int().positive() })

export type AlertOut = z.infer<typeof alertOut>
