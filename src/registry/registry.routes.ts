import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { actorOf } from '../core/http/context.js'
import { inTransaction } from '../core/db/db.js'
import { requestLanguage } from '../core/i18n/language.js'
import {
  buildingLayoutIn,
  buildingLayoutOut,
  buildingListOut,
  confirmTransferIn,
  disputeTransferIn,
  exportQuery,
  householdListOut,
  moveOutIn,
  moveResidentIn,
  presenceIn,
  presenceOut,
  registerOutcome,
  registerResidentIn,
  residentDetailOut,
  residentListQuery,
  residentPage,
  revealQuery,
  setTagsIn,
  residentStatusIn,
  transferListQuery,
  transferOut,
  transferPage,
  unitListOut,
  updateResidentIn,
  idParams,
  householdOccupancyIn,
  householdLandlordAnswer,
  landlordQuery,
  householdFactsOut,
  revealsOf,
} from './registry.schema.js'
import {
  createBuildingLayout,
  getResident,
  listBuildings,
  listHouseholds,
  setHouseholdOccupancy,
  householdLandlord,
  listResidents,
  listUnits,
  moveOut,
  moveResident,
  registerResident,
  setResidentTags,
  setResidentStatus,
  updateResident,
} from './registry.service.js'
import { exportResidents } from './export.service.js'
import { setPresence } from './presence.service.js'
import { exportFileName } from './export.text.js'
import { trackExport } from '../core/audit/export-audit.js'
import { confirmTransfer, disputeTransfer, listTransfers } from './transfer.service.js'
import { errorResponses, spreadsheetResponse } from '../core/http/error-responses.js'
import { provisionalRoutes } from './provisional.routes.js'
import { documentsRoutes } from './documents.routes.js'
import { careRoutes } from './care.routes.js'

const id = idParams

export const registryRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.ctx.database.db
  const { ring } = app.ctx
  const tags = ['registry']
  await app.register(provisionalRoutes)
  await app.register(documentsRoutes)
  await app.register(careRoutes)

  app.post(
    '/api/buildings/layout',
    {
      schema: {
        operationId: 'createBuildingLayout',
        tags,
        summary: 'Create a building with units, floors and rooms (idempotent)',
        body: buildingLayoutIn,
        response: { 200: buildingLayoutOut, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) => createBuildingLayout(tx, actorOf(request), request.body)),
  )
  app.get(
    '/api/grids/:id/buildings',
    {
      schema: {
        operationId: 'listBuildings',
        tags,
        summary: 'Buildings of a grid with counts',
        params: id,
        response: { 200: buildingListOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: await listBuildings(db(), actorOf(request), request.params.id) }),
  )
  app.get(
    '/api/buildings/:id/units',
    {
      schema: {
        operationId: 'listUnits',
        tags,
        summary: 'Units of a building with counts',
        params: id,
        response: { 200: unitListOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ items: await listUnits(db(), actorOf(request), request.params.id) }),
  )
  app.get(
    '/api/units/:id/households',
    {
      schema: {
        operationId: 'listHouseholds',
        tags,
        summary: 'Households of a unit with resident counts',
        params: id,
        response: { 200: householdListOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      items: await listHouseholds(db(), ring, actorOf(request), request.params.id),
    }),
  )
  app.get(
    '/api/households/:id/landlord',
    {
      schema: {
        operationId: 'getHouseholdLandlord',
        tags,
        summary:
          'A let household’s landlord or 二房东 contact, phone masked; ?reveal=phone shows it in full (pii:reveal, audited)',
        params: id,
        querystring: landlordQuery,
        response: { 200: householdLandlordAnswer, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        householdLandlord(
          tx,
          ring,
          actorOf(request),
          request.params.id,
          request.query.reveal === 'phone',
        ),
      ),
  )
  app.put(
    '/api/households/:id/occupancy',
    {
      schema: {
        operationId: 'setHouseholdOccupancy',
        tags,
        summary:
          'Record a household’s occupancy (自住, 出租, 空置, 群租, 商铺), its 户代表 and, when let, the landlord or 二房东 contact with tenancy dates; a vacant one’s people leave round populations (audited)',
        params: id,
        body: householdOccupancyIn,
        response: {
          200: householdFactsOut,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        setHouseholdOccupancy(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )

  app.get(
    '/api/residents',
    {
      schema: {
        operationId: 'listResidents',
        tags,
        summary:
          'Residents in your scope: search by name, pinyin initials, phone or ID tail; filters; keyset pages',
        querystring: residentListQuery,
        response: { 200: residentPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listResidents(db(), ring, actorOf(request), request.query),
  )
  app.get(
    '/api/residents/export.xlsx',
    {
      schema: {
        operationId: 'exportResidents',
        tags,
        summary:
          "The filtered list as .xlsx, masked, in the requester's language (?lang or Accept-Language; Chinese by default); ?reveal=id,phone&reason=… for an unmasked one (pii:reveal, audited)",
        querystring: exportQuery,
        response: {
          200: spreadsheetResponse('The residents (.xlsx)'),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { reveal, reason, lang: _lang, ...filter } = request.query
      const lang = requestLanguage(request)
      // Scope checked and the export audited (committed) before any header goes out.
      const out = await exportResidents(db(), ring, actorOf(request), filter, {
        reveal: revealsOf(reveal),
        reason,
        lang,
      })
      trackExport(reply, out.audit, out.rowCount, (err) =>
        request.log.error({ err }, 'could not record the export outcome'),
      )
      reply.header(
        'content-type',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      )
      reply.header(
        'content-disposition',
        `attachment; filename*=UTF-8''${encodeURIComponent(`${exportFileName(lang)}.xlsx`)}`,
      )
      return reply.send(out.stream)
    },
  )
  app.post(
    '/api/residents',
    {
      schema: {
        operationId: 'registerResident',
        tags,
        summary:
          'Register a person in a household; a known ID number is a move or update (a transfer request when registered outside your scope), never a duplicate',
        body: registerResidentIn,
        response: { 200: registerOutcome, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) => registerResident(tx, ring, actorOf(request), request.body)),
  )
  app.get(
    '/api/residents/:id',
    {
      schema: {
        operationId: 'getResident',
        tags,
        summary: 'One resident with household, tags and history; ?reveal=id,phone (audited)',
        params: id,
        querystring: revealQuery,
        response: { 200: residentDetailOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        getResident(tx, ring, actorOf(request), request.params.id, revealsOf(request.query.reveal)),
      ),
  )
  app.patch(
    '/api/residents/:id',
    {
      schema: {
        operationId: 'updateResident',
        tags,
        summary: 'Change details (not the ID number)',
        params: id,
        body: updateResidentIn,
        response: { 200: residentDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        updateResident(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
  app.post(
    '/api/residents/:id/move',
    {
      schema: {
        operationId: 'moveResident',
        tags,
        summary: 'Move to another household (kept in the history)',
        params: id,
        body: moveResidentIn,
        response: { 200: residentDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        moveResident(
          tx,
          ring,
          actorOf(request),
          request.params.id,
          request.body.householdId,
          request.body.relation,
        ),
      ),
  )
  app.put(
    '/api/residents/:id/presence',
    {
      schema: {
        operationId: 'setResidentPresence',
        tags,
        summary:
          'Where the resident is: at home, away (destination, expected return) or back; kept across rounds, read by the missed-test list (audited)',
        params: id,
        body: presenceIn,
        response: { 200: presenceOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        setPresence(tx, actorOf(request), request.params.id, request.body),
      ),
  )
  app.put(
    '/api/residents/:id/status',
    {
      schema: {
        operationId: 'setResidentStatus',
        tags,
        summary:
          'Record 死亡 (date), 长期外出 (where, since) or 户在人不在, or undo it: none is in a round population or an area’s inside list (audited, in the history)',
        params: id,
        body: residentStatusIn,
        response: { 200: residentDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        setResidentStatus(tx, ring, actorOf(request), request.params.id, request.body),
      ),
  )
  app.post(
    '/api/residents/:id/move-out',
    {
      schema: {
        operationId: 'moveOutResident',
        tags,
        summary: 'Record a move out of the area',
        params: id,
        body: moveOutIn,
        response: { 200: residentDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        moveOut(tx, ring, actorOf(request), request.params.id, request.body.reason),
      ),
  )
  app.get(
    '/api/resident-transfers',
    {
      schema: {
        operationId: 'listTransfers',
        tags,
        summary:
          'Transfers (转入/转出申请) into your scope (in) and out of it (out); newest first, keyset pages',
        querystring: transferListQuery,
        response: { 200: transferPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listTransfers(db(), ring, actorOf(request), request.query),
  )
  app.post(
    '/api/resident-transfers/:id/confirm',
    {
      schema: {
        operationId: 'confirmTransfer',
        tags,
        summary: 'The community the person is registered in confirms: the resident moves',
        params: id,
        body: confirmTransferIn,
        response: { 200: transferOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        confirmTransfer(tx, ring, actorOf(request), request.params.id, request.body.note),
      ),
  )
  app.post(
    '/api/resident-transfers/:id/dispute',
    {
      schema: {
        operationId: 'disputeTransfer',
        tags,
        summary: 'The community the person is registered in disputes, with a reason: nothing moves',
        params: id,
        body: disputeTransferIn,
        response: { 200: transferOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        disputeTransfer(tx, ring, actorOf(request), request.params.id, request.body.reason),
      ),
  )
  app.put(
    '/api/residents/:id/tags',
    {
      schema: {
        operationId: 'setResidentTags',
        tags,
        summary: 'Set the tags (key-person and vulnerability)',
        params: id,
        body: setTagsIn,
        response: { 200: residentDetailOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      inTransaction(db(), (tx) =>
        setResidentTags(tx, ring, actorOf(request), request.params.id, request.body.tags),
      ),
  )
}
