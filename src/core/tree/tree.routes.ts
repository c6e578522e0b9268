import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../http/context.js'
import { inTransaction } from '../db/db.js'
import {
  createDivisionIn,
  divisionDetailOut,
  divisionOut,
  divisionPage,
  listDivisionsQuery,
} from './tree.schema.js'
import { createDivision, getDivision, listDivisionChildren } from './tree.service.js'
import { errorResponses } from '../http/error-responses.js'

export const treeRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  app.get(
    '/api/divisions',
    {
      schema: {
        operationId: 'listDivisionChildren',
        tags: ['tree'],
        summary:
          'Children of parentId, a search (q), or without either your own scope roots; keyset by code',
        querystring: listDivisionsQuery,
        response: { 200: divisionPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listDivisionChildren(db(), actorOf(request), request.query),
  )
  app.get(
    '/api/divisions/:id',
    {
      schema: {
        operationId: 'getDivision',
        tags: ['tree'],
        summary: 'One node with its ancestors',
        params: z.object({ id: z.string().uuid() }),
        response: { 200: divisionDetailOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getDivision(db(), actorOf(request), request.params.id),
  )
  app.post(
    '/api/divisions',
    {
      schema: {
        operationId: 'createDivision',
        tags: ['tree'],
        summary: 'Add a district, street, community or grid',
        body: createDivisionIn,
        response: { 201: divisionOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const out = await inTransaction(db(), (tx) =>
        createDivision(tx, actorOf(request), request.body),
      )
      return reply.status(201).send(out)
    },
  )
}
