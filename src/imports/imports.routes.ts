import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import '@fastify/multipart'
import { actorOf } from '../core/http/context.js'
import { AppError, invalid } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import { beginExport, trackExport } from '../core/audit/export-audit.js'
import { requestLanguage } from '../core/i18n/language.js'
import type { ColumnMapping } from './imports.headers.js'
import {
  columnMapping,
  importJobOut,
  importJobParams,
  importStarted,
  importUploadFields,
  rejectedFileQuery,
  rosterPreview,
} from './imports.schema.js'
import { formatOf } from './imports.read.js'
import {
  getImportJob,
  importResidents,
  jobErrorOf,
  loggableError,
  previewRoster,
  recoverImports,
  rejectedRows,
} from './imports.service.js'
import {
  maskRejectedRows,
  rejectedFileColumns,
  rejectedFileName,
  rejectedRowsWorkbook,
} from './imports.errorfile.js'
import { newUploadDir, readUpload, removeUploadDir, uploadRoot } from '../core/http/uploads.js'
import { errorResponses, spreadsheetResponse } from '../core/http/error-responses.js'

/** What an unmasked error file needs as its reason, as for the resident export. */
export const REVEAL_REASON_MIN = 5

/** The upload's text fields, checked against their schema; the mapping is JSON in one of them. */
function uploadOptions(fields: Record<string, string>): {
  divisionId: string
  dryRun: boolean
  createMissing: boolean
  mapping: ColumnMapping | undefined
} {
  const parsed = importUploadFields.safeParse(fields)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = String(issue?.path[0] ?? 'divisionId')
    if (field === 'divisionId')
      throw invalid(field, 'VALIDATION', { rule: fields.divisionId ? 'NOT_ID' : 'REQUIRED' })
    throw invalid(field, 'VALIDATION', { rule: 'NOT_ONE_OF', options: 'true, false' })
  }
  let mapping: ColumnMapping | undefined
  if (parsed.data.mapping) {
    let json: unknown
    try {
      json = JSON.parse(parsed.data.mapping)
    } catch {
      throw invalid('mapping', 'IMPORT_MAPPING_INVALID')
    }
    const m = columnMapping.safeParse(json)
    if (!m.success) throw invalid('mapping', 'IMPORT_MAPPING_INVALID')
    mapping = m.data
  }
  return {
    divisionId: parsed.data.divisionId,
    dryRun: parsed.data.dryRun === 'true',
    createMissing: parsed.data.createMissing === 'true',
    mapping,
  }
}

/** The roster as `roster.<format>` in `dir` (an unsupported format is refused by its name). */
const rosterUpload = (request: FastifyRequest, dir: string): ReturnType<typeof readUpload> =>
  readUpload(request, dir, (name) => `roster.${formatOf(name)}`)

export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const root = uploadRoot(app.ctx.config.dataDir)
  // Start: the jobs of a killed process stop saying `running` (its uploads were swept in buildApp).
  await recoverImports(db(), ring, { exclusive: app.ctx.database.kind === 'pglite' })

  /** Imports of this process: stopped on close (SIGTERM), so their jobs end `interrupted` and their files go. */
  const running = new Set<{ controller: AbortController; done: Promise<void> }>()
  app.addHook('onClose', async () => {
    for (const r of running) r.controller.abort()
    await Promise.all([...running].map((r) => r.done))
  })

  app.post(
    '/api/imports/residents',
    {
      schema: {
        operationId: 'importResidents',
        tags: ['imports'],
        summary:
          'Upload a roster (.xlsx/.csv) as multipart: file, divisionId, dryRun, createMissing, mapping (JSON). Returns the job to poll.',
        consumes: ['multipart/form-data'],
        response: { 202: importStarted, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      authorize(actor, 'registry:write')
      const dir = newUploadDir(root)
      let handedOver = false
      try {
        const { fields, file } = await rosterUpload(request, dir)
        if (!file) throw invalid('file', 'VALIDATION', { rule: 'REQUIRED' })
        const { divisionId, dryRun, createMissing, mapping } = uploadOptions(fields)
        // Runs in the background; the client polls the job. What stops it before the job
        // exists (missing columns, an unreadable file) is the answer; once it exists, its id is.
        const controller = new AbortController()
        let onJob: (id: string) => void = () => {}
        const created = new Promise<string>((resolve) => (onJob = resolve))
        const started = importResidents(db(), ring, actor, file.path, {
          divisionId,
          fileName: file.name,
          dryRun,
          createMissing,
          mapping,
          lang: requestLanguage(request),
          onJob,
          signal: controller.signal,
        })
        handedOver = true
        const entry = {
          controller,
          done: started
            .then(
              () => undefined,
              (err: unknown) => {
                const { code } = jobErrorOf(err)
                if (code === 'INTERNAL')
                  request.log.error({ importError: loggableError(err) }, 'import failed')
                else request.log.info({ code }, 'import stopped')
              },
            )
            .finally(() => {
              removeUploadDir(dir)
              running.delete(entry)
            }),
        }
        running.add(entry)
        const first = await Promise.race([
          created.then((jobId) => ({ jobId })),
          started.then(
            () => null,
            (err: unknown) => ({ err }),
          ),
        ])
        if (first && 'jobId' in first) return reply.status(202).send({ jobId: first.jobId })
        const err = first?.err
        if (err instanceof AppError) throw err
        // Never the database's text (SQL, parameters, cells) in an answer.
        throw new AppError(500, 'INTERNAL', 'Internal error')
      } finally {
        if (!handedOver) removeUploadDir(dir)
      }
    },
  )

  app.post(
    '/api/imports/preview',
    {
      schema: {
        operationId: 'previewRoster',
        tags: ['imports'],
        summary:
          'Upload a roster to see its header row, the recognised (or saved) mapping and three rows',
        consumes: ['multipart/form-data'],
        response: { 200: rosterPreview, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => {
      const dir = newUploadDir(root)
      try {
        const { file } = await rosterUpload(request, dir)
        if (!file) throw invalid('file', 'VALIDATION', { rule: 'REQUIRED' })
        return await previewRoster(db(), actorOf(request), file.path, file.name)
      } finally {
        removeUploadDir(dir)
      }
    },
  )

  app.get(
    '/api/imports/:id',
    {
      schema: {
        operationId: 'getImportJob',
        tags: ['imports'],
        summary: 'Progress and report of an import',
        params: importJobParams,
        response: { 200: importJobOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const {
        headers: _h,
        divisionPath: _p,
        mapping: _m,
        ...job
      } = await getImportJob(db(), actorOf(request), request.params.id)
      return job
    },
  )

  app.get(
    '/api/imports/:id/rejected.xlsx',
    {
      schema: {
        operationId: 'exportRejectedRows',
        tags: ['imports'],
        summary:
          'The rejected rows with the column and the reason, to fix and import again: ID numbers and phones masked; ?unmasked=true&reason=… for the full cells (pii:reveal, audited before the first byte)',
        params: importJobParams,
        querystring: rejectedFileQuery,
        response: {
          200: spreadsheetResponse('The rejected rows (.xlsx)'),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const unmasked = request.query.unmasked === 'true'
      const reason = request.query.reason
      if (unmasked) {
        authorize(actor, 'pii:reveal')
        if (!reason || reason.length < REVEAL_REASON_MIN)
          throw invalid('reason', 'VALIDATION', { rule: 'TOO_SHORT', min: REVEAL_REASON_MIN })
      }
      const job = await getImportJob(db(), actor, request.params.id)
      const found = await rejectedRows(db(), ring, job.id)
      const { mapping } = job
      const lang = requestLanguage(request)
      const personal = [mapping.idNumber, mapping.phone]
        .filter((i): i is number => i !== undefined)
        .map((i) => job.headers[i] ?? `#${i + 1}`)
      // Committed before any header: a client that stops reading early still left its trace.
      const audit = await beginExport(db(), actor, {
        action: unmasked ? 'imports.rejected_export_unmasked' : 'imports.rejected_export',
        targetType: 'import',
        targetId: job.id,
        scopePath: job.divisionPath,
        reason: unmasked ? reason : null,
        filter: { jobId: job.id },
        columns: [...job.headers, ...rejectedFileColumns(lang)],
        masked: !unmasked,
        detail: { revealed: unmasked ? personal : [], rows: found.length },
      })
      trackExport(
        reply,
        audit,
        () => found.length,
        (err) =>
          request.log.error(
            { auditError: loggableError(err) },
            'could not record the error file outcome',
          ),
      )
      const stream = rejectedRowsWorkbook(
        job.headers,
        unmasked ? found : maskRejectedRows(found, mapping),
        lang,
      )
      const name = rejectedFileName(lang, job.fileName, !unmasked)
      reply.header(
        'content-type',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      )
      reply.header(
        'content-disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      return reply.send(stream)
    },
  )
}
