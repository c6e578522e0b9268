import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { acknowledgeAlert, listAlerts } from './alerts.service.js'
import { errorResponses } from '../core/http/error-responses.js'

const alertOut = z.object({
  id: z.number(),
  scopePath: z.string(),
  kind: z.string(),
  severity: z.string(),
  title: z.string(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
})

export const alertsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['alerts']
  app.get(
    '/api/alerts',
    {
      schema: {
        operationId: 'listAlerts',
        tags,
        summary: 'Alerts under my scope, newest first',
        querystring: z.object({ open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(), kind: z.string().max(60).optional(), before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(200).optional() }),
        response: { 200: z.object({ items: z.array(alertOut), open: z.number() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listAlerts(db(), actorOf(request), request.query),
  )
  app.post(
    '/api/alerts/:id/acknowledge',
    { schema: { operationId: 'acknowledgeAlert', tags, summary: 'Mark an alert as seen and handled', params: z.object({ id: z.coerce.number().int().positive() }), response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await db().transaction((tx) => acknowledgeAlert(tx, actorOf(request), request.params.id))
      return reply.code(204).send(null)
    },
  )
}
