import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import '@fastify/multipart'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { badRequest, invalid } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import { ROSTER_FIELDS, type ColumnMapping } from './imports.headers.js'
import { formatOf } from './imports.read.js'
import { getImportJob, importResidents, previewRoster, rejectedRows } from './imports.service.js'
import { rejectedRowsWorkbook } from './imports.errorfile.js'

const jobOut = z.object({
  id: z.string(),
  status: z.string(),
  fileName: z.string(),
  dryRun: z.boolean(),
  rowsDone: z.number(),
  report: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
})

const mappingSchema = z.partialRecord(z.enum(ROSTER_FIELDS), z.number().int().min(0).max(200))

export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db

  app.post(
    '/api/imports/residents',
    {
      schema: {
        tags: ['imports'],
        summary: 'Upload a roster (.xlsx/.csv) as multipart: file, divisionId, dryRun, createMissing, mapping (JSON). Returns the job to poll.',
        consumes: ['multipart/form-data'],
        response: { 202: z.object({ jobId: z.string().nullable(), error: z.string().nullable() }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      authorize(actor, 'registry:write')
      if (!request.isMultipart()) throw badRequest('body: send the file as multipart/form-data')
      const fields: Record<string, string> = {}
      let saved: { path: string; name: string } | undefined
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          formatOf(part.filename)
          const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wg-upload-')), path.basename(part.filename))
          await pipeline(part.file, fs.createWriteStream(tmp))
          if (part.file.truncated) throw invalid('file', 'larger than the upload limit')
          saved = { path: tmp, name: part.filename }
        } else fields[part.fieldname] = String(part.value)
      }
      if (!saved) throw invalid('file', 'missing')
      if (!fields.divisionId) throw invalid('divisionId', 'missing')
      let mapping: ColumnMapping | undefined
      if (fields.mapping) {
        const parsed = mappingSchema.safeParse(JSON.parse(fields.mapping))
        if (!parsed.success) throw invalid('mapping', parsed.error.issues[0]?.message ?? 'invalid')
        mapping = parsed.data
      }
      // Runs in the background; the client polls the job. The first error that stops it
      // (missing columns, say) is answered at once when it comes before any row.
      let jobId: string | null = null
      const started = importResidents(db(), app.ctx.ring, actor, saved.path, {
        divisionId: fields.divisionId,
        fileName: saved.name,
        dryRun: fields.dryRun === 'true',
        createMissing: fields.createMissing === 'true',
        mapping,
        onJob: (id) => (jobId = id),
      }).finally(() => fs.rmSync(path.dirname(saved!.path), { recursive: true, force: true }))
      const early = await Promise.race([started.then(() => null, (err: unknown) => err), new Promise((r) => setTimeout(r, 300, null))])
      if (early && !jobId) throw early
      started.catch((err: unknown) => request.log.warn({ err }, 'import failed'))
      return reply.status(202).send({ jobId, error: early ? String((early as Error).message) : null })
    },
  )

  app.post(
    '/api/imports/preview',
    {
      schema: {
        tags: ['imports'],
        summary: 'Upload a roster to see its header row, the recognised (or saved) mapping and three rows',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ headers: z.array(z.string()), mapping: z.record(z.string(), z.number()), missing: z.array(z.string()), sample: z.array(z.array(z.string())) }) },
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw badRequest('body: send the file as multipart/form-data')
      const part = await request.file()
      if (!part) throw invalid('file', 'missing')
      formatOf(part.filename)
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-preview-'))
      const tmp = path.join(dir, path.basename(part.filename))
      try {
        await pipeline(part.file, fs.createWriteStream(tmp))
        return await previewRoster(db(), actorOf(request), tmp, part.filename)
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    },
  )

  app.get(
    '/api/imports/:id',
    { schema: { tags: ['imports'], summary: 'Progress and report of an import', params: z.object({ id: z.string().uuid() }), response: { 200: jobOut } } },
    async (request) => {
      const job = await getImportJob(db(), actorOf(request), request.params.id)
      return { ...job, report: job.report as unknown as Record<string, unknown> | null }
    },
  )

  app.get(
    '/api/imports/:id/rejected.xlsx',
    { schema: { tags: ['imports'], summary: 'The rejected rows with the column and the reason, to fix and import again', params: z.object({ id: z.string().uuid() }) } },
    async (request, reply) => {
      const job = await getImportJob(db(), actorOf(request), request.params.id)
      const stream = rejectedRowsWorkbook(job.headers, await rejectedRows(db(), job.id))
      const name = `${job.fileName.replace(/\.(csv|xlsx|txt)$/i, '')}-未导入.xlsx`
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
      return reply.send(stream)
    },
  )
}
