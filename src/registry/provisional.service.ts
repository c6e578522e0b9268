import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import { conflict, invalid, notFound } from '../core/errors.js'
import { blindIndexCandidates, decryptValue } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber, maskPhone } from '../core/pii/mask.js'
import { requireAccess } from '../core/scope/access.js'
import { getDivision } from '../core/tree/tree.service.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import {
  addEvent,
  findHousehold,
  findResident,
  findResidentByIdIndex,
  updateResidentRow,
  type ResidentRow,
} from './registry.repo.js'
import { checkIdentity, normalisePhone, personFields } from './registry.rules.js'
import {
  decideProvisional,
  findProvisional,
  insertProvisional,
  insertWalkInResident,
  provisionalPage,
  provisionalRow,
  type ProvisionalListRow,
  type ProvisionalRow,
} from './provisional.repo.js'
import type {
  ConfirmProvisionalIn,
  MergeProvisionalIn,
  PassThroughIn,
  ProvisionalListQuery,
  ProvisionalOut,
  ProvisionalPage,
} from './provisional.schema.js'
import { ID_TYPES, type ProvisionalStatus } from './registry.vocab.js'
import { sealedIdColumns, sealedPhoneColumns } from './registry.seal.js'

/** The document types a walk-in may show (the registry's), for the desk's request schema. */
export const WALK_IN_ID_TYPES = ID_TYPES

/*
 * Walk-ins (domain.md §5 "应检尽检、不漏一人", §12): a person not in the registry is registered at
 * the sampling desk as a `resident` with status 'provisional' — in the household they stay in when
 * it is known, else in the grid they stay in with the address as typed — so codes, scans, results
 * and measures work unchanged. Provisional people are not in any round's population (missed lists
 * and progress count 'active' residents only) until a grid worker confirms them into a household;
 * a grid worker may instead merge them into a registered resident, or mark them as passing through.
 */

/** What the desk typed. The identity rules are the registry's (NFKC, 15 → 18 digits, check character). */
export interface WalkInInput {
  name: string
  idType?: (typeof ID_TYPES)[number] | undefined
  idNumber: string
  phone: string
  householdId?: string | undefined
  gridId?: string | undefined
  address?: string | undefined
  roundId?: string | undefined
  siteId?: string | undefined
}

export interface WalkInPerson {
  /** created: a new provisional person; existing: the same document registered before (a retry); registered: a resident of the registry. */
  outcome: 'created' | 'existing' | 'registered'
  id: string
  name: string
  gridPath: string
  status: string
  repaired: { code: string; field: string; params?: Record<string, string | number> }[]
}

const holder = (
  r: Pick<ResidentRow, 'id' | 'name' | 'gridPath' | 'status'>,
  outcome: WalkInPerson['outcome'],
  repaired: WalkInPerson['repaired'],
): WalkInPerson => ({
  outcome,
  id: r.id,
  name: r.name,
  gridPath: r.gridPath,
  status: r.status,
  repaired,
})

/** The person a document already names: a merged walk-in answers as the resident they turned out to be. */
async function alreadyRegistered(tx: Tx, r: ResidentRow): Promise<ResidentRow> {
  if (r.status !== 'merged') return r
  const p = await findProvisional(tx, r.id)
  const into = p?.mergedInto ? await findResident(tx, p.mergedInto) : undefined
  return into ?? r
}

/**
 * Registers a walk-in provisionally (testing's desk route calls it, inside its transaction). The
 * same document twice is the same person: a retry answers the first registration, a document of
 * a registered resident answers that resident (the desk learns only a masked name, as a scan of
 * the ID number would tell it), and two desks at once are settled by the ID's unique index.
 */
export async function registerProvisional(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  input: WalkInInput,
  today = new Date(),
): Promise<WalkInPerson> {
  requireAccess(actor, 'registry:provisional')
  const identity = checkIdentity({ idType: input.idType, idNumber: input.idNumber }, today)
  if (!identity.ok) throw invalid(identity.field, identity.code, identity.params)
  const phone = normalisePhone(input.phone)
  if (!phone.ok) throw invalid('phone', phone.code, phone.params)
  if (!input.householdId && !input.gridId) throw invalid('gridId', 'WALK_IN_WHERE_REQUIRED')
  const address = input.address?.trim() || null
  if (!input.householdId && !address) throw invalid('address', 'WALK_IN_ADDRESS_REQUIRED')
  const candidates = blindIndexCandidates(ring, identity.idNumber)
  const found = await findResidentByIdIndex(tx, candidates)
  if (found) {
    const r = await alreadyRegistered(tx, found)
    return holder(r, r.status === 'provisional' ? 'existing' : 'registered', identity.repairs)
  }
  // Where they stay: a household of the registry, or a grid (with the address as typed), in scope.
  let place: { householdId: string | null; gridId: string; gridPath: string; sortKey: string }
  if (input.householdId) {
    const h = await findHousehold(tx, input.householdId)
    if (!h) throw invalid('householdId', 'HOUSEHOLD_NOT_FOUND')
    requireAccess(actor, 'registry:provisional', { type: 'household', id: h.id, path: h.gridPath })
    place = { householdId: h.id, gridId: h.gridId, gridPath: h.gridPath, sortKey: h.sortKey }
  } else {
    const grid = await findDivisionById(tx, input.gridId!)
    if (!grid || grid.level !== 'grid') throw invalid('gridId', 'WALK_IN_NOT_A_GRID')
    requireAccess(actor, 'registry:provisional', { type: 'division', id: grid.id, path: grid.path })
    // After every household of the grid in walking order.
    place = { householdId: null, gridId: grid.id, gridPath: grid.path, sortKey: '~' }
  }
  const inserted = await insertWalkInResident(tx, {
    ...personFields({ name: input.name, residenceType: 'floating' }, identity),
    ...place,
    status: 'provisional',
    ...sealedIdColumns(ring, identity.idNumber),
    ...sealedPhoneColumns(ring, phone.value),
  })
  if (!inserted) {
    // Another desk registered the same document a moment ago.
    const r = await alreadyRegistered(tx, (await findResidentByIdIndex(tx, candidates))!)
    return holder(r, r.status === 'provisional' ? 'existing' : 'registered', identity.repairs)
  }
  await insertProvisional(tx, {
    residentId: inserted.id,
    gridPath: place.gridPath,
    address,
    roundId: input.roundId ?? null,
    siteId: input.siteId ?? null,
    registeredBy: actor.username,
    // Milliseconds, so the list's keyset cursor (an ISO instant) names the row exactly.
    registeredAt: new Date(),
  })
  await addEvent(tx, {
    residentId: inserted.id,
    kind: 'registered',
    toHouseholdId: place.householdId,
    actorName: actor.username,
    detail: { walkIn: true, roundId: input.roundId ?? null },
  })
  await audit(
    tx,
    actor,
    'resident.walk_in',
    { type: 'resident', id: inserted.id, path: place.gridPath },
    { detail: { roundId: input.roundId ?? null, siteId: input.siteId ?? null } },
  )
  return {
    outcome: 'created',
    id: inserted.id,
    name: input.name,
    gridPath: place.gridPath,
    status: 'provisional',
    repaired: identity.repairs,
  }
}

/* ------------------------------------------------------------------ merge steps */

/**
 * What other domains move from a merged walk-in to the resident they turned out to be (testing:
 * specimens and open recheck orders; measures: active measures and their check-ins). A domain that keeps rows per person registers its step at
 * import (the registry cannot import it: it imports the registry); each answers how many rows it
 * moved, for the audit entry.
 */
export type MergeStep = (
  tx: Tx,
  from: { id: string },
  to: { id: string; gridPath: string },
  ctx: { at: Date; by: string },
) => Promise<Record<string, number>>

const mergeSteps: MergeStep[] = []

export function registerMergeStep(step: MergeStep): void {
  mergeSteps.push(step)
}

/* ------------------------------------------------------------------ reconciliation */

function readCursor(raw: string): { at: Date; id: string } {
  let v: unknown
  try {
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    v = null
  }
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
  if (
    !Array.isArray(v) ||
    v.length !== 2 ||
    typeof v[0] !== 'string' ||
    typeof v[1] !== 'string' ||
    !uuid.test(v[1]) ||
    Number.isNaN(Date.parse(v[0]))
  )
    throw invalid('after', 'PROVISIONAL_CURSOR_INVALID')
  return { at: new Date(v[0]), id: v[1] }
}

function shapeRow(ring: Keyring, r: ProvisionalListRow): ProvisionalOut {
  const id = r.idEnc ? decryptValue(ring, r.idEnc) : null
  const phone = r.phoneEnc ? decryptValue(ring, r.phoneEnc) : null
  return {
    residentId: r.p.residentId,
    name: r.name,
    idType: r.idType as ProvisionalOut['idType'],
    idNumber: id === null ? null : maskIdNumber(id),
    phone: phone === null ? null : maskPhone(phone),
    gridId: r.gridId,
    gridName: r.gridName ?? '',
    householdId: r.householdId,
    householdLabel: r.householdLabel,
    address: r.p.address,
    registeredBy: r.p.registeredBy,
    registeredAt: r.p.registeredAt.toISOString(),
    status: r.p.status as ProvisionalStatus,
    decidedBy: r.p.decidedBy,
    decidedAt: r.p.decidedAt ? r.p.decidedAt.toISOString() : null,
    mergedIntoId: r.p.mergedInto,
    mergedIntoName: r.mergedIntoName,
    note: r.p.note,
  }
}

/** Walk-ins under the caller's scope (a community or grid of it), newest first: the grid workers' list to reconcile. */
export async function listProvisional(
  db: Db,
  ring: Keyring,
  actor: Actor,
  q: ProvisionalListQuery,
): Promise<ProvisionalPage> {
  requireAccess(actor, 'registry:read')
  const underPath = q.divisionId ? (await getDivision(db, actor, q.divisionId)).path : undefined
  const after = q.after ? readCursor(q.after) : null
  const found = await provisionalPage(
    db,
    actor,
    { status: q.status, underPath },
    after,
    q.limit + 1,
  )
  const page = found.slice(0, q.limit)
  const last = page[page.length - 1]
  return {
    items: page.map((r) => shapeRow(ring, r)),
    next:
      found.length > q.limit && last
        ? Buffer.from(
            JSON.stringify([last.p.registeredAt.toISOString(), last.p.residentId]),
          ).toString('base64url')
        : null,
  }
}

/** An open walk-in the actor may decide: in their scope (a 403, audited, otherwise). */
async function openWalkIn(
  tx: Tx,
  actor: Actor,
  id: string,
): Promise<{ p: ProvisionalRow; r: ResidentRow }> {
  requireAccess(actor, 'registry:write')
  const p = await findProvisional(tx, id)
  const r = p ? await findResident(tx, id) : undefined
  if (!p || !r) throw notFound('PROVISIONAL_NOT_FOUND')
  requireAccess(actor, 'registry:write', { type: 'resident', id, path: p.gridPath })
  if (p.status !== 'open') throw conflict('PROVISIONAL_ALREADY_RECONCILED')
  return { p, r }
}

async function decided(tx: Tx, ring: Keyring, id: string): Promise<ProvisionalOut> {
  return shapeRow(ring, (await provisionalRow(tx, id))!)
}

async function close(
  tx: Tx,
  actor: Actor,
  id: string,
  v: Parameters<typeof decideProvisional>[2],
): Promise<void> {
  if (!(await decideProvisional(tx, id, v))) throw conflict('PROVISIONAL_ALREADY_RECONCILED')
}

/** The walk-in lives in a household of the registry: they become a normal resident of it (in its rounds from now on). */
export async function confirmProvisional(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: ConfirmProvisionalIn,
): Promise<ProvisionalOut> {
  const { p, r } = await openWalkIn(tx, actor, id)
  const h = await findHousehold(tx, input.householdId)
  if (!h) throw invalid('householdId', 'HOUSEHOLD_NOT_FOUND')
  requireAccess(actor, 'registry:write', { type: 'household', id: h.id, path: h.gridPath })
  const note = input.note?.trim() || null
  await close(tx, actor, id, { status: 'confirmed', decidedBy: actor.username, note })
  await updateResidentRow(tx, id, {
    householdId: h.id,
    gridId: h.gridId,
    gridPath: h.gridPath,
    sortKey: h.sortKey,
    status: 'active',
    residenceType: input.residenceType,
    ...(input.relation ? { relation: input.relation } : {}),
  })
  await addEvent(tx, {
    residentId: id,
    kind: 'moved',
    fromHouseholdId: r.householdId,
    toHouseholdId: h.id,
    actorName: actor.username,
    detail: { provisional: 'confirmed' },
  })
  for (const path of new Set([p.gridPath, h.gridPath]))
    await audit(
      tx,
      actor,
      'resident.provisional_confirmed',
      { type: 'resident', id, path },
      { reason: note, detail: { householdId: h.id } },
    )
  return decided(tx, ring, id)
}

/**
 * The walk-in is a resident already registered (their ID found later): what other domains keep
 * of the walk-in (specimens, open recheck orders) moves to that resident, the walk-in's record
 * stays, marked merged, and both grids' audit lists say so with what moved.
 */
export async function mergeProvisional(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: MergeProvisionalIn,
): Promise<ProvisionalOut> {
  const { p } = await openWalkIn(tx, actor, id)
  const target = await findResident(tx, input.residentId)
  if (!target || target.id === id || !['active', 'moved_out'].includes(target.status))
    throw invalid('residentId', 'PROVISIONAL_MERGE_TARGET_INVALID')
  requireAccess(actor, 'registry:write', {
    type: 'resident',
    id: target.id,
    path: target.gridPath,
  })
  const note = input.note?.trim() || null
  await close(tx, actor, id, {
    status: 'merged',
    mergedInto: target.id,
    decidedBy: actor.username,
    note,
  })
  const moved: Record<string, number> = {}
  const ctx = { at: new Date(), by: actor.username }
  for (const step of mergeSteps)
    Object.assign(moved, await step(tx, { id }, { id: target.id, gridPath: target.gridPath }, ctx))
  await updateResidentRow(tx, id, { status: 'merged' })
  await addEvent(tx, {
    residentId: id,
    kind: 'updated',
    actorName: actor.username,
    detail: { provisional: 'merged', into: target.id },
  })
  await addEvent(tx, {
    residentId: target.id,
    kind: 'updated',
    actorName: actor.username,
    detail: { mergedWalkIn: id, moved },
  })
  for (const path of new Set([p.gridPath, target.gridPath]))
    await audit(
      tx,
      actor,
      'resident.provisional_merged',
      { type: 'resident', id, path },
      { reason: note, detail: { into: target.id, moved } },
    )
  return { ...(await decided(tx, ring, id)), moved }
}

/** Not a resident (a visitor, someone passing through): kept, with their specimens, for tracing. */
export async function markPassingThrough(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: PassThroughIn,
): Promise<ProvisionalOut> {
  const { p } = await openWalkIn(tx, actor, id)
  const note = input.note?.trim() || null
  await close(tx, actor, id, { status: 'passing_through', decidedBy: actor.username, note })
  await updateResidentRow(tx, id, { status: 'passing_through' })
  await addEvent(tx, {
    residentId: id,
    kind: 'updated',
    actorName: actor.username,
    detail: { provisional: 'passing_through' },
  })
  await audit(
    tx,
    actor,
    'resident.passing_through',
    { type: 'resident', id, path: p.gridPath },
    { reason: note },
  )
  return decided(tx, ring, id)
}
