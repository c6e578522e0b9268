import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { errorResponses } from '../core/http/error-responses.js'
import { createLabAccount, listLabAccounts, revokeLabAccount } from './labs.service.js'
import { createLabIn, labCreatedOut, labOut } from './results.schema.js'
import { idParams } from './testing.schema.js'

/** Lab API accounts and their tokens. Registered under /api/labs. */
export const labsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['testing']
  app.get(
    '',
    {
      schema: {
        operationId: 'listLabAccounts',
        tags,
        summary: 'Lab API accounts',
        response: { 200: z.object({ items: z.array(labOut) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listLabAccounts(db(), actorOf(request)) }),
  )
  app.post(
    '',
    {
      schema: {
        operationId: 'createLabAccount',
        tags,
        summary: 'Create a lab API account; its token is shown once',
        body: createLabIn,
        response: { 201: labCreatedOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await inTransaction(db(), (tx) =>
            createLabAccount(tx, actorOf(request), request.body.name),
          ),
        ),
  )
  app.post(
    '/:id/revoke',
    {
      schema: {
        operationId: 'revokeLabAccount',
        tags,
        summary: "Revoke a lab's token",
        params: idParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await inTransaction(db(), (tx) => revokeLabAccount(tx, actorOf(request), request.params.id))
      return reply.code(204).send(null)
    },
  )
}
