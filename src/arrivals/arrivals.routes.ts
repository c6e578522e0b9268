import path from 'node:path'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { errorResponses } from '../core/http/error-responses.js'
import { uploadRoot, withUpload } from '../core/http/uploads.js'
import { readSheetRows } from '../imports/sheets.service.js'
import {
  classificationOut,
  classifyIn,
  endExternalIn,
  externalAreaIn,
  externalAreaOut,
  externalAreaPatch,
  externalIdParams,
  externalImportReport,
  externalListQuery,
  externalPage,
  externalSaved,
} from './arrivals.schema.js'
import {
  classifyForDesk,
  createExternalArea,
  endExternalArea,
  importExternalAreas,
  listExternalAreas,
  updateExternalArea,
} from './arrivals.service.js'

/** A list file is stored as `list.<ext>` (its format is all the server keeps of the client's name). */
const listFileName = (name: string): string =>
  `list${path
    .extname(name)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, '')}`

/** The external risk-area list and itinerary classification: thin handlers over arrivals.service.ts. */
export const arrivalsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const uploads = uploadRoot(app.ctx.config.dataDir)
  const tags = ['arrivals']
  app.get(
    '/api/arrivals/external-areas',
    {
      schema: {
        operationId: 'listExternalAreas',
        tags,
        summary: 'The external risk-area list, newest first, with filters (status computed today)',
        querystring: externalListQuery,
        response: { 200: externalPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listExternalAreas(db(), actorOf(request), request.query),
  )
  app.post(
    '/api/arrivals/external-areas',
    {
      schema: {
        operationId: 'createExternalArea',
        tags,
        summary: 'Enter an area by hand (the same names in force again update it)',
        body: externalAreaIn,
        response: { 200: externalSaved, 201: externalSaved, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const out = await inTransaction(db(), (tx) =>
        createExternalArea(tx, actorOf(request), request.body),
      )
      return reply.code(out.updated ? 200 : 201).send(out)
    },
  )
  app.patch(
    '/api/arrivals/external-areas/:id',
    {
      schema: {
        operationId: 'updateExternalArea',
        tags,
        summary: 'Edit an entry of the list',
        params: externalIdParams,
        body: externalAreaPatch,
        response: { 200: externalAreaOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        updateExternalArea(tx, actorOf(request), request.params.id, request.body),
      ),
  )
  app.post(
    '/api/arrivals/external-areas/:id/end',
    {
      schema: {
        operationId: 'endExternalArea',
        tags,
        summary: 'End an entry: it stops counting on the given day (today by default)',
        params: externalIdParams,
        body: endExternalIn,
        response: { 200: externalAreaOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        endExternalArea(tx, actorOf(request), request.params.id, request.body),
      ),
  )
  app.post(
    '/api/arrivals/external-areas/import',
    {
      schema: {
        operationId: 'importExternalAreas',
        tags,
        summary:
          'Import a list file (.csv UTF-8/GBK or .xlsx, 省/市/区/街道/小区 columns) as multipart; bad rows reported, good rows kept',
        consumes: ['multipart/form-data'],
        response: { 200: externalImportReport, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = actorOf(request)
      return withUpload(request, uploads, listFileName, async ({ file }) =>
        inTransaction(db(), (tx) =>
          importExternalAreas(tx, actor, readSheetRows(file.path, file.name)),
        ),
      )
    },
  )
  app.post(
    '/api/arrivals/classify',
    {
      schema: {
        operationId: 'classifyItinerary',
        tags,
        summary:
          'Classify an itinerary against the list and the local areas under the profile in force (nothing stored)',
        body: classifyIn,
        response: { 200: classificationOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => classifyForDesk(db(), actorOf(request), request.body),
  )
}
