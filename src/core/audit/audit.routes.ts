import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { authorize } from '../auth/authorize.js'
import { isWholeDeployment } from '../scope/scope.js'
import { actorOf } from '../http/context.js'
import { forbidden } from '../errors.js'
import { labelAuditTargets, listAudit, verifyAuditChain } from './audit.service.js'
import { auditActionsMatching } from './audit.actions.js'
import { readCheckpointFile } from './audit.head.js'
import { auditPageOut, listAuditQuery, verifyOut } from './audit.schema.js'
import { errorResponses } from '../http/error-responses.js'

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  app.get(
    '/api/audit',
    {
      schema: {
        operationId: 'listAudit',
        tags: ['audit'],
        summary:
          'Audit entries, newest first; a scoped reader sees entries about their part of the tree',
        querystring: listAuditQuery,
        response: { 200: auditPageOut, ...errorResponses(400, 401, 403) },
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
        items: items.map((e) => ({
          ...e,
          at: e.at.toISOString(),
          targetLabel: labels.get(`${e.targetType}:${e.targetId}`) ?? null,
        })),
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
        summary:
          'Check the keyed hash chain of the whole log against the signed heads in the head file (deployment-wide admins)',
        response: { 200: verifyOut, ...errorResponses(401, 403, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request)
      authorize(actor, 'audit:read')
      if (!isWholeDeployment(actor)) throw forbidden('AUDIT_VERIFY_WHOLE_ONLY')
      const r = await verifyAuditChain(db(), {
        checkpoints: readCheckpointFile(app.ctx.config.auditHeadFile).checkpoints,
      })
      return { checked: r.checked, problems: r.problems }
    },
  )
}
