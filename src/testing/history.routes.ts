import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { personSamplesOut, personSamplesQuery } from './history.schema.js'
import { personSamples } from './history.service.js'
import { idParams } from './testing.schema.js'

/** A person's test history (核酸记录). Registered under /api. */
export const historyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  app.get(
    '/residents/:id/samples',
    {
      schema: {
        operationId: 'residentSamples',
        tags: ['testing'],
        summary: "A person's swabs, newest first, with each tube's result and the lab's Ct values",
        params: idParams,
        querystring: personSamplesQuery,
        response: { 200: personSamplesOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => personSamples(db(), actorOf(request), request.params.id, request.query),
  )
}
