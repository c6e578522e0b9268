import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { listAreaResidents, listAreaVulnerable } from './zones.inside.service.js'
import { insidePage, insideQuery, vulnerablePage, vulnerableQuery } from './zones.inside.schema.js'
import { areaIdParams } from './zones.schema.js'

/** Who lives inside a risk area (居住人员) and the vulnerable among them (重点人群). */
export const zonesInsideRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['zones']
  app.get(
    '/api/zones/areas/:id/residents',
    {
      schema: {
        operationId: 'listAreaResidents',
        tags,
        summary:
          'The residents inside a risk area under my scope, in walking order, phones masked, with their active measures and tags; ?q, ?underMeasure=yes|no',
        params: areaIdParams,
        querystring: insideQuery,
        response: { 200: insidePage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      listAreaResidents(db(), ring, actorOf(request), request.params.id, request.query),
  )
  app.get(
    '/api/zones/areas/:id/vulnerable',
    {
      schema: {
        operationId: 'listAreaVulnerable',
        tags,
        summary:
          'The vulnerable residents inside a risk area (重点人群: tags of the profile) with helper (phone masked), designated hospital and needs, and how many have no helper',
        params: areaIdParams,
        querystring: vulnerableQuery,
        response: { 200: vulnerablePage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      listAreaVulnerable(db(), ring, actorOf(request), request.params.id, request.query),
  )
}
