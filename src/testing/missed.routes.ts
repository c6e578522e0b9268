import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { trackExport } from '../core/audit/export-audit.js'
import { errorResponses, spreadsheetResponse } from '../core/http/error-responses.js'
import { idParams, missedItemOut } from './testing.schema.js'
import { roundProgress } from './testing.service.js'
import { exportMissed } from './missed.export.js'
import { clearMissedReason, missedList, recordMissedReason } from './missed.service.js'

/** The missed-test list of a round, its export and its reasons. Registered under /api/rounds. */
export const missedRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['testing']
  app.get(
    '/:id/missed',
    {
      schema: {
        operationId: 'listMissed',
        tags,
        summary: 'The missed-test list: residents in scope with no specimen, by grid → building → household',
        params: idParams,
        querystring: z.object({ grid: z.string().max(200).optional(), after: z.string().max(400).optional(), limit: z.coerce.number().int().min(1).max(500).optional(), includeExcused: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
        response: { 200: z.object({ items: z.array(missedItemOut), next: z.string().nullable() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => missedList(db(), ring, actorOf(request), request.params.id, request.query),
  )
  app.get(
    '/:id/missed.xlsx',
    { schema: { operationId: 'exportMissed', tags, summary: 'The missed-test list as .xlsx for the round at the door (audited)', params: idParams, querystring: z.object({ grid: z.string().max(200).optional() }), response: { 200: spreadsheetResponse('The missed-test list (.xlsx)'), ...errorResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      const actor = actorOf(request)
      const progress = await roundProgress(db(), actor, request.params.id)
      const names = new Map(progress.byGrid.map((g) => [g.gridPath, g.gridName]))
      // The started entry is committed before any header; the outcome is recorded when the download ends or stops.
      const { stream, audit, rows } = await exportMissed(db(), ring, actor, request.params.id, request.query.grid, names)
      trackExport(reply, audit, rows, (err) => request.log.error({ auditError: err instanceof Error ? err.message : String(err) }, 'could not record the missed-list export outcome'))
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${progress.round.name}-漏检名单.xlsx`)}`)
      return reply.send(stream)
    },
  )
  app.put(
    '/:id/missed/:residentId',
    {
      schema: {
        operationId: 'recordMissedReason',
        tags,
        summary: 'Record why a resident has no specimen (or book a door-to-door visit)',
        params: z.object({ id: z.string().uuid(), residentId: z.string().uuid() }),
        body: z.object({ reason: z.string().max(40), note: z.string().max(500).optional() }),
        response: { 200: z.object({ reason: z.string(), excludes: z.boolean() }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => db().transaction((tx) => recordMissedReason(tx, actorOf(request), request.params.id, request.params.residentId, request.body)),
  )
  app.delete(
    '/:id/missed/:residentId',
    { schema: { operationId: 'clearMissedReason', tags, summary: 'Withdraw a recorded reason', params: z.object({ id: z.string().uuid(), residentId: z.string().uuid() }), response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await db().transaction((tx) => clearMissedReason(tx, actorOf(request), request.params.id, request.params.residentId))
      return reply.code(204).send(null)
    },
  )
}
