import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { inTransaction } from '../core/db/db.js'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import {
  confirmProvisionalIn,
  mergeProvisionalIn,
  passThroughIn,
  provisionalListQuery,
  provisionalOut,
  provisionalPage,
  provisionalParams,
} from './provisional.schema.js'
import {
  confirmProvisional,
  listProvisional,
  markPassingThrough,
  mergeProvisional,
} from './provisional.service.js'

/** Walk-ins to reconcile (registered at a sampling desk: POST /api/rounds/:id/walk-ins). */
export const provisionalRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['registry']
  app.get(
    '/api/provisional-residents',
    {
      schema: {
        operationId: 'listProvisional',
        tags,
        summary:
          'Walk-ins registered at sampling desks in your scope (a community or grid of it), by status, newest first; keyset pages',
        querystring: provisionalListQuery,
        response: { 200: provisionalPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listProvisional(db(), ring, actorOf(request), request.query),
  )
  app.post(
    '/api/provisional-residents/:id/confirm',
    {
      schema: {
        operationId: 'confirmProvisional',
        tags,
        summary: 'The walk-in lives in this household: a normal resident from now on (audited)',
        params: provisionalParams,
        body: confirmProvisionalIn,
        response: { 200: provisionalOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        confirmProvisional(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
  app.post(
    '/api/provisional-residents/:id/merge',
    {
      schema: {
        operationId: 'mergeProvisional',
        tags,
        summary:
          'The walk-in is this registered resident: their specimens and open rechecks move over (audited)',
        params: provisionalParams,
        body: mergeProvisionalIn,
        response: { 200: provisionalOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        mergeProvisional(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
  app.post(
    '/api/provisional-residents/:id/pass-through',
    {
      schema: {
        operationId: 'markPassingThrough',
        tags,
        summary:
          'Not a resident (passing through): kept with their specimens for tracing (audited)',
        params: provisionalParams,
        body: passThroughIn,
        response: { 200: provisionalOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        markPassingThrough(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
}
