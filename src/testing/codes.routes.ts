import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { codeOut, idParams } from './testing.schema.js'
import { householdCards, reissueResidentCode, residentCodeOf } from './codes.service.js'

/** Residents' personal codes and households' printable cards. Registered under /api. */
export const codesRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['testing']
  app.get(
    '/residents/:id/code',
    { schema: { operationId: 'getResidentCode', tags, summary: "A resident's personal code (issued on first use) with its QR as SVG", params: idParams, response: { 200: codeOut, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => db().transaction((tx) => residentCodeOf(tx, actorOf(request), request.params.id)),
  )
  app.post(
    '/residents/:id/code/reissue',
    { schema: { operationId: 'reissueResidentCode', tags, summary: 'Revoke the code (lost card) and issue a new one', params: idParams, body: z.object({ reason: z.string().trim().min(2).max(200) }), response: { 200: codeOut, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request) => db().transaction((tx) => reissueResidentCode(tx, actorOf(request), request.params.id, request.body.reason)),
  )
  app.get(
    '/households/:id/cards',
    { schema: { operationId: 'getHouseholdCards', tags, summary: "The printable code cards of a household's members", params: idParams, response: { 200: z.object({ household: z.string(), cards: z.array(codeOut) }), ...errorResponses(400, 401, 403, 404) } } },
    async (request) => db().transaction((tx) => householdCards(tx, actorOf(request), request.params.id)),
  )
}
