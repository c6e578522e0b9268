import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { errorResponses } from '../core/http/error-responses.js'
import { groupOut, idParams, keyGroupKind } from './testing.schema.js'
import { addKeyGroupMembers, createKeyGroup, listKeyGroups, overdueMembers, removeKeyGroupMember } from './routine.service.js'

/** Routine testing of key jobs: groups, members, who is overdue. Registered under /api/key-groups. */
export const routineRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['testing']
  app.get(
    '',
    { schema: { operationId: 'listKeyGroups', tags, summary: 'Routine-testing groups of key jobs, with members and overdue counts under my scope', response: { 200: z.object({ items: z.array(groupOut) }), ...errorResponses(401, 403) } } },
    async (request) => ({ items: await listKeyGroups(db(), actorOf(request)) }),
  )
  app.post(
    '',
    { schema: { operationId: 'createKeyGroup', tags, summary: 'Create a key-job group with a frequency from the profile', body: z.object({ name: z.string().trim().min(1).max(80), kind: keyGroupKind, frequency: z.string().max(40), divisionId: z.string().uuid() }), response: { 201: groupOut, ...errorResponses(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await db().transaction((tx) => createKeyGroup(tx, actorOf(request), request.body))),
  )
  app.post(
    '/:id/members',
    {
      schema: {
        operationId: 'addKeyGroupMembers',
        tags,
        summary: 'Add members by ID number (one per line); each is added or rejected with its reason',
        params: idParams,
        body: z.object({ idNumbers: z.array(z.string().max(40)).min(1).max(5000) }),
        response: { 200: z.object({ added: z.number(), already: z.number(), rejected: z.array(z.object({ line: z.number(), value: z.string(), reason: z.string() })) }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => db().transaction((tx) => addKeyGroupMembers(tx, ring, actorOf(request), request.params.id, request.body.idNumbers)),
  )
  app.delete(
    '/:id/members/:residentId',
    { schema: { operationId: 'removeKeyGroupMember', tags, summary: 'Remove a member', params: z.object({ id: z.string().uuid(), residentId: z.string().uuid() }), response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await db().transaction((tx) => removeKeyGroupMember(tx, actorOf(request), request.params.id, request.params.residentId))
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
        querystring: z.object({ groupId: z.string().uuid().optional(), grid: z.string().max(200).optional() }),
        response: {
          200: z.object({
            items: z.array(z.object({ residentId: z.string(), name: z.string(), household: z.string().nullable(), gridPath: z.string(), group: z.string(), frequencyDays: z.number(), lastSampledAt: z.string().nullable(), daysOverdue: z.number().nullable() })),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({ items: await overdueMembers(db(), actorOf(request), request.query) }),
  )
}
