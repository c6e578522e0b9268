import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { acknowledgeAlert, getAlert, listAlerts } from './alerts.service.js'
import { alertIdParams, alertList, alertListQuery, alertOut } from './alerts.schema.js'
import { errorResponses } from '../core/http/error-responses.js'

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
        querystring: alertListQuery,
        response: { 200: alertList, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listAlerts(db(), actorOf(request), request.query),
  )
  app.get(
    '/api/alerts/:id',
    {
      schema: {
        operationId: 'getAlert',
        tags,
        summary: 'One alert under my scope with every line of its group (who, where, which tubes)',
        params: alertIdParams,
        response: { 200: alertOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getAlert(db(), actorOf(request), request.params.id),
  )
  app.post(
    '/api/alerts/:id/acknowledge',
    {
      schema: {
        operationId: 'acknowledgeAlert',
        tags,
        summary: 'Mark an alert as seen and handled',
        params: alertIdParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await inTransaction(db(), (tx) => acknowledgeAlert(tx, actorOf(request), request.params.id))
      return reply.code(204).send(null)
    },
  )
}
