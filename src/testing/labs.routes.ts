import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { idParams } from './testing.schema.js'
import { createLabAccount, listLabAccounts, revokeLabAccount } from './results.service.js'

/** Lab API accounts and their tokens. Registered under /api/labs. */
export const labsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['testing']
  app.get(
    '',
    { schema: { operationId: 'listLabAccounts', tags, summary: 'Lab API accounts', response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })) }), ...errorResponses(401, 403) } } },
    async (request) => ({ items: await listLabAccounts(db(), actorOf(request)) }),
  )
  app.post(
    '',
    { schema: { operationId: 'createLabAccount', tags, summary: 'Create a lab API account; its token is shown once', body: z.object({ name: z.string().trim().min(2).max(80) }), response: { 201: z.object({ id: z.string(), name: z.string(), token: z.string() }), ...errorResponses(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await db().transaction((tx) => createLabAccount(tx, actorOf(request), request.body.name))),
  )
  app.post(
    '/:id/revoke',
    { schema: { operationId: 'revokeLabAccount', tags, summary: "Revoke a lab's token", params: idParams, response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await db().transaction((tx) => revokeLabAccount(tx, actorOf(request), request.params.id))
      return reply.code(204).send(null)
    },
  )
}
