import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { errorResponses } from '../core/http/error-responses.js'
import { checkpointIdParams } from './checkpoints.schema.js'
import {
  exitPassesOf,
  gateIndicators,
  issueExitPasses,
  listPassages,
  logPassage,
} from './gate.service.js'
import {
  exitPassIssueIn,
  exitPassList,
  exitPassQuery,
  gateIndicatorsOut,
  householdIdParams,
  passageIn,
  passageList,
  passageListQuery,
  passageOut,
} from './gate.schema.js'

/** The gate log of a checkpoint in a lockdown and households' exit passes (issue 11 item 5). */
export const gateRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const ring = () => app.ctx.ring
  const tags = ['checkpoints']

  app.post(
    '/api/checkpoints/:id/passages',
    {
      schema: {
        operationId: 'logPassage',
        tags,
        summary:
          'Judge and log one exit or entry at a gate (once per client id): 放行 or 拒绝 with reasons',
        params: checkpointIdParams,
        body: passageIn,
        response: { 200: passageOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        logPassage(tx, ring(), actorOf(request), request.params.id, request.body),
      ),
  )
  app.get(
    '/api/checkpoints/:id/passages',
    {
      schema: {
        operationId: 'listPassages',
        tags,
        summary: "A gate's passages of a day (today by default), refused only on request, masked",
        params: checkpointIdParams,
        querystring: passageListQuery,
        response: { 200: passageList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      listPassages(db(), ring(), actorOf(request), request.params.id, request.query),
  )
  app.get(
    '/api/households/:id/exit-passes',
    {
      schema: {
        operationId: 'listExitPasses',
        tags,
        summary: "A household's exit passes of a day with their QR codes",
        params: householdIdParams,
        querystring: exitPassQuery,
        response: { 200: exitPassList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => exitPassesOf(db(), actorOf(request), request.params.id, request.query.day),
  )
  app.post(
    '/api/households/:id/exit-passes',
    {
      schema: {
        operationId: 'issueExitPasses',
        tags,
        summary: "Issue a household's exit passes of a day (the profile's count; again: none more)",
        params: householdIdParams,
        body: exitPassIssueIn,
        response: { 200: exitPassList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        issueExitPasses(tx, actorOf(request), request.params.id, request.body),
      ),
  )
  app.get(
    '/api/checkpoints/indicators',
    {
      schema: {
        operationId: 'gateIndicators',
        tags,
        summary:
          "Today's refused exits, arrivals by origin and arrivals without a measure, in my scope",
        response: { 200: gateIndicatorsOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => gateIndicators(db(), actorOf(request)),
  )
}
