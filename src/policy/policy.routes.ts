import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { errorResponses } from '../core/http/error-responses.js'
import {
  activatePolicyProfile,
  addPolicyOverride,
  diffPolicyProfiles,
  getPolicyProfile,
  listPolicyOverrides,
  listPolicyProfiles,
  policyInForce,
  withdrawPolicyOverride,
} from './policy.service.js'
import {
  activateIn,
  activationOut,
  diffOut,
  diffQuery,
  inForceOut,
  overrideIdParams,
  overrideIn,
  overrideListOut,
  overrideListQuery,
  overrideOut,
  profileListOut,
  profileOut,
  profileParams,
  withdrawIn,
} from './policy.schema.js'

/** Policy profiles: the one in force, the list with its activations, a diff, switching, local overrides. */
export const policyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const tags = ['policy']
  app.get(
    '/api/policy/in-force',
    {
      schema: {
        operationId: 'policyInForce',
        tags,
        summary: 'The policy profile in force now, since when, and the next switch decided',
        response: { 200: inForceOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => policyInForce(db(), actorOf(request)),
  )
  app.get(
    '/api/policy/profiles',
    {
      schema: {
        operationId: 'listPolicyProfiles',
        tags,
        summary: 'Every policy profile and the history of activations, newest first',
        response: { 200: profileListOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => listPolicyProfiles(db(), actorOf(request)),
  )
  app.get(
    '/api/policy/profiles/:name',
    {
      schema: {
        operationId: 'getPolicyProfile',
        tags,
        summary: 'One policy profile: its sections and content versions',
        params: profileParams,
        response: { 200: profileOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getPolicyProfile(db(), actorOf(request), request.params.name),
  )
  app.get(
    '/api/policy/diff',
    {
      schema: {
        operationId: 'diffPolicyProfiles',
        tags,
        summary: 'Every value where two profiles differ (dot path, a, b)',
        querystring: diffQuery,
        response: { 200: diffOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => diffPolicyProfiles(db(), actorOf(request), request.query),
  )
  app.post(
    '/api/policy/activations',
    {
      schema: {
        operationId: 'activatePolicyProfile',
        tags,
        summary: 'Put a profile in force from a day (audited)',
        body: activateIn,
        response: { 201: activationOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const out = await inTransaction(db(), (tx) =>
        activatePolicyProfile(tx, actorOf(request), request.body),
      )
      return reply.code(201).send(out)
    },
  )
  app.get(
    '/api/policy/overrides',
    {
      schema: {
        operationId: 'listPolicyOverrides',
        tags,
        summary: 'Local overrides (in force; withdrawn too with withdrawn=true)',
        querystring: overrideListQuery,
        response: { 200: overrideListOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listPolicyOverrides(db(), actorOf(request), request.query),
  )
  app.post(
    '/api/policy/overrides',
    {
      schema: {
        operationId: 'addPolicyOverride',
        tags,
        summary: 'Add a local override of one value (audited)',
        body: overrideIn,
        response: { 201: overrideOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const out = await inTransaction(db(), (tx) =>
        addPolicyOverride(tx, actorOf(request), request.body),
      )
      return reply.code(201).send(out)
    },
  )
  app.post(
    '/api/policy/overrides/:id/withdraw',
    {
      schema: {
        operationId: 'withdrawPolicyOverride',
        tags,
        summary: 'Withdraw a local override (kept on record; audited)',
        params: overrideIdParams,
        body: withdrawIn,
        response: { 200: overrideOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        withdrawPolicyOverride(tx, actorOf(request), request.params.id, request.body.reason),
      ),
  )
}
