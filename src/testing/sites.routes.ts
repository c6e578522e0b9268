import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { inTransaction } from '../core/db/db.js'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { idParams, siteIn, siteOut, siteStaffIn, siteStaffParams } from './testing.schema.js'
import { assignSiteStaff, createSite, listSites, removeSiteStaff } from './sites.service.js'

/** Sampling sites and door-to-door teams with their staff. Registered under /api/sites. */
export const sitesRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['testing']
  app.get(
    '',
    {
      schema: {
        operationId: 'listSites',
        tags,
        summary: 'Sampling sites and door-to-door teams of my area, with their staff',
        response: { 200: z.object({ items: z.array(siteOut) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listSites(db(), actorOf(request)) }),
  )
  app.post(
    '',
    {
      schema: {
        operationId: 'createSite',
        tags,
        summary: 'Create a sampling site (lanes, hours) or a door-to-door team',
        body: siteIn,
        response: { 201: siteOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await inTransaction(db(), (tx) => createSite(tx, actorOf(request), request.body))),
  )
  app.post(
    '/:id/staff',
    {
      schema: {
        operationId: 'assignSiteStaff',
        tags,
        summary: 'Assign a sampler or scanner to a site',
        params: idParams,
        body: siteStaffIn,
        response: { 200: siteOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        assignSiteStaff(tx, actorOf(request), request.params.id, request.body),
      ),
  )
  app.delete(
    '/:id/staff/:userId',
    {
      schema: {
        operationId: 'removeSiteStaff',
        tags,
        summary: 'Take someone off a site',
        params: siteStaffParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await inTransaction(db(), (tx) =>
        removeSiteStaff(tx, actorOf(request), request.params.id, request.params.userId),
      )
      return reply.code(204).send(null)
    },
  )
}
