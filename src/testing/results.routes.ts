import path from 'node:path'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { newUploadDir, readUpload, removeUploadDir, uploadRoot, type UploadedFile } from '../core/http/uploads.js'
import { AppError, invalid } from '../core/errors.js'
import { errorResponses } from '../core/http/error-responses.js'
import { LabFileError, readLabResults } from '../imports/labresults.service.js'
import { conflictOut, idParams, recheckOut, resultIn, resultsReportOut } from './testing.schema.js'
import { ingestResults, labByToken, listConflicts, listRechecks, resolveConflict, uploadResults, type ResultIn } from './results.service.js'

const MAX_RESULT_ROWS = 500_000

/** A lab's result file, stored under the data directory as `results.<ext>`; removed by `cleanup` on every path. */
async function saveUpload(request: FastifyRequest, root: string): Promise<{ file: UploadedFile; fields: Record<string, string>; cleanup: () => void }> {
  const dir = newUploadDir(root)
  const cleanup = (): void => removeUploadDir(dir)
  try {
    const { file, fields } = await readUpload(request, dir, (name) => `results${path.extname(name).toLowerCase().replace(/[^.a-z0-9]/g, '')}`)
    if (!file) throw invalid('file', 'missing')
    return { file, fields, cleanup }
  } catch (err) {
    cleanup()
    throw err
  }
}

async function readResultFile(file: { path: string; name: string }): Promise<ResultIn[]> {
  const out: ResultIn[] = []
  try {
    for await (const r of readLabResults(file.path, file.name)) {
      out.push(r)
      if (out.length > MAX_RESULT_ROWS) throw invalid('file', `more than ${MAX_RESULT_ROWS} rows; split it`)
    }
  } catch (err) {
    if (err instanceof LabFileError) throw new AppError(400, 'VALIDATION', err.message)
    throw err
  }
  return out
}

/** Lab results (lab API by bearer token, or a file uploaded by hand), result conflicts and rechecks. Registered under /api. */
export const resultsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const uploads = uploadRoot(app.ctx.config.dataDir)
  const { ring } = app.ctx
  const tags = ['testing']

  app.get(
    '/rounds/:id/conflicts',
    { schema: { operationId: 'listConflicts', tags, summary: 'Result conflicts of a round on tubes under my scope (a disagreeing later result waits here for a person)', params: idParams, response: { 200: z.object({ items: z.array(conflictOut) }), ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ items: await listConflicts(db(), actorOf(request), request.params.id) }),
  )
  app.post(
    '/rounds/:id/conflicts/:conflictId/resolve',
    {
      schema: {
        operationId: 'resolveConflict',
        tags,
        summary: "Resolve a result conflict: keep the result that holds, or accept the lab's other one (audited, with a note)",
        params: z.object({ id: z.string().uuid(), conflictId: z.string().uuid() }),
        body: z.object({ decision: z.enum(['keep', 'accept']), note: z.string().trim().min(2).max(500) }),
        response: { 200: conflictOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => db().transaction((tx) => resolveConflict(tx, actorOf(request), request.params.id, request.params.conflictId, request.body)),
  )
  app.get(
    '/rounds/:id/rechecks',
    { schema: { operationId: 'listRechecks', tags, summary: 'Recheck orders of a round under my scope', params: idParams, querystring: z.object({ status: z.enum(['ordered', 'sampled', 'negative', 'positive']).optional() }), response: { 200: z.object({ items: z.array(recheckOut) }), ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ items: await listRechecks(db(), ring, actorOf(request), request.params.id, request.query) }),
  )

  const labOf = async (request: FastifyRequest): Promise<{ id: string; name: string }> => {
    const header = request.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    const lab = token ? await labByToken(db(), token) : undefined
    if (!lab) throw new AppError(401, 'UNAUTHENTICATED', 'authorization: a lab token is required (Authorization: Bearer wglab_…)')
    return lab
  }
  app.post(
    '/lab/results',
    {
      config: { public: true },
      schema: { operationId: 'ingestLabResults', tags, summary: 'Lab API (bearer token): results by tube code', body: z.object({ results: z.array(resultIn).min(1).max(50_000) }), response: { 200: resultsReportOut, ...errorResponses(400, 401, 409, 429) } },
    },
    async (request) => {
      const lab = await labOf(request)
      return db().transaction((tx) => ingestResults(tx, lab.name, request.body.results.map((r, i) => ({ ...r, rowNo: i + 1 }))))
    },
  )
  app.post(
    '/lab/results/file',
    { config: { public: true }, schema: { operationId: 'ingestLabResultFile', tags, summary: 'Lab API (bearer token): a result file (.csv or .xlsx) as multipart', consumes: ['multipart/form-data'], response: { 200: resultsReportOut, ...errorResponses(400, 401, 409, 429) } } },
    async (request) => {
      const lab = await labOf(request)
      const { file, cleanup } = await saveUpload(request, uploads)
      try {
        const results = await readResultFile(file)
        return await db().transaction((tx) => ingestResults(tx, lab.name, results))
      } finally {
        cleanup()
      }
    },
  )
  app.post(
    '/results/upload',
    { schema: { operationId: 'uploadResults', tags, summary: "Upload a lab's result file by hand (multipart: file, lab)", consumes: ['multipart/form-data'], response: { 200: resultsReportOut, ...errorResponses(400, 401, 403, 409) } } },
    async (request) => {
      const actor = actorOf(request)
      const { file, fields, cleanup } = await saveUpload(request, uploads)
      try {
        const lab = (fields.lab ?? '').trim()
        if (!lab) throw invalid('lab', 'name the lab the file came from')
        const results = await readResultFile(file)
        return await db().transaction((tx) => uploadResults(tx, actor, lab, results))
      } finally {
        cleanup()
      }
    },
  )
}
