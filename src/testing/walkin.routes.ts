import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { inTransaction } from '../core/db/db.js'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { idParams } from './testing.schema.js'
import { walkInIn, walkInOut } from './walkin.schema.js'
import { registerWalkIn } from './walkin.service.js'

/** Walk-ins at a round's sampling desk. Registered under /api/rounds. */
export const walkInRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  app.post(
    '/:id/walk-ins',
    {
      schema: {
        operationId: 'registerWalkIn',
        tags: ['testing'],
        summary:
          'Register a person not in the registry provisionally at the desk and give them a code (the same document twice is the same person)',
        params: idParams,
        body: walkInIn,
        response: { 200: walkInOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        registerWalkIn(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
}
