import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { errorResponses } from '../core/http/error-responses.js'
import {
  archiveCheckpoint,
  arrivalByReference,
  confirmArrival,
  createCheckpoint,
  getCheckpoint,
  listArrivals,
  listCheckpoints,
  publicCheckpoint,
  registerAtGate,
  rotateCheckpointToken,
  startArrivalMeasure,
  submitSelfReport,
  updateCheckpoint,
} from './checkpoints.service.js'
import {
  arrivalIdParams,
  arrivalList,
  arrivalListQuery,
  arrivalOut,
  arrivalReceipt,
  arrivalReferenceParams,
  arrivalReportIn,
  checkpointIdParams,
  checkpointIn,
  checkpointList,
  checkpointListQuery,
  checkpointOut,
  checkpointPatch,
  confirmArrivalIn,
  publicCheckpointOut,
  reportTokenParams,
} from './checkpoints.schema.js'

export const checkpointsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const ring = () => app.ctx.ring
  const tags = ['checkpoints']

  app.get(
    '/api/checkpoints',
    {
      schema: {
        operationId: 'listCheckpoints',
        tags,
        summary: 'Checkpoints under my scope',
        querystring: checkpointListQuery,
        response: { 200: checkpointList, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listCheckpoints(db(), actorOf(request), request.query.communityId),
  )
  app.post(
    '/api/checkpoints',
    {
      schema: {
        operationId: 'createCheckpoint',
        tags,
        summary: 'Set up a checkpoint of a community (its poster token is made here)',
        body: checkpointIn,
        response: { 201: checkpointOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const out = await inTransaction(db(), (tx) =>
        createCheckpoint(tx, actorOf(request), request.body),
      )
      return reply.code(201).send(out)
    },
  )
  app.get(
    '/api/checkpoints/:id',
    {
      schema: {
        operationId: 'getCheckpoint',
        tags,
        summary: 'One checkpoint with its staff and poster path',
        params: checkpointIdParams,
        response: { 200: checkpointOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getCheckpoint(db(), actorOf(request), request.params.id),
  )
  app.patch(
    '/api/checkpoints/:id',
    {
      schema: {
        operationId: 'updateCheckpoint',
        tags,
        summary: 'Change a checkpoint’s name, place, hours or staff',
        params: checkpointIdParams,
        body: checkpointPatch,
        response: { 200: checkpointOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        updateCheckpoint(tx, actorOf(request), request.params.id, request.body),
      ),
  )
  app.delete(
    '/api/checkpoints/:id',
    {
      schema: {
        operationId: 'archiveCheckpoint',
        tags,
        summary: 'Retire a checkpoint (its poster stops working; its arrivals stay)',
        params: checkpointIdParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await inTransaction(db(), (tx) => archiveCheckpoint(tx, actorOf(request), request.params.id))
      return reply.code(204).send(null)
    },
  )
  app.post(
    '/api/checkpoints/:id/rotate-token',
    {
      schema: {
        operationId: 'rotateCheckpointToken',
        tags,
        summary: 'A new poster: every printed one of this checkpoint stops working',
        params: checkpointIdParams,
        response: { 200: checkpointOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) => rotateCheckpointToken(tx, actorOf(request), request.params.id)),
  )

  // The public self-report: no session, the per-address public rate limit (app.ts).
  app.get(
    '/api/public/report/:token',
    {
      config: { public: true },
      schema: {
        operationId: 'publicCheckpoint',
        tags,
        summary: 'What the self-report form of a poster shows (no login)',
        params: reportTokenParams,
        response: { 200: publicCheckpointOut, ...errorResponses(400, 404, 429) },
      },
    },
    async (request) => publicCheckpoint(db(), request.params.token),
  )
  app.post(
    '/api/public/report/:token',
    {
      config: { public: true },
      schema: {
        operationId: 'submitSelfReport',
        tags,
        summary:
          'File an arrival report from a poster (no login); the same person and day updates it',
        params: reportTokenParams,
        body: arrivalReportIn,
        response: { 200: arrivalReceipt, ...errorResponses(400, 404, 429) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        submitSelfReport(tx, ring(), request.params.token, request.body, request.ip),
      ),
  )

  // The gate desk.
  app.post(
    '/api/checkpoints/:id/arrivals',
    {
      schema: {
        operationId: 'registerAtGate',
        tags,
        summary: 'Register an arrival without a phone at the gate (the form’s fields)',
        params: checkpointIdParams,
        body: arrivalReportIn,
        response: { 200: arrivalOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        registerAtGate(tx, ring(), actorOf(request), request.params.id, request.body),
      ),
  )
  app.get(
    '/api/checkpoints/:id/arrivals/:reference',
    {
      schema: {
        operationId: 'arrivalByReference',
        tags,
        summary: 'The report a scanned or typed reference names at this checkpoint (masked)',
        params: arrivalReferenceParams,
        response: { 200: arrivalOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      arrivalByReference(
        db(),
        ring(),
        actorOf(request),
        request.params.id,
        request.params.reference,
      ),
  )
  app.get(
    '/api/arrivals',
    {
      schema: {
        operationId: 'listArrivals',
        tags,
        summary: 'Arrivals of my gates or coming to live in my scope (today by default), masked',
        querystring: arrivalListQuery,
        response: { 200: arrivalList, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listArrivals(db(), ring(), actorOf(request), request.query),
  )
  app.post(
    '/api/arrivals/:id/confirm',
    {
      schema: {
        operationId: 'confirmArrival',
        tags,
        summary: 'Confirm an arrival at the gate: classified, proposed measure, where they live',
        params: arrivalIdParams,
        body: confirmArrivalIn,
        response: { 200: arrivalOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        confirmArrival(tx, ring(), actorOf(request), request.params.id, request.body),
      ),
  )
  app.post(
    '/api/arrivals/:id/measure',
    {
      schema: {
        operationId: 'startArrivalMeasure',
        tags,
        summary: 'Start the proposed measure where the arrival lives',
        params: arrivalIdParams,
        response: { 200: arrivalOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        startArrivalMeasure(tx, ring(), actorOf(request), request.params.id),
      ),
  )
}
