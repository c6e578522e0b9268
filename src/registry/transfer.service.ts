import type { Db, Tx } from '../core/db/db.js'
import { conflict, invalid, notFound } from '../core/errors.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { outOfScopeError, pathInScope } from '../core/scope/scope.js'
import { audit } from '../core/audit/audit.service.js'
import { decryptValue, sealField } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskPhone } from '../core/pii/mask.js'
import {
  addEvent,
  addTags,
  findHousehold,
  findResident,
  tagsOf,
  updateResidentRow,
  type ResidentRow,
} from './registry.repo.js'
import { personFields, type PersonFields } from './registry.rules.js'
import {
  decideTransfer,
  findOpenTransfer,
  findTransfer,
  findTransferListRow,
  insertTransfer,
  listTransferRows,
  type TransferCursor,
  type TransferListRow,
  type TransferRow,
} from './transfer.repo.js'
import {
  transferTyped,
  type TransferListQuery,
  type TransferOut,
  type TransferPage,
  type TransferTyped,
} from './registry.schema.js'

/**
 * Transfers (人户分离 / moves between communities). A registration of a person recorded
 * outside the caller's scope does not move the record: it files a request both sides see;
 * the side the person is registered in confirms (the resident moves, with a history event)
 * or disputes it with a reason. Both sides' audit lists get every step.
 */

export type { TransferTyped }

/** The typed part of a registration's person fields (no derived name keys). */
export function typedOf(f: PersonFields, tags: string[]): TransferTyped {
  return transferTyped.parse({
    name: f.name,
    idType: f.idType,
    sex: f.sex,
    birthDate: f.birthDate,
    relation: f.relation,
    residenceType: f.residenceType,
    employer: f.employer,
    notes: f.notes,
    tags,
  })
}

export interface TransferRequest {
  /** The existing record, which lives outside the actor's scope. */
  existing: ResidentRow
  to: { householdId: string; gridId: string; gridPath: string }
  typed: TransferTyped
  /** Normalised mobile the new side typed, or null. */
  phone: string | null
  /** Where the request came from, e.g. `form` or an import job id. */
  source: string
}

async function auditBothSides(
  tx: Tx,
  actor: Actor,
  t: Pick<TransferRow, 'id' | 'fromGridPath' | 'toGridPath'>,
  action: string,
  extra: { reason?: string | null; detail?: Record<string, unknown> } = {},
): Promise<void> {
  for (const path of new Set([t.toGridPath, t.fromGridPath]))
    await audit(tx, actor, action, { type: 'resident_transfer', id: t.id, path }, extra)
}

/**
 * Files (or finds) the open transfer of `existing` to the actor's household. The caller has
 * already checked the household is in scope; nothing of the existing record is returned.
 */
export async function requestTransfer(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  req: TransferRequest,
): Promise<{ id: string; status: 'requested'; created: boolean }> {
  requireAccess(actor, 'registry:write', {
    type: 'household',
    id: req.to.householdId,
    path: req.to.gridPath,
  })
  const open = await findOpenTransfer(tx, req.existing.id, req.to.householdId)
  if (open) return { id: open.id, status: 'requested', created: false }
  const row = await insertTransfer(tx, {
    residentId: req.existing.id,
    fromHouseholdId: req.existing.householdId,
    fromGridId: req.existing.gridId,
    fromGridPath: req.existing.gridPath,
    toHouseholdId: req.to.householdId,
    toGridId: req.to.gridId,
    toGridPath: req.to.gridPath,
    typed: { ...req.typed },
    phoneEnc: req.phone ? sealField(ring, req.phone).enc : null,
    requestedById: actor.userId,
    requestedByName: actor.username,
  })
  if (!row) {
    const winner = await findOpenTransfer(tx, req.existing.id, req.to.householdId)
    return { id: winner!.id, status: 'requested', created: false }
  }
  await auditBothSides(tx, actor, row, 'resident.transfer_requested', {
    detail: { source: req.source },
  })
  return { id: row.id, status: 'requested', created: true }
}

const CURSOR_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function parseCursor(after: string): TransferCursor {
  try {
    const v = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      typeof v[1] === 'string' &&
      CURSOR_UUID.test(v[1])
    ) {
      const at = new Date(v[0])
      if (!Number.isNaN(at.getTime()) && at.toISOString() === v[0]) return [v[0], v[1]]
    }
  } catch {
    // fall through
  }
  throw invalid('after', 'CURSOR_INVALID')
}

const iso = (d: Date | string | null): string | null =>
  d === null ? null : new Date(d).toISOString()

function shapeTransfer(ring: Keyring, actor: Actor, r: TransferListRow): TransferOut {
  const direction = pathInScope(actor, r.fromGridPath) ? 'out' : 'in'
  const typed = transferTyped.parse(r.typed)
  const phone = r.phoneEnc ? maskPhone(decryptValue(ring, r.phoneEnc)) : null
  // The registering side learns nothing of the old record until the old side confirms.
  const showRecord = direction === 'out' || r.status === 'confirmed'
  return {
    id: r.id,
    direction,
    status: r.status,
    typedName: typed.name,
    typedPhone: phone,
    toHousehold: r.toLabel,
    toGrid: r.toGridName,
    residentId: showRecord ? r.residentId : null,
    residentName: direction === 'out' ? r.residentName : null,
    fromHousehold: direction === 'out' ? r.fromLabel : null,
    fromGrid: direction === 'out' ? r.fromGridName : null,
    requestedBy: r.requestedByName,
    requestedAt: iso(r.requestedAt)!,
    decidedBy: r.decidedByName,
    decidedAt: iso(r.decidedAt),
    reason: r.reason,
    canDecide: direction === 'out' && r.status === 'requested',
  }
}

/** Transfers into the caller's scope (`in`) and out of it (`out`), newest first. */
export async function listTransfers(
  db: Db,
  ring: Keyring,
  actor: Actor,
  q: TransferListQuery,
): Promise<TransferPage> {
  requireAccess(actor, 'registry:read')
  const after = q.after ? parseCursor(q.after) : null
  const found = await listTransferRows(
    db,
    actor,
    { direction: q.direction, status: q.status },
    after,
    q.limit,
  )
  const last = found[found.length - 1]
  const next =
    found.length === q.limit && last
      ? Buffer.from(JSON.stringify([iso(last.requestedAt), last.id])).toString('base64url')
      : null
  return { items: found.map((r) => shapeTransfer(ring, actor, r)), next }
}

/** The open transfer the actor may decide: the person must be registered in the actor's scope. */
async function decidable(
  tx: Tx,
  actor: Actor,
  id: string,
): Promise<{ t: TransferRow; r: ResidentRow }> {
  requireAccess(actor, 'registry:write')
  const t = await findTransfer(tx, id)
  if (!t) throw notFound('TRANSFER_NOT_FOUND')
  if (!pathInScope(actor, t.fromGridPath) && !pathInScope(actor, t.toGridPath))
    throw outOfScopeError(actor, { type: 'resident_transfer', id, path: t.fromGridPath })
  // Only the side the person is registered in decides.
  requireAccess(actor, 'registry:write', { type: 'resident_transfer', id, path: t.fromGridPath })
  if (t.status === 'confirmed') throw conflict('TRANSFER_ALREADY_CONFIRMED')
  if (t.status === 'disputed') throw conflict('TRANSFER_ALREADY_DISPUTED')
  const r = (await findResident(tx, t.residentId))!
  if (!pathInScope(actor, r.gridPath)) throw conflict('TRANSFER_PERSON_MOVED')
  return { t, r }
}

/** The old side confirms: the resident moves to the household the new side recorded, with what it typed. */
export async function confirmTransfer(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  note: string | undefined,
): Promise<TransferOut> {
  const { t, r } = await decidable(tx, actor, id)
  const h = await findHousehold(tx, t.toHouseholdId)
  if (!h) throw invalid('id', 'TRANSFER_HOUSEHOLD_GONE')
  const typed = transferTyped.parse(t.typed)
  const fields = personFields(
    {
      name: typed.name,
      relation: typed.relation ?? undefined,
      residenceType: typed.residenceType,
      employer: typed.employer ?? undefined,
      notes: typed.notes ?? undefined,
    },
    { idType: typed.idType, sex: typed.sex, birthDate: typed.birthDate },
  )
  const phone = t.phoneEnc ? decryptValue(ring, t.phoneEnc) : null
  const sealed = phone ? sealField(ring, phone) : null
  await updateResidentRow(tx, r.id, {
    ...fields,
    householdId: h.id,
    gridId: h.gridId,
    gridPath: h.gridPath,
    sortKey: h.sortKey,
    status: 'active',
    ...(sealed ? { phoneEnc: sealed.enc, phoneBidx: sealed.bidx, phoneLast4: sealed.last4 } : {}),
  })
  // The tags the old side set stay; the new side's are added.
  const have = new Set((await tagsOf(tx, [r.id])).map((x) => x.tag))
  await addTags(
    tx,
    r.id,
    typed.tags.filter((x) => !have.has(x)),
    t.requestedByName,
  )
  await addEvent(tx, {
    residentId: r.id,
    kind: 'moved',
    fromHouseholdId: r.householdId,
    toHouseholdId: h.id,
    actorName: actor.username,
    detail: { transferId: t.id, requestedBy: t.requestedByName },
  })
  if (
    !(await decideTransfer(tx, t.id, {
      status: 'confirmed',
      decidedByName: actor.username,
      reason: note ?? null,
    }))
  )
    throw conflict('TRANSFER_DECIDED_MEANWHILE')
  await auditBothSides(tx, actor, t, 'resident.transfer_confirmed', {
    reason: note ?? null,
    detail: { residentId: r.id },
  })
  return one(tx, ring, actor, t.id)
}

/** The old side disputes (not this person, or they still live here): nothing moves. */
export async function disputeTransfer(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  reason: string,
): Promise<TransferOut> {
  const { t } = await decidable(tx, actor, id)
  if (
    !(await decideTransfer(tx, t.id, { status: 'disputed', decidedByName: actor.username, reason }))
  )
    throw conflict('TRANSFER_DECIDED_MEANWHILE')
  await auditBothSides(tx, actor, t, 'resident.transfer_disputed', { reason })
  return one(tx, ring, actor, t.id)
}

async function one(db: Db, ring: Keyring, actor: Actor, id: string): Promise<TransferOut> {
  const row = await findTransferListRow(db, id)
  return shapeTransfer(ring, actor, row!)
}
