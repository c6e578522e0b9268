import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { errorResponses } from '../core/http/error-responses.js'
import {
  listDoorEvents,
  listSensors,
  receiveDoorEvent,
  registerSensor,
  revokeSensor,
  rotateSensorSecret,
} from './doors.service.js'
import {
  DOOR_SIGNATURE_HEADER,
  DOOR_TIMESTAMP_HEADER,
  doorEventHeaders,
  doorEventIn,
  doorEventOut,
  doorEventsOut,
  doorEventsQuery,
  registerSensorIn,
  sensorCreatedOut,
  sensorIdParams,
  sensorsOut,
  sensorsQuery,
} from './doors.schema.js'

/** The body of a device's post as it arrived: the signature is over these exact bytes. */
const rawBodies = new WeakMap<FastifyRequest, string>()

export const doorsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['measures']

  app.get(
    '/api/measures/doors/sensors',
    {
      schema: {
        operationId: 'listDoorSensors',
        tags,
        summary:
          'Door sensors (门磁) of households under my scope, of a community or grid, or of one household',
        querystring: sensorsQuery,
        response: { 200: sensorsOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listSensors(db(), actorOf(request), request.query),
  )
  app.get(
    '/api/measures/doors/events',
    {
      schema: {
        operationId: 'listDoorEvents',
        tags,
        summary: 'Recent door events of households with someone under a measure, under my scope',
        querystring: doorEventsQuery,
        response: { 200: doorEventsOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listDoorEvents(db(), actorOf(request), request.query),
  )
  app.post(
    '/api/measures/doors/sensors/:id/rotate',
    {
      schema: {
        operationId: 'rotateDoorSensorSecret',
        tags,
        summary:
          "Give a door sensor a new signing secret, shown this once; the old one's posts are refused",
        params: sensorIdParams,
        response: { 200: sensorCreatedOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        rotateSensorSecret(tx, app.ctx.ring, actorOf(request), request.params.id),
      ),
  )
  app.post(
    '/api/measures/doors/sensors',
    {
      schema: {
        operationId: 'registerDoorSensor',
        tags,
        summary: "Register a household's door sensor; its signing secret is shown this once",
        body: registerSensorIn,
        response: { 201: sensorCreatedOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const out = await inTransaction(db(), (tx) =>
        registerSensor(tx, app.ctx.ring, actorOf(request), request.body),
      )
      return reply.code(201).send(out)
    },
  )
  app.post(
    '/api/measures/doors/sensors/:id/revoke',
    {
      schema: {
        operationId: 'revokeDoorSensor',
        tags,
        summary: 'Revoke a door sensor: its later posts are refused',
        params: sensorIdParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await inTransaction(db(), (tx) => revokeSensor(tx, actorOf(request), request.params.id))
      return reply.code(204).send(null)
    },
  )

  // The webhook, in a scope of its own: its JSON parser keeps the raw body for the signature.
  await app.register(async (hook) => {
    const json = hook.getDefaultJsonParser('error', 'error')
    hook.removeContentTypeParser('application/json')
    hook.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: 4096 },
      (request, body, done) => {
        rawBodies.set(request, body as string)
        void json(request, body as string, done)
      },
    )
    hook.withTypeProvider<ZodTypeProvider>().post(
      '/api/measures/doors/events',
      {
        config: { public: true },
        schema: {
          operationId: 'postDoorEvent',
          tags,
          summary: `Door sensor webhook (no login): ${DOOR_TIMESTAMP_HEADER} (Unix seconds) and ${DOOR_SIGNATURE_HEADER} (sha256=hex HMAC-SHA256 of "<timestamp>.<raw body>" under the sensor's secret)`,
          security: [],
          headers: doorEventHeaders,
          body: doorEventIn,
          response: { 200: doorEventOut, ...errorResponses(400, 401, 409, 429) },
        },
      },
      async (request) => {
        const header = (name: string): string | undefined => {
          const v = request.headers[name]
          return typeof v === 'string' ? v : undefined
        }
        const post = {
          rawBody: rawBodies.get(request) ?? '',
          timestamp: header(DOOR_TIMESTAMP_HEADER),
          signature: header(DOOR_SIGNATURE_HEADER),
          now: new Date(),
        }
        return inTransaction(db(), (tx) => receiveDoorEvent(tx, app.ctx.ring, post, request.body))
      },
    )
  })
}
