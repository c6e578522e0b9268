import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { inTransaction } from '../core/db/db.js'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import {
  createRoundIn,
  idParams,
  listRoundsQuery,
  progressOut,
  roundOut,
  roundPlacesOut,
  roundPlacesQuery,
  roundsPageOut,
  testingSettingsOut,
} from './testing.schema.js'
import {
  closeRound,
  createRound,
  listRounds,
  roundProgress,
  testingSettings,
} from './testing.service.js'
import { roundPlaceChoices } from './places.service.js'

/** The testing section of the profile, under /api/testing. */
export const testingSettingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['testing']
  app.get(
    '/profile',
    {
      schema: {
        operationId: 'getTestingSettings',
        tags,
        summary:
          'The testing section of the active policy profile (pool sizes, missed-test reasons, turnaround targets)',
        response: { 200: testingSettingsOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      actorOf(request)
      return testingSettings(db())
    },
  )
}

/** Testing rounds: list, open, progress, close. Registered under /api/rounds. */
export const roundsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['testing']
  app.get(
    '',
    {
      schema: {
        operationId: 'listRounds',
        tags,
        summary: 'Testing rounds overlapping my scope, newest first, a keyset page at a time',
        querystring: listRoundsQuery,
        response: { 200: roundsPageOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listRounds(db(), actorOf(request), request.query),
  )
  app.post(
    '',
    {
      schema: {
        operationId: 'createRound',
        tags,
        summary: 'Open a testing round',
        body: createRoundIn,
        response: { 201: roundOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await inTransaction(db(), (tx) => createRound(tx, actorOf(request), request.body))),
  )
  app.get(
    '/places',
    {
      schema: {
        operationId: 'listRoundPlaces',
        tags,
        summary:
          'The buildings (with their units) under the chosen divisions that a new round may be narrowed to',
        querystring: roundPlacesQuery,
        response: { 200: roundPlacesOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => roundPlaceChoices(db(), actorOf(request), request.query),
  )
  app.get(
    '/:id/progress',
    {
      schema: {
        operationId: 'getRoundProgress',
        tags,
        summary:
          'Live progress: sampled / in scope by grid and by hour, tubes, rechecks, turnaround, time left',
        params: idParams,
        response: { 200: progressOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => roundProgress(db(), actorOf(request), request.params.id),
  )
  app.post(
    '/:id/close',
    {
      schema: {
        operationId: 'closeRound',
        tags,
        summary:
          'Close a round (open tubes close with it; rechecks and results are still taken). With open rechecks or unresulted tubes, 409 says how many until confirm is true',
        params: idParams,
        querystring: z.object({ confirm: z.enum(['true', 'false']).optional() }),
        response: { 200: roundOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        closeRound(tx, actorOf(request), request.params.id, {
          confirm: request.query.confirm === 'true',
        }),
      ),
  )
}
