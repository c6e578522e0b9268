import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { errorResponses } from '../core/http/error-responses.js'
import {
  areaDetail,
  changeAreaLevel,
  createArea,
  liftArea,
  listAreas,
  widenArea,
  zoneSettings,
} from './zones.service.js'
import { startAreaRound } from './zones.rounds.service.js'
import { zonesInsideRoutes } from './zones.inside.routes.js'
import {
  areaDetailOut,
  areaIdParams,
  areaListQuery,
  areaPage,
  areaRoundIn,
  areaRoundOut,
  changeLevelIn,
  createAreaIn,
  liftIn,
  widenIn,
  zoneSettingsOut,
} from './zones.schema.js'

/** Risk areas (issue 11 item 1): thin handlers over zones.service.ts. */
export const zonesRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['zones']
  await app.register(zonesInsideRoutes)
  app.get(
    '/api/zones/settings',
    {
      schema: {
        operationId: 'zoneSettings',
        tags,
        summary: 'What the profile in force calls the levels and the units it draws areas at',
        response: { 200: zoneSettingsOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => zoneSettings(db(), actorOf(request)),
  )
  app.get(
    '/api/zones/areas',
    {
      schema: {
        operationId: 'listAreas',
        tags,
        summary: 'Risk areas with a part under my scope, newest first, with their countdowns',
        querystring: areaListQuery,
        response: { 200: areaPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listAreas(db(), actorOf(request), request.query),
  )
  app.get(
    '/api/zones/areas/:id',
    {
      schema: {
        operationId: 'areaDetail',
        tags,
        summary: 'A risk area: its parts, people inside, countdown, rounds and history',
        params: areaIdParams,
        response: { 200: areaDetailOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => areaDetail(db(), actorOf(request), request.params.id),
  )
  app.post(
    '/api/zones/areas',
    {
      schema: {
        operationId: 'createArea',
        tags,
        summary: 'Draw a risk area over registry parts at the units the profile allows',
        body: createAreaIn,
        response: { 201: areaDetailOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const out = await inTransaction(db(), (tx) => createArea(tx, actorOf(request), request.body))
      return reply.code(201).send(out)
    },
  )
  app.post(
    '/api/zones/areas/:id/extents',
    {
      schema: {
        operationId: 'widenArea',
        tags,
        summary: 'Widen a risk area by more parts',
        params: areaIdParams,
        body: widenIn,
        response: { 200: areaDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) => widenArea(tx, actorOf(request), request.params.id, request.body)),
  )
  app.post(
    '/api/zones/areas/:id/level',
    {
      schema: {
        operationId: 'changeAreaLevel',
        tags,
        summary: 'Raise or lower a risk area (lowering is checked against the profile)',
        params: areaIdParams,
        body: changeLevelIn,
        response: { 200: areaDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        changeAreaLevel(tx, actorOf(request), request.params.id, request.body),
      ),
  )
  app.post(
    '/api/zones/areas/:id/rounds',
    {
      schema: {
        operationId: 'startAreaRound',
        tags,
        summary:
          "A round of the area's buildings and units at the pool of its level (发起本区域核酸)",
        params: areaIdParams,
        body: areaRoundIn,
        response: {
          200: areaRoundOut,
          201: areaRoundOut,
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const out = await inTransaction(db(), (tx) =>
        startAreaRound(tx, actorOf(request), request.params.id, request.body),
      )
      return reply.code(out.existing ? 200 : 201).send(out)
    },
  )
  app.post(
    '/api/zones/areas/:id/lift',
    {
      schema: {
        operationId: 'liftArea',
        tags,
        summary: 'Lift a risk area (checked against the profile)',
        params: areaIdParams,
        body: liftIn,
        response: { 200: areaDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) => liftArea(tx, actorOf(request), request.params.id, request.body)),
  )
}
