import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { inTransaction } from '../core/db/db.js'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { documentIn, documentListOut, documentOut } from './documents.schema.js'
import { addDocument, listDocuments } from './documents.service.js'
import { idParams } from './registry.schema.js'

/** The documents a person carries: list (masked) and record one more. */
export const documentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['registry']
  app.get(
    '/api/residents/:id/documents',
    {
      schema: {
        operationId: 'listResidentDocuments',
        tags,
        summary: 'The documents a resident carries besides the registered one, numbers masked',
        params: idParams,
        response: { 200: documentListOut, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      items: await listDocuments(db(), ring, actorOf(request), request.params.id),
    }),
  )
  app.post(
    '/api/residents/:id/documents',
    {
      schema: {
        operationId: 'addResidentDocument',
        tags,
        summary:
          'Record a document the resident carries (回乡证, 台胞证, 永居证, passport with its issuing country), checked under its type; the same one again is a no-op (audited)',
        params: idParams,
        body: documentIn,
        response: { 200: documentOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        addDocument(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
}
