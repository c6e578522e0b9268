import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { inTransaction } from '../core/db/db.js'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import {
  addMembersIn,
  addMembersOut,
  groupOut,
  idParams,
  keyGroupIn,
  memberParams,
  overdueItemOut,
  overdueQuery,
} from './testing.schema.js'
import {
  addKeyGroupMembers,
  createKeyGroup,
  listKeyGroups,
  overdueMembers,
  removeKeyGroupMember,
} from './routine.service.js'

/** Routine testing of key jobs: groups, members, who is overdue. Registered under /api/key-groups. */
export const routineRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['testing']
  app.get(
    '',
    {
      schema: {
        operationId: 'listKeyGroups',
        tags,
        summary:
          'Routine-testing groups of key jobs, with members and overdue counts under my scope',
        response: { 200: z.object({ items: z.array(groupOut) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listKeyGroups(db(), actorOf(request)) }),
  )
  app.post(
    '',
    {
      schema: {
        operationId: 'createKeyGroup',
        tags,
        summary: 'Create a key-job group with a frequency from the profile',
        body: keyGroupIn,
        response: { 201: groupOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await inTransaction(db(), (tx) => createKeyGroup(tx, actorOf(request), request.body)),
        ),
  )
  app.post(
    '/:id/members',
    {
      schema: {
        operationId: 'addKeyGroupMembers',
        tags,
        summary:
          'Add members by ID number (one per line); each is added or rejected with its reason',
        params: idParams,
        body: addMembersIn,
        response: { 200: addMembersOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        addKeyGroupMembers(tx, ring, actorOf(request), request.params.id, request.body.idNumbers),
      ),
  )
  app.delete(
    '/:id/members/:residentId',
    {
      schema: {
        operationId: 'removeKeyGroupMember',
        tags,
        summary: 'Remove a member',
        params: memberParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await inTransaction(db(), (tx) =>
        removeKeyGroupMember(tx, actorOf(request), request.params.id, request.params.residentId),
      )
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/overdue',
    {
      schema: {
        operationId: 'listOverdueMembers',
        tags,
        summary: 'Members overdue for their routine test, by grid and household',
        querystring: overdueQuery,
        response: {
          200: z.object({ items: z.array(overdueItemOut) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({ items: await overdueMembers(db(), actorOf(request), request.query) }),
  )
}
