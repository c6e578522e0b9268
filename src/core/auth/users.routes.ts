import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { actorOf } from '../http/context.js'
import {
  createUserIn,
  createdUserOut,
  listUsersQuery,
  resetPasswordOut,
  revealQuery,
  rolesOut,
  updateUserIn,
  userOut,
} from './auth.schema.js'
import {
  createUser,
  editUser,
  getUser,
  listUsers,
  resetUserPassword,
  describeRoles,
} from './users.service.js'
import { errorResponses } from '../http/error-responses.js'

const idParams = z.object({ id: z.string().uuid() })

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ring } = app.ctx
  const db = () => app.ctx.database.db

  app.get(
    '/api/users',
    {
      schema: {
        operationId: 'listUsers',
        tags: ['users'],
        summary: 'Users within your scope (keyset by username)',
        querystring: listUsersQuery,
        response: {
          200: z.object({ items: z.array(userOut), next: z.string().nullable() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => listUsers(db(), ring, actorOf(request), request.query),
  )
  app.post(
    '/api/users',
    {
      schema: {
        operationId: 'createUser',
        tags: ['users'],
        summary:
          'Create a user bound to nodes of the tree; returns a one-time password when none is given',
        body: createUserIn,
        response: { 201: createdUserOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const out = await createUser(db(), ring, actorOf(request), request.body)
      return reply.status(201).send(out)
    },
  )
  app.get(
    '/api/roles',
    {
      schema: {
        operationId: 'describeRoles',
        tags: ['users'],
        summary: 'Every role with its permissions and whether you may give it',
        response: { 200: rolesOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: describeRoles(actorOf(request)) }),
  )
  app.get(
    '/api/users/:id',
    {
      schema: {
        operationId: 'getUser',
        tags: ['users'],
        summary: 'One user; ?reveal=phone shows the full number (audited)',
        params: idParams,
        querystring: revealQuery,
        response: { 200: userOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      getUser(db(), ring, actorOf(request), request.params.id, request.query.reveal === 'phone'),
  )
  app.patch(
    '/api/users/:id',
    {
      schema: {
        operationId: 'editUser',
        tags: ['users'],
        summary: 'Change name, role, scope, phone or disable',
        params: idParams,
        body: updateUserIn,
        response: { 200: userOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const out = await editUser(db(), ring, actorOf(request), request.params.id, request.body)
      app.ctx.invalidateSessions()
      return out
    },
  )
  app.post(
    '/api/users/:id/reset-password',
    {
      schema: {
        operationId: 'resetUserPassword',
        tags: ['users'],
        summary: 'Give a new one-time password (ends their sessions)',
        params: idParams,
        response: { 200: resetPasswordOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const temporaryPassword = await resetUserPassword(db(), actorOf(request), request.params.id)
      app.ctx.invalidateSessions()
      return { temporaryPassword }
    },
  )
}
