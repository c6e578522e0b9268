import path from 'node:path'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { labOf } from '../core/auth/lab-token.hook.js'
import { inTransaction } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import { errorResponses } from '../core/http/error-responses.js'
import { requestLanguage } from '../core/i18n/language.js'
import { uploadRoot, withUpload } from '../core/http/uploads.js'
import { readLabResultFile } from '../imports/labresults.service.js'
import {
  conflictOut,
  controlPersonOut,
  decideCaseIn,
  labResultsIn,
  positiveCaseOut,
  reassignRecheckIn,
  recheckAssigneeOut,
  recheckOut,
  recheckQuery,
  resolveConflictIn,
  resultsReportOut,
} from './results.schema.js'
import {
  decidePositiveCase,
  ingestResults,
  listConflicts,
  listPositiveCases,
  listRechecks,
  listTemporaryControl,
  reassignRecheck,
  recheckAssignees,
  resolveConflict,
  uploadResults,
} from './results.service.js'
import { idParams } from './testing.schema.js'

/** A lab's result file is stored as `results.<ext>` (its format is all the server keeps of the client's name). */
const resultFileName = (name: string): string =>
  `results${path
    .extname(name)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, '')}`

/** `lang` picks the language of a report's reasons (else Accept-Language; Chinese by default). */
const langQuery = z.object({ lang: z.string().max(20).optional() })

/**
 * Lab results (the lab API by bearer token, or a file uploaded by hand), result conflicts and
 * rechecks. Registered under /api. The lab routes are authenticated by the lab-token hook
 * (core/auth/lab-token.hook.ts), not by a session.
 */
export const resultsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const uploads = uploadRoot(app.ctx.config.dataDir)
  const { ring } = app.ctx
  const tags = ['testing']

  app.get(
    '/rounds/:id/conflicts',
    {
      schema: {
        operationId: 'listConflicts',
        tags,
        summary:
          'Result conflicts of a round on tubes under my scope (a disagreeing later result waits here for a person)',
        params: idParams,
        response: {
          200: z.object({ items: z.array(conflictOut) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({ items: await listConflicts(db(), actorOf(request), request.params.id) }),
  )
  app.post(
    '/rounds/:id/conflicts/:conflictId/resolve',
    {
      schema: {
        operationId: 'resolveConflict',
        tags,
        summary:
          "Resolve a result conflict: keep the result that holds, or accept the lab's other one (audited, with a note)",
        params: z.object({ id: z.string().uuid(), conflictId: z.string().uuid() }),
        body: resolveConflictIn,
        response: { 200: conflictOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        resolveConflict(
          tx,
          actorOf(request),
          request.params.id,
          request.params.conflictId,
          request.body,
        ),
      ),
  )
  app.get(
    '/rounds/:id/rechecks',
    {
      schema: {
        operationId: 'listRechecks',
        tags,
        summary: 'Recheck orders of a round under my scope',
        params: idParams,
        querystring: recheckQuery,
        response: {
          200: z.object({ items: z.array(recheckOut) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      items: await listRechecks(db(), ring, actorOf(request), request.params.id, request.query),
    }),
  )
  const orderParams = z.object({ id: z.string().uuid(), orderId: z.string().uuid() })
  app.get(
    '/rounds/:id/recheck-assignees',
    {
      schema: {
        operationId: 'listRecheckAssignees',
        tags,
        summary:
          'Who may take the round’s recheck orders, grid by grid of my scope (users whose scope covers the grid)',
        params: idParams,
        response: {
          200: z.object({
            items: z.array(z.object({ gridPath: z.string(), users: z.array(recheckAssigneeOut) })),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      items: await recheckAssignees(db(), actorOf(request), request.params.id),
    }),
  )
  app.post(
    '/rounds/:id/rechecks/:orderId/assign',
    {
      schema: {
        operationId: 'reassignRecheck',
        tags,
        summary:
          'Give a recheck order to another user whose scope covers the person’s grid (audited)',
        params: orderParams,
        body: reassignRecheckIn,
        response: { 200: recheckAssigneeOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        reassignRecheck(
          tx,
          actorOf(request),
          request.params.id,
          request.params.orderId,
          request.body,
        ),
      ),
  )
  app.get(
    '/rounds/:id/control',
    {
      schema: {
        operationId: 'listTemporaryControl',
        tags,
        summary:
          'The round’s temporary-control list under my scope: who, where, recheck deadline and assignee, whether still controlled',
        params: idParams,
        response: {
          200: z.object({ items: z.array(controlPersonOut) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      items: await listTemporaryControl(db(), actorOf(request), request.params.id),
    }),
  )
  app.get(
    '/positive-cases',
    {
      schema: {
        operationId: 'listPositiveCases',
        tags,
        summary:
          'Single-tube positives under my scope (初筛阳性 first, with the 2-hour report clock), one per person and episode',
        response: {
          200: z.object({ items: z.array(positiveCaseOut) }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({ items: await listPositiveCases(db(), actorOf(request)) }),
  )
  app.post(
    '/positive-cases/:id/decide',
    {
      schema: {
        operationId: 'decidePositiveCase',
        tags,
        summary:
          'Record what became of a screening positive: reported online, confirmed case, asymptomatic infection, or excluded (audited)',
        params: idParams,
        body: decideCaseIn,
        response: { 200: positiveCaseOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        decidePositiveCase(tx, actorOf(request), request.params.id, request.body),
      ),
  )

  app.post(
    '/lab/results',
    {
      config: { public: true, labToken: true },
      schema: {
        operationId: 'ingestLabResults',
        tags,
        summary: 'Lab API (bearer token): results by tube code',
        querystring: langQuery,
        body: labResultsIn,
        response: { 200: resultsReportOut, ...errorResponses(400, 401, 409, 429) },
      },
    },
    async (request) => {
      const lab = labOf(request)
      const results = request.body.results.map((r, i) => ({ ...r, rowNo: i + 1 }))
      return inTransaction(db(), (tx) =>
        ingestResults(tx, lab.name, results, { lang: requestLanguage(request) }),
      )
    },
  )
  app.post(
    '/lab/results/file',
    {
      config: { public: true, labToken: true },
      schema: {
        operationId: 'ingestLabResultFile',
        tags,
        summary: 'Lab API (bearer token): a result file (.csv or .xlsx) as multipart',
        consumes: ['multipart/form-data'],
        querystring: langQuery,
        response: { 200: resultsReportOut, ...errorResponses(400, 401, 409, 429) },
      },
    },
    async (request) => {
      const lab = labOf(request)
      return withUpload(request, uploads, resultFileName, async ({ file }) => {
        const results = await readLabResultFile(file.path, file.name)
        return inTransaction(db(), (tx) =>
          ingestResults(tx, lab.name, results, { lang: requestLanguage(request) }),
        )
      })
    },
  )
  app.post(
    '/results/upload',
    {
      schema: {
        operationId: 'uploadResults',
        tags,
        summary: "Upload a lab's result file by hand (multipart: file, lab)",
        consumes: ['multipart/form-data'],
        querystring: langQuery,
        response: { 200: resultsReportOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request)
      return withUpload(request, uploads, resultFileName, async ({ file, fields }) => {
        const lab = (fields.lab ?? '').trim()
        if (!lab) throw invalid('lab', 'RESULT_UPLOAD_LAB_MISSING')
        const results = await readLabResultFile(file.path, file.name)
        return inTransaction(db(), (tx) =>
          uploadResults(tx, actor, lab, results, requestLanguage(request)),
        )
      })
    },
  )
}
