import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction, transactionWithRetry } from '../core/db/db.js'
import { errorResponses } from '../core/http/error-responses.js'
import {
  idParams,
  openTubeOut,
  openTubesQuery,
  recheckRoundsOut,
  roundsOut,
  scanBatchIn,
  scanResultsOut,
  tubeOut,
  tubeParams,
} from './testing.schema.js'
import { z } from 'zod'
import {
  openRoundsForSampling,
  recheckRoundsForSampling,
  testingSettings,
} from './testing.service.js'
import { specimenTypeRefusal } from './testing.rules.js'
import { renderReason } from '../core/i18n/messages.js'
import { closeTubeByHand, ingestScans, openTubes } from './sampling.service.js'
import { personCheckIn, personCheckOut } from './personcheck.schema.js'
import { checkScannedPerson } from './personcheck.service.js'

/** Sampling: the rounds a sampler may scan into, scan batches and tubes. Registered under /api. */
export const samplingRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['testing']
  app.get(
    '/sampling/rounds',
    {
      schema: {
        operationId: 'listOpenRoundsForSampling',
        tags,
        summary: 'Open rounds I may sample into',
        response: { 200: roundsOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await openRoundsForSampling(db(), actorOf(request)) }),
  )
  app.get(
    '/sampling/recheck-rounds',
    {
      schema: {
        operationId: 'listRecheckRoundsForSampling',
        tags,
        summary: 'Closed rounds with rechecks still to swab in my scope (复核采样)',
        response: { 200: recheckRoundsOut, ...errorResponses(401, 403) },
      },
    },
    async (request) => recheckRoundsForSampling(db(), actorOf(request)),
  )
  app.post(
    '/rounds/:id/scans',
    {
      schema: {
        operationId: 'ingestScans',
        tags,
        summary:
          'A batch of scans (person code or ID number, then tube barcode), idempotent by clientId',
        params: idParams,
        body: scanBatchIn,
        response: { 200: scanResultsOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    // Two copies of one batch racing (a device retrying while the first is still running): the loser runs again and finds its scans done.
    async (request) => {
      // A specimen type the profile in force does not take (antigen outside new10) is refused scan by scan.
      const { settings, profile } = await testingSettings(db())
      const refused = request.body.scans.map((s) =>
        specimenTypeRefusal(s.specimenType, settings.specimenTypes, profile),
      )
      const taken = request.body.scans.filter((_, i) => !refused[i])
      // Always through ingestScans, even with nothing left: its access and round checks answer first.
      const done = await transactionWithRetry(db(), (tx) =>
        ingestScans(tx, ring, actorOf(request), request.params.id, taken),
      )
      let next = 0
      return {
        results: request.body.scans.map((s, i) => {
          const r = refused[i]
          if (!r) return done[next++]!
          const reason = renderReason('en', { code: r.code, field: r.field, params: r.params })
          return {
            clientId: s.clientId,
            status: 'rejected' as const,
            warnings: [],
            error: { ...r, field: 'specimenType' as const, reason: reason ?? r.code },
          }
        }),
      }
    },
  )
  app.post(
    '/rounds/:id/person-check',
    {
      schema: {
        operationId: 'checkScannedPerson',
        tags,
        summary:
          'Who a scanned person code or ID number names (masked) and whether they must be swabbed alone (temporary control with its recheck deadline, measures, pending recheck, positive), before the tube. Reads only (POST keeps a scanned ID number out of URLs); a person outside my scope is not found',
        params: idParams,
        body: personCheckIn,
        response: { 200: personCheckOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    // A transaction only for the audit entry a control state leaves.
    async (request) =>
      inTransaction(db(), (tx) =>
        checkScannedPerson(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
  app.get(
    '/rounds/:id/tubes/open',
    {
      schema: {
        operationId: 'listOpenTubes',
        tags,
        summary: 'My open tubes in a round',
        params: idParams,
        querystring: openTubesQuery,
        response: {
          200: z.object({ items: z.array(openTubeOut) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      items: await openTubes(db(), actorOf(request), request.params.id, request.query.siteId),
    }),
  )
  app.post(
    '/rounds/:id/tubes/:code/close',
    {
      schema: {
        operationId: 'closeTubeByHand',
        tags,
        summary: 'Close a tube by hand before it is full',
        params: tubeParams,
        response: { 200: tubeOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        closeTubeByHand(tx, actorOf(request), request.params.id, request.params.code),
      ),
  )
}
