import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authorize } from '../auth/authorize.js'
import { isWholeDeployment } from '../scope/scope.js'
import { actorOf } from '../http/context.js'
import { forbidden } from '../errors.js'
import { dateParam } from '../http/dates.js'
import { labelAuditTargets, listAudit, verifyAuditChain } from './audit.service.js'
import { auditActionsMatching } from './audit.actions.js'
import { readCheckpointFile } from './audit.head.js'
import type { AuditProblemKind } from './audit.verify.js'
import { errorResponses } from '../http/error-responses.js'

const entryOut = z.object({
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

const query = z
  .object({
    action: z.string().max(64).optional().describe('Words of the action\'s readable name in either language (导出, 登录, export) or a code prefix (auth.)'),
    actorId: z.string().uuid().optional(),
    targetId: z.string().max(300).optional(),
    from: dateParam().optional(),
    to: dateParam().optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()

/** The problem codes verify reports, which the web app renders in the reader's language. */
const AUDIT_PROBLEM_KINDS = ['hash_mismatch', 'broken_link', 'unkeyed_entry', 'checkpoint_forged', 'checkpoint_entry_missing', 'checkpoint_hash_mismatch', 'checkpoint_count_mismatch', 'no_checkpoint'] as const satisfies readonly AuditProblemKind[]

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  app.get(
    '/api/audit',
    {
      schema: {
        operationId: 'listAudit',
        tags: ['audit'],
        summary: 'Audit entries, newest first; a scoped reader sees entries about their part of the tree',
        querystring: query,
        response: { 200: z.object({ items: z.array(entryOut), next: z.number().nullable() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = actorOf(request)
      authorize(actor, 'audit:read')
      const q = request.query
      const items = await listAudit(db(), {
        action: q.action,
        actions: q.action ? auditActionsMatching(q.action) : undefined,
        actorId: q.actorId,
        targetId: q.targetId,
        from: q.from,
        to: q.to,
        beforeId: q.before,
        limit: q.limit,
        scopePaths: isWholeDeployment(actor) ? undefined : actor.scopePaths,
      })
      const labels = await labelAuditTargets(db(), items, actor)
      return {
        items: items.map((e) => ({ ...e, at: e.at.toISOString(), targetLabel: labels.get(`${e.targetType}:${e.targetId}`) ?? null })),
        next: items.length === q.limit ? items[items.length - 1]!.id : null,
      }
    },
  )
  app.post(
    '/api/audit/verify',
    {
      schema: {
        operationId: 'verifyAuditChain',
        tags: ['audit'],
        summary: 'Check the keyed hash chain of the whole log against the signed heads in the head file (deployment-wide admins)',
        response: { 200: z.object({ checked: z.number(), problems: z.array(z.object({ id: z.number(), problem: z.enum(AUDIT_PROBLEM_KINDS), detail: z.string() })) }), ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request)
      authorize(actor, 'audit:read')
      if (!isWholeDeployment(actor)) throw forbidden('AUDIT_VERIFY_WHOLE_ONLY')
      const r = await verifyAuditChain(db(), { checkpoints: readCheckpointFile(app.ctx.config.auditHeadFile).checkpoints })
      return { checked: r.checked, problems: r.problems }
    },
  )
}
