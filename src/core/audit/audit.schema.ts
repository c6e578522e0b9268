import { z } from 'zod'
import { dateParam } from '../http/dates.js'
import type { AuditProblemKind } from './audit.verify.js'

/**
 * The contract of the audit endpoints (the list and the chain check). Node-free, so the web
 * app's client (web/src/core/api.ts) types its audit entries from it with `import type`.
 */

export const entryOut = z.object({
  id: z.number().int(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  targetLabel: z.string().nullable(),
  scopePath: z.string().nullable(),
  ip: z.string().nullable(),
  reason: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
})

export const listAuditQuery = z
  .object({
    action: z
      .string()
      .max(64)
      .optional()
      .describe(
        "Words of the action's readable name in either language (导出, 登录, export) or a code prefix (auth.)",
      ),
    actorId: z.string().uuid().optional(),
    targetId: z.string().max(300).optional(),
    from: dateParam().optional(),
    to: dateParam().optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()

/** One page of entries, newest first; `next` is the `before` of the following page. */
export const auditPageOut = z.object({ items: z.array(entryOut), next: z.number().nullable() })

/** The problem codes verify reports, which the web app renders in the reader's language. */
export const AUDIT_PROBLEM_KINDS = [
  'hash_mismatch',
  'broken_link',
  'unkeyed_entry',
  'checkpoint_forged',
  'checkpoint_entry_missing',
  'checkpoint_hash_mismatch',
  'checkpoint_count_mismatch',
  'no_checkpoint',
] as const satisfies readonly AuditProblemKind[]

export const verifyOut = z.object({
  checked: z.number(),
  problems: z.array(
    z.object({ id: z.number(), problem: z.enum(AUDIT_PROBLEM_KINDS), detail: z.string() }),
  ),
})
