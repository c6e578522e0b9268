import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { trackExport } from '../core/audit/export-audit.js'
import { inTransaction } from '../core/db/db.js'
import { errorResponses, spreadsheetResponse } from '../core/http/error-responses.js'
import { requestLanguage } from '../core/i18n/language.js'
import { exportMissed, missedExportFileName } from './missed.export.js'
import {
  missedExportQuery,
  missedPageOut,
  missedParams,
  missedQuery,
  recordMissedIn,
  recordMissedOut,
} from './missed.schema.js'
import { clearMissedReason, missedList, recordMissedReason } from './missed.service.js'
import { idParams } from './testing.schema.js'
import { roundProgress } from './testing.service.js'

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
        summary:
          'The missed-test list: residents in scope with no specimen, by grid → building → household',
        params: idParams,
        querystring: missedQuery,
        response: { 200: missedPageOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => missedList(db(), ring, actorOf(request), request.params.id, request.query),
  )
  app.get(
    '/:id/missed.xlsx',
    {
      schema: {
        operationId: 'exportMissed',
        tags,
        summary:
          'The missed-test list as .xlsx for the round at the door (audited), in the requester’s language (lang, else Accept-Language; Chinese by default)',
        params: idParams,
        querystring: missedExportQuery,
        response: {
          200: spreadsheetResponse('The missed-test list (.xlsx)'),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const lang = requestLanguage(request)
      const progress = await roundProgress(db(), actor, request.params.id)
      const names = new Map(progress.byGrid.map((g) => [g.gridPath, g.gridName]))
      // The started entry is committed before any header; the outcome is recorded when the download ends or stops.
      const { stream, audit, rows } = await exportMissed(
        db(),
        ring,
        actor,
        request.params.id,
        { grid: request.query.grid, q: request.query.q },
        names,
        lang,
      )
      trackExport(reply, audit, rows, (err) =>
        request.log.error(
          { auditError: err instanceof Error ? err.message : String(err) },
          'could not record the missed-list export outcome',
        ),
      )
      reply.header(
        'content-type',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      )
      reply.header(
        'content-disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent(missedExportFileName(lang, progress.round.name))}`,
      )
      return reply.send(stream)
    },
  )
  app.put(
    '/:id/missed/:residentId',
    {
      schema: {
        operationId: 'recordMissedReason',
        tags,
        summary:
          'Record why a resident has no specimen: an excusing reason takes them off the list; home isolation, symptoms and bedridden stay to swab; a refusal is escalated (an alert); moved out or deceased go to the registry',
        params: missedParams,
        body: recordMissedIn,
        response: { 200: recordMissedOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        recordMissedReason(
          tx,
          actorOf(request),
          request.params.id,
          request.params.residentId,
          request.body,
        ),
      ),
  )
  app.delete(
    '/:id/missed/:residentId',
    {
      schema: {
        operationId: 'clearMissedReason',
        tags,
        summary:
          'Take a recorded reason back (the excused tab’s undo): the person owes a swab again',
        params: missedParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await inTransaction(db(), (tx) =>
        clearMissedReason(tx, actorOf(request), request.params.id, request.params.residentId),
      )
      return reply.code(204).send(null)
    },
  )
}
