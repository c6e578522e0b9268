import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { inTransaction } from '../core/db/db.js'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { careIn, careOut, careQuery } from './care.schema.js'
import { getCare, setCare } from './care.service.js'
import { idParams } from './registry.schema.js'

/** A vulnerable resident's helper (包保人), designated hospital (定点医院) and needs. */
export const careRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['registry']
  app.get(
    '/api/residents/:id/care',
    {
      schema: {
        operationId: 'getResidentCare',
        tags,
        summary:
          "A resident's helper (包保人, phone masked), designated hospital and needs; ?reveal=phone shows the phone (pii:reveal, audited)",
        params: idParams,
        querystring: careQuery,
        response: { 200: careOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        getCare(tx, ring, actorOf(request), request.params.id, request.query.reveal === 'phone'),
      ),
  )
  app.put(
    '/api/residents/:id/care',
    {
      schema: {
        operationId: 'setResidentCare',
        tags,
        summary:
          "Record a resident's helper (name and phone together), designated hospital and needs; blank clears (audited)",
        params: idParams,
        body: careIn,
        response: { 200: careOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        setCare(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
}
