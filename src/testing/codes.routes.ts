import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { inTransaction } from '../core/db/db.js'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { codeOut, householdCardsOut, idParams, reissueCodeIn } from './testing.schema.js'
import {
  householdCards,
  issueHouseholdCards,
  issueResidentCode,
  reissueResidentCode,
  residentCodeOf,
} from './codes.service.js'

/** Residents' personal codes and households' printable cards. Registered under /api. GET reads; issuing is a POST. */
export const codesRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['testing']
  app.get(
    '/residents/:id/code',
    {
      schema: {
        operationId: 'getResidentCode',
        tags,
        summary:
          "A resident's personal code with its QR as SVG (404 CODE_NOT_ISSUED before one is issued)",
        params: idParams,
        response: { 200: codeOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => residentCodeOf(db(), actorOf(request), request.params.id),
  )
  app.post(
    '/residents/:id/code',
    {
      schema: {
        operationId: 'issueResidentCode',
        tags,
        summary: "Issue a resident's personal code (audited); answers the live one if it exists",
        params: idParams,
        response: { 200: codeOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) => issueResidentCode(tx, actorOf(request), request.params.id)),
  )
  app.post(
    '/residents/:id/code/reissue',
    {
      schema: {
        operationId: 'reissueResidentCode',
        tags,
        summary: 'Revoke the code (lost card) and issue a new one',
        params: idParams,
        body: reissueCodeIn,
        response: { 200: codeOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        reissueResidentCode(tx, actorOf(request), request.params.id, request.body.reason),
      ),
  )
  app.get(
    '/households/:id/cards',
    {
      schema: {
        operationId: 'getHouseholdCards',
        tags,
        summary:
          "The printable code cards of a household's members who have a code, and how many have none yet",
        params: idParams,
        response: { 200: householdCardsOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => householdCards(db(), actorOf(request), request.params.id),
  )
  app.post(
    '/households/:id/cards',
    {
      schema: {
        operationId: 'issueHouseholdCards',
        tags,
        summary:
          'Issue a code to every member of a household who has none (audited), and answer the cards',
        params: idParams,
        response: { 200: householdCardsOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) => issueHouseholdCards(tx, actorOf(request), request.params.id)),
  )
}
