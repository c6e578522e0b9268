import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { errorResponses } from '../core/http/error-responses.js'
import { requestLanguage } from '../core/i18n/language.js'
import {
  cancelMeasure,
  getMeasure,
  listCategories,
  listMeasures,
  measureIndicators,
  measureNotice,
  measureReleaseChecks,
  recordCheckin,
  releaseMeasure,
  residentMeasures,
  startMeasure,
} from './measures.service.js'
import {
  cancelIn,
  categoriesOut,
  checkinIn,
  checkinResult,
  idParams,
  indicatorsOut,
  indicatorsQuery,
  measureDetailOut,
  measureListQuery,
  measurePage,
  noticeOut,
  noticeQuery,
  releaseChecksOut,
  releaseIn,
  startMeasureIn,
  timelineOut,
} from './measures.schema.js'

export const measuresRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['measures']
  app.get(
    '/api/measures/categories',
    {
      schema: {
        operationId: 'listMeasureCategories',
        tags,
        summary: 'The categories the profile in force identifies, with their phases',
        response: { 200: categoriesOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listCategories(db(), actorOf(request)),
  )
  app.get(
    '/api/measures/indicators',
    {
      schema: {
        operationId: 'measureIndicators',
        tags,
        summary:
          "People under each measure, today's tests due and done, releases due, missing check-ins, temporary control (my scope)",
        querystring: indicatorsQuery,
        response: { 200: indicatorsOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => measureIndicators(db(), actorOf(request), request.query),
  )
  app.get(
    '/api/measures',
    {
      schema: {
        operationId: 'listMeasures',
        tags,
        summary:
          'A board in walking order: active measures, or those owing a test, a release or a check-in today',
        querystring: measureListQuery,
        response: { 200: measurePage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listMeasures(db(), ring, actorOf(request), request.query),
  )
  app.post(
    '/api/measures',
    {
      schema: {
        operationId: 'startMeasure',
        tags,
        summary: 'Put a person under the measure the profile in force gives their category',
        body: startMeasureIn,
        response: { 201: measureDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const out = await inTransaction(db(), (tx) =>
        startMeasure(tx, ring, actorOf(request), request.body),
      )
      return reply.code(201).send(out)
    },
  )
  app.get(
    '/api/residents/:id/measures',
    {
      schema: {
        operationId: 'residentMeasures',
        tags,
        summary: "A person's measures, newest first, with test days, today's duty and check-ins",
        params: idParams,
        response: { 200: timelineOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => residentMeasures(db(), ring, actorOf(request), request.params.id),
  )
  app.get(
    '/api/measures/:id',
    {
      schema: {
        operationId: 'getMeasure',
        tags,
        summary: "One measure with its plan, today's duty and check-ins",
        params: idParams,
        response: { 200: measureDetailOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getMeasure(db(), ring, actorOf(request), request.params.id),
  )
  app.post(
    '/api/measures/:id/checkins',
    {
      schema: {
        operationId: 'recordCheckin',
        tags,
        summary: "Today's temperature and symptoms (a retry of the same slot replaces the reading)",
        params: idParams,
        body: checkinIn,
        response: { 200: checkinResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        recordCheckin(tx, actorOf(request), request.params.id, request.body),
      ),
  )
  app.get(
    '/api/measures/:id/release-checks',
    {
      schema: {
        operationId: 'measureReleaseChecks',
        tags,
        summary: 'Whether the measure may be released today; every failed check as a code',
        params: idParams,
        response: { 200: releaseChecksOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => measureReleaseChecks(db(), actorOf(request), request.params.id),
  )
  app.post(
    '/api/measures/:id/release',
    {
      schema: {
        operationId: 'releaseMeasure',
        tags,
        summary:
          'Release after the checks (refused with MEASURE_RELEASE_CHECKS_FAILED listing the codes)',
        params: idParams,
        body: releaseIn,
        response: { 200: measureDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        releaseMeasure(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
  app.post(
    '/api/measures/:id/cancel',
    {
      schema: {
        operationId: 'cancelMeasure',
        tags,
        summary: 'Cancel a measure started by mistake, with the reason',
        params: idParams,
        body: cancelIn,
        response: { 200: measureDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        cancelMeasure(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
  app.get(
    '/api/measures/:id/notice',
    {
      schema: {
        operationId: 'measureNotice',
        tags,
        summary: 'What the 告知书 (kind=start) or 解除通知书 (kind=release) prints, in my language',
        params: idParams,
        querystring: noticeQuery,
        response: { 200: noticeOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      measureNotice(
        db(),
        ring,
        actorOf(request),
        request.params.id,
        request.query.kind,
        requestLanguage(request),
      ),
  )
}
