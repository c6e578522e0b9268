import path from 'node:path'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { actorOf } from '../core/http/context.js'
import { trackExport } from '../core/audit/export-audit.js'
import { transactionWithRetry } from '../core/db/db.js'
import { newUploadDir, readUpload, removeUploadDir, uploadRoot, type UploadedFile } from '../core/http/uploads.js'
import { AppError, invalid } from '../core/errors.js'
import { LabFileError, readLabResults } from '../imports/labresults.service.js'
import { exportMissed } from './missed.export.js'
import { assignSiteStaff, createSite, listSites, removeSiteStaff } from './sites.service.js'
import { addKeyGroupMembers, createKeyGroup, listKeyGroups, overdueMembers, removeKeyGroupMember } from './routine.service.js'
import {
  codeOut,
  conflictOut,
  createRoundIn,
  keyGroupKind,
  missedItemOut,
  progressOut,
  recheckOut,
  resultIn,
  resultsReportOut,
  roundOut,
  scanIn,
  scanOut,
  tubeOut,
} from './testing.schema.js'
import { closeRound, createRound, listRounds, openRoundsForSampling, roundProgress, testingSettings } from './testing.service.js'
import { closeTubeByHand, ingestScans, openTubes } from './sampling.service.js'
import { householdCards, reissueResidentCode, residentCodeOf } from './codes.service.js'
import { createLabAccount, ingestResults, labByToken, listConflicts, listLabAccounts, listRechecks, resolveConflict, revokeLabAccount, uploadResults, type ResultIn } from './results.service.js'
import { clearMissedReason, missedList, recordMissedReason } from './missed.service.js'
import { errorResponses, spreadsheetResponse } from '../core/http/error-responses.js'

const id = z.object({ id: z.string().uuid() })
const MAX_RESULT_ROWS = 500_000

/** A lab's result file, stored under the data directory as `results.<ext>`; removed by `cleanup` on every path. */
async function saveUpload(request: FastifyRequest, root: string): Promise<{ file: UploadedFile; fields: Record<string, string>; cleanup: () => void }> {
  const dir = newUploadDir(root)
  const cleanup = (): void => removeUploadDir(dir)
  try {
    const { file, fields } = await readUpload(request, dir, (name) => `results${path.extname(name).toLowerCase().replace(/[^.a-z0-9]/g, '')}`)
    if (!file) throw invalid('file', 'missing')
    return { file, fields, cleanup }
  } catch (err) {
    cleanup()
    throw err
  }
}

async function readResultFile(file: { path: string; name: string }): Promise<ResultIn[]> {
  const out: ResultIn[] = []
  try {
    for await (const r of readLabResults(file.path, file.name)) {
      out.push(r)
      if (out.length > MAX_RESULT_ROWS) throw invalid('file', `more than ${MAX_RESULT_ROWS} rows; split it`)
    }
  } catch (err) {
    if (err instanceof LabFileError) throw new AppError(400, 'VALIDATION', err.message)
    throw err
  }
  return out
}

export const testingRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const uploads = uploadRoot(app.ctx.config.dataDir)
  const { ring } = app.ctx
  const tags = ['testing']

  app.get(
    '/api/testing/profile',
    { schema: { operationId: 'getTestingSettings', tags, summary: 'The testing section of the active policy profile (pool sizes, missed-test reasons, turnaround targets)', response: { 200: z.object({ profile: z.string(), settings: z.record(z.string(), z.unknown()) }), ...errorResponses(401, 403) } } },
    async (request) => {
      actorOf(request)
      return testingSettings(db())
    },
  )

  /* ---------------------------------------------------------------- rounds */
  app.get(
    '/api/rounds',
    { schema: { operationId: 'listRounds', tags, summary: 'Testing rounds overlapping my scope, newest first', querystring: z.object({ status: z.enum(['open', 'closed']).optional() }), response: { 200: z.object({ items: z.array(roundOut) }), ...errorResponses(400, 401, 403) } } },
    async (request) => ({ items: await listRounds(db(), actorOf(request), request.query) }),
  )
  app.post(
    '/api/rounds',
    { schema: { operationId: 'createRound', tags, summary: 'Open a testing round', body: createRoundIn, response: { 201: roundOut, ...errorResponses(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await db().transaction((tx) => createRound(tx, actorOf(request), request.body))),
  )
  app.get(
    '/api/rounds/:id/progress',
    { schema: { operationId: 'getRoundProgress', tags, summary: 'Live progress: sampled / in scope by grid and by hour, tubes, rechecks, turnaround, time left', params: id, response: { 200: progressOut, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => roundProgress(db(), actorOf(request), request.params.id),
  )
  app.post(
    '/api/rounds/:id/close',
    { schema: { operationId: 'closeRound', tags, summary: 'Close a round (open tubes close with it)', params: id, response: { 200: roundOut, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request) => db().transaction((tx) => closeRound(tx, actorOf(request), request.params.id)),
  )

  /* ---------------------------------------------------------------- sampling */
  app.get(
    '/api/sampling/rounds',
    { schema: { operationId: 'listOpenRoundsForSampling', tags, summary: 'Open rounds I may sample into', response: { 200: z.object({ items: z.array(roundOut) }), ...errorResponses(401, 403) } } },
    async (request) => ({ items: await openRoundsForSampling(db(), actorOf(request)) }),
  )
  app.post(
    '/api/rounds/:id/scans',
    {
      schema: {
        operationId: 'ingestScans',
        tags,
        summary: 'A batch of scans (person code or ID number, then tube barcode), idempotent by clientId',
        params: id,
        body: z.object({ scans: z.array(scanIn).min(1).max(1000) }),
        response: { 200: z.object({ results: z.array(scanOut) }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    // Two copies of one batch racing (a device retrying while the first is still running): the loser runs again and finds its scans done.
    async (request) => ({ results: await transactionWithRetry(db(), (tx) => ingestScans(tx, ring, actorOf(request), request.params.id, request.body.scans)) }),
  )
  app.get(
    '/api/rounds/:id/tubes/open',
    { schema: { operationId: 'listOpenTubes', tags, summary: 'My open tubes in a round', params: id, querystring: z.object({ siteId: z.string().uuid().optional() }), response: { 200: z.object({ items: z.array(tubeOut.omit({ status: true }).extend({ openedAt: z.string() })) }), ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ items: await openTubes(db(), actorOf(request), request.params.id, request.query.siteId) }),
  )
  app.post(
    '/api/rounds/:id/tubes/:code/close',
    { schema: { operationId: 'closeTubeByHand', tags, summary: 'Close a tube by hand before it is full', params: z.object({ id: z.string().uuid(), code: z.string().max(40) }), response: { 200: tubeOut, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request) => db().transaction((tx) => closeTubeByHand(tx, actorOf(request), request.params.id, request.params.code)),
  )

  /* ---------------------------------------------------------------- missed-test list and rechecks */
  app.get(
    '/api/rounds/:id/missed',
    {
      schema: {
        operationId: 'listMissed',
        tags,
        summary: 'The missed-test list: residents in scope with no specimen, by grid → building → household',
        params: id,
        querystring: z.object({ grid: z.string().max(200).optional(), after: z.string().max(400).optional(), limit: z.coerce.number().int().min(1).max(500).optional(), includeExcused: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
        response: { 200: z.object({ items: z.array(missedItemOut), next: z.string().nullable() }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => missedList(db(), ring, actorOf(request), request.params.id, request.query),
  )
  app.get(
    '/api/rounds/:id/missed.xlsx',
    { schema: { operationId: 'exportMissed', tags, summary: 'The missed-test list as .xlsx for the round at the door (audited)', params: id, querystring: z.object({ grid: z.string().max(200).optional() }), response: { 200: spreadsheetResponse('The missed-test list (.xlsx)'), ...errorResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      const actor = actorOf(request)
      const progress = await roundProgress(db(), actor, request.params.id)
      const names = new Map(progress.byGrid.map((g) => [g.gridPath, g.gridName]))
      // The started entry is committed before any header; the outcome is recorded when the download ends or stops.
      const { stream, audit, rows } = await exportMissed(db(), ring, actor, request.params.id, request.query.grid, names)
      trackExport(reply, audit, rows, (err) => request.log.error({ auditError: err instanceof Error ? err.message : String(err) }, 'could not record the missed-list export outcome'))
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${progress.round.name}-漏检名单.xlsx`)}`)
      return reply.send(stream)
    },
  )
  app.put(
    '/api/rounds/:id/missed/:residentId',
    {
      schema: {
        operationId: 'recordMissedReason',
        tags,
        summary: 'Record why a resident has no specimen (or book a door-to-door visit)',
        params: z.object({ id: z.string().uuid(), residentId: z.string().uuid() }),
        body: z.object({ reason: z.string().max(40), note: z.string().max(500).optional() }),
        response: { 200: z.object({ reason: z.string(), excludes: z.boolean() }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => db().transaction((tx) => recordMissedReason(tx, actorOf(request), request.params.id, request.params.residentId, request.body)),
  )
  app.delete(
    '/api/rounds/:id/missed/:residentId',
    { schema: { operationId: 'clearMissedReason', tags, summary: 'Withdraw a recorded reason', params: z.object({ id: z.string().uuid(), residentId: z.string().uuid() }), response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await db().transaction((tx) => clearMissedReason(tx, actorOf(request), request.params.id, request.params.residentId))
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/api/rounds/:id/conflicts',
    { schema: { operationId: 'listConflicts', tags, summary: 'Result conflicts of a round on tubes under my scope (a disagreeing later result waits here for a person)', params: id, response: { 200: z.object({ items: z.array(conflictOut) }), ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ items: await listConflicts(db(), actorOf(request), request.params.id) }),
  )
  app.post(
    '/api/rounds/:id/conflicts/:conflictId/resolve',
    {
      schema: {
        operationId: 'resolveConflict',
        tags,
        summary: "Resolve a result conflict: keep the result that holds, or accept the lab's other one (audited, with a note)",
        params: z.object({ id: z.string().uuid(), conflictId: z.string().uuid() }),
        body: z.object({ decision: z.enum(['keep', 'accept']), note: z.string().trim().min(2).max(500) }),
        response: { 200: conflictOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => db().transaction((tx) => resolveConflict(tx, actorOf(request), request.params.id, request.params.conflictId, request.body)),
  )
  app.get(
    '/api/rounds/:id/rechecks',
    { schema: { operationId: 'listRechecks', tags, summary: 'Recheck orders of a round under my scope', params: id, querystring: z.object({ status: z.enum(['ordered', 'sampled', 'negative', 'positive']).optional() }), response: { 200: z.object({ items: z.array(recheckOut) }), ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ items: await listRechecks(db(), ring, actorOf(request), request.params.id, request.query) }),
  )

  /* ---------------------------------------------------------------- resident codes */
  app.get(
    '/api/residents/:id/code',
    { schema: { operationId: 'getResidentCode', tags, summary: "A resident's personal code (issued on first use) with its QR as SVG", params: id, response: { 200: codeOut, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => db().transaction((tx) => residentCodeOf(tx, actorOf(request), request.params.id)),
  )
  app.post(
    '/api/residents/:id/code/reissue',
    { schema: { operationId: 'reissueResidentCode', tags, summary: 'Revoke the code (lost card) and issue a new one', params: id, body: z.object({ reason: z.string().trim().min(2).max(200) }), response: { 200: codeOut, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request) => db().transaction((tx) => reissueResidentCode(tx, actorOf(request), request.params.id, request.body.reason)),
  )
  app.get(
    '/api/households/:id/cards',
    { schema: { operationId: 'getHouseholdCards', tags, summary: "The printable code cards of a household's members", params: id, response: { 200: z.object({ household: z.string(), cards: z.array(codeOut) }), ...errorResponses(400, 401, 403, 404) } } },
    async (request) => db().transaction((tx) => householdCards(tx, actorOf(request), request.params.id)),
  )

  /* ---------------------------------------------------------------- sampling sites */
  const siteOut = z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['fixed', 'door_to_door']),
    division: z.object({ id: z.string(), name: z.string() }),
    address: z.string().nullable(),
    lanes: z.number(),
    opensAt: z.string().nullable(),
    closesAt: z.string().nullable(),
    active: z.boolean(),
    staff: z.array(z.object({ userId: z.string(), username: z.string(), duty: z.string() })),
    residents: z.number(),
  })
  app.get(
    '/api/sites',
    { schema: { operationId: 'listSites', tags, summary: 'Sampling sites and door-to-door teams of my area, with their staff', response: { 200: z.object({ items: z.array(siteOut) }), ...errorResponses(401, 403) } } },
    async (request) => ({ items: await listSites(db(), actorOf(request)) }),
  )
  app.post(
    '/api/sites',
    {
      schema: {
        operationId: 'createSite',
        tags,
        summary: 'Create a sampling site (lanes, hours) or a door-to-door team',
        body: z.object({ name: z.string().trim().min(1).max(80), kind: z.enum(['fixed', 'door_to_door']), divisionId: z.string().uuid(), address: z.string().max(200).optional(), lanes: z.number().int().min(1).max(100).optional(), opensAt: z.string().max(5).optional(), closesAt: z.string().max(5).optional() }),
        response: { 201: siteOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await db().transaction((tx) => createSite(tx, actorOf(request), request.body))),
  )
  app.post(
    '/api/sites/:id/staff',
    { schema: { operationId: 'assignSiteStaff', tags, summary: 'Assign a sampler or scanner to a site', params: id, body: z.object({ username: z.string().max(80), duty: z.enum(['sampler', 'scanner']) }), response: { 200: siteOut, ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request) => db().transaction((tx) => assignSiteStaff(tx, actorOf(request), request.params.id, request.body)),
  )
  app.delete(
    '/api/sites/:id/staff/:userId',
    { schema: { operationId: 'removeSiteStaff', tags, summary: 'Take someone off a site', params: z.object({ id: z.string().uuid(), userId: z.string().uuid() }), response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await db().transaction((tx) => removeSiteStaff(tx, actorOf(request), request.params.id, request.params.userId))
      return reply.code(204).send(null)
    },
  )

  /* ---------------------------------------------------------------- routine testing of key jobs */
  const groupOut = z.object({ id: z.string(), name: z.string(), kind: z.string(), frequency: z.string(), frequencyDays: z.number(), division: z.object({ id: z.string(), name: z.string() }), members: z.number(), overdue: z.number() })
  app.get(
    '/api/key-groups',
    { schema: { operationId: 'listKeyGroups', tags, summary: 'Routine-testing groups of key jobs, with members and overdue counts under my scope', response: { 200: z.object({ items: z.array(groupOut) }), ...errorResponses(401, 403) } } },
    async (request) => ({ items: await listKeyGroups(db(), actorOf(request)) }),
  )
  app.post(
    '/api/key-groups',
    { schema: { operationId: 'createKeyGroup', tags, summary: 'Create a key-job group with a frequency from the profile', body: z.object({ name: z.string().trim().min(1).max(80), kind: keyGroupKind, frequency: z.string().max(40), divisionId: z.string().uuid() }), response: { 201: groupOut, ...errorResponses(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await db().transaction((tx) => createKeyGroup(tx, actorOf(request), request.body))),
  )
  app.post(
    '/api/key-groups/:id/members',
    {
      schema: {
        operationId: 'addKeyGroupMembers',
        tags,
        summary: 'Add members by ID number (one per line); each is added or rejected with its reason',
        params: id,
        body: z.object({ idNumbers: z.array(z.string().max(40)).min(1).max(5000) }),
        response: { 200: z.object({ added: z.number(), already: z.number(), rejected: z.array(z.object({ line: z.number(), value: z.string(), reason: z.string() })) }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => db().transaction((tx) => addKeyGroupMembers(tx, ring, actorOf(request), request.params.id, request.body.idNumbers)),
  )
  app.delete(
    '/api/key-groups/:id/members/:residentId',
    { schema: { operationId: 'removeKeyGroupMember', tags, summary: 'Remove a member', params: z.object({ id: z.string().uuid(), residentId: z.string().uuid() }), response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await db().transaction((tx) => removeKeyGroupMember(tx, actorOf(request), request.params.id, request.params.residentId))
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/api/key-groups/overdue',
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

  /* ---------------------------------------------------------------- lab results */
  const labOf = async (request: FastifyRequest): Promise<{ id: string; name: string }> => {
    const header = request.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    const lab = token ? await labByToken(db(), token) : undefined
    if (!lab) throw new AppError(401, 'UNAUTHENTICATED', 'authorization: a lab token is required (Authorization: Bearer wglab_…)')
    return lab
  }
  app.post(
    '/api/lab/results',
    {
      config: { public: true },
      schema: { operationId: 'ingestLabResults', tags, summary: 'Lab API (bearer token): results by tube code', body: z.object({ results: z.array(resultIn).min(1).max(50_000) }), response: { 200: resultsReportOut, ...errorResponses(400, 401, 409, 429) } },
    },
    async (request) => {
      const lab = await labOf(request)
      return db().transaction((tx) => ingestResults(tx, lab.name, request.body.results.map((r, i) => ({ ...r, rowNo: i + 1 }))))
    },
  )
  app.post(
    '/api/lab/results/file',
    { config: { public: true }, schema: { operationId: 'ingestLabResultFile', tags, summary: 'Lab API (bearer token): a result file (.csv or .xlsx) as multipart', consumes: ['multipart/form-data'], response: { 200: resultsReportOut, ...errorResponses(400, 401, 409, 429) } } },
    async (request) => {
      const lab = await labOf(request)
      const { file, cleanup } = await saveUpload(request, uploads)
      try {
        const results = await readResultFile(file)
        return await db().transaction((tx) => ingestResults(tx, lab.name, results))
      } finally {
        cleanup()
      }
    },
  )
  app.post(
    '/api/results/upload',
    { schema: { operationId: 'uploadResults', tags, summary: "Upload a lab's result file by hand (multipart: file, lab)", consumes: ['multipart/form-data'], response: { 200: resultsReportOut, ...errorResponses(400, 401, 403, 409) } } },
    async (request) => {
      const actor = actorOf(request)
      const { file, fields, cleanup } = await saveUpload(request, uploads)
      try {
        const lab = (fields.lab ?? '').trim()
        if (!lab) throw invalid('lab', 'name the lab the file came from')
        const results = await readResultFile(file)
        return await db().transaction((tx) => uploadResults(tx, actor, lab, results))
      } finally {
        cleanup()
      }
    },
  )
  app.get(
    '/api/labs',
    { schema: { operationId: 'listLabAccounts', tags, summary: 'Lab API accounts', response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })) }), ...errorResponses(401, 403) } } },
    async (request) => ({ items: await listLabAccounts(db(), actorOf(request)) }),
  )
  app.post(
    '/api/labs',
    { schema: { operationId: 'createLabAccount', tags, summary: 'Create a lab API account; its token is shown once', body: z.object({ name: z.string().trim().min(2).max(80) }), response: { 201: z.object({ id: z.string(), name: z.string(), token: z.string() }), ...errorResponses(400, 401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await db().transaction((tx) => createLabAccount(tx, actorOf(request), request.body.name))),
  )
  app.post(
    '/api/labs/:id/revoke',
    { schema: { operationId: 'revokeLabAccount', tags, summary: "Revoke a lab's token", params: id, response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await db().transaction((tx) => revokeLabAccount(tx, actorOf(request), request.params.id))
      return reply.code(204).send(null)
    },
  )
}
