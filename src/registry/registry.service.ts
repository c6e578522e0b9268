import type { Db } from '../core/db/db.js'
import { conflict, invalid, notFound } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import type { Actor } from '../core/auth/actor.js'
import { assertPathInScope, pathInScope } from '../core/scope/scope.js'
import { appendAudit, registerAuditTargetLabeler } from '../core/audit/audit.service.js'
import { blindIndexCandidates, decryptValue, sealField } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber, maskPhone } from '../core/pii/mask.js'
import { getDivision } from '../core/tree/tree.service.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import {
  addEvent,
  eventsOf,
  findHousehold,
  findResident,
  findResidentByIdIndex,
  householdMembers,
  insertHouseholds,
  residentNames,
  insertResident,
  listBuildingsOfGrid,
  listHouseholdsOfUnit,
  listResidentRows,
  listUnitsOfBuilding,
  replaceTags,
  tagsOf,
  updateResidentRow,
  upsertBuilding,
  upsertUnit,
  type HouseholdInsert,
  type HouseholdRow,
  type ResidentFilter,
  type ResidentInsert,
  type ResidentRow,
  type ResidentSearch,
} from './registry.repo.js'
import { ageOn, birthBoundsForAges, checkIdentity, householdKeys, nameKeys, normalisePhone, personFields, searchTermOf } from './registry.rules.js'
import type { BuildingLayoutIn, RegisterResidentIn, ResidentDetailOut, ResidentListQuery, ResidentOut, UpdateResidentIn } from './registry.schema.js'
import { requestTransfer, typedOf } from './transfer.service.js'

/** The sortable form of an address, for code that builds households in bulk. */
export function householdSortKey(building: string, unit: string, room: string): string {
  return householdKeys(building, unit, room).sortKey
}

registerAuditTargetLabeler('resident', async (db, ids) => {
  const found = await residentNames(db, ids)
  return new Map(found.map((r) => [r.id, { label: r.name, paths: [r.gridPath] }]))
})

export type Reveal = 'id' | 'phone'

// Buildings, units, households

/** "Building 12, units 1–3, floors 1–18, rooms 01–04": creates what is missing, idempotently. */
export async function createBuildingLayout(db: Db, actor: Actor, input: BuildingLayoutIn): Promise<{ buildingId: string; households: number; created: number }> {
  authorize(actor, 'registry:write')
  const grid = await findDivisionById(db, input.gridId)
  if (!grid || grid.level !== 'grid') throw invalid('gridId', 'not a grid')
  assertPathInScope(actor, { type: 'division', id: grid.id, path: grid.path })
  const b = await upsertBuilding(db, { gridId: grid.id, gridPath: grid.path, code: input.building, name: input.buildingName ?? `${input.building}栋` })
  const values: HouseholdInsert[] = []
  for (let u = input.units[0]; u <= input.units[1]; u++) {
    const unitId = await upsertUnit(db, b.id, String(u))
    for (let f = input.floors[0]; f <= input.floors[1]; f++) {
      for (let r = input.roomsPerFloor[0]; r <= input.roomsPerFloor[1]; r++) {
        const room = `${f}${String(r).padStart(2, '0')}`
        values.push({ unitId, buildingId: b.id, gridId: grid.id, gridPath: grid.path, room, floor: f, ...householdKeys(b.code, String(u), room) })
      }
    }
  }
  if (values.length > 20_000) throw invalid('floors', `that is ${values.length} households; split it`)
  let created = 0
  for (let i = 0; i < values.length; i += 1000) created += await insertHouseholds(db, values.slice(i, i + 1000))
  await appendAudit(db, {
    actorId: actor.userId,
    actorName: actor.username,
    action: 'registry.building_layout',
    targetType: 'division',
    targetId: grid.id,
    scopePath: grid.path,
    ip: actor.ip,
    detail: { building: b.code, units: input.units, floors: input.floors, rooms: input.roomsPerFloor, created },
  })
  return { buildingId: b.id, households: values.length, created }
}

export async function listBuildings(db: Db, actor: Actor, gridId: string): Promise<Awaited<ReturnType<typeof listBuildingsOfGrid>>> {
  authorize(actor, 'registry:read')
  return listBuildingsOfGrid(db, gridId, actor)
}

export async function listUnits(db: Db, actor: Actor, buildingId: string): Promise<Awaited<ReturnType<typeof listUnitsOfBuilding>>> {
  authorize(actor, 'registry:read')
  return listUnitsOfBuilding(db, buildingId, actor)
}

export async function listHouseholds(db: Db, actor: Actor, unitId: string): Promise<Awaited<ReturnType<typeof listHouseholdsOfUnit>>> {
  authorize(actor, 'registry:read')
  return listHouseholdsOfUnit(db, unitId, actor)
}

async function householdInScope(db: Db, actor: Actor, id: string, field = 'householdId'): Promise<HouseholdRow> {
  const h = await findHousehold(db, id)
  if (!h) throw invalid(field, 'no such household')
  assertPathInScope(actor, { type: 'household', id, path: h.gridPath })
  return h
}

// Residents

function shape(ring: Keyring, r: ResidentRow & { householdLabel: string | null }, tags: string[], reveal: Reveal[], today: Date): ResidentOut {
  const id = r.idEnc ? decryptValue(ring, r.idEnc) : null
  const phone = r.phoneEnc ? decryptValue(ring, r.phoneEnc) : null
  const revealed = reveal.filter((f) => (f === 'id' ? id : phone) !== null)
  return {
    id: r.id,
    name: r.name,
    idType: r.idType,
    idNumber: id === null ? null : reveal.includes('id') ? id : maskIdNumber(id),
    phone: phone === null ? null : reveal.includes('phone') ? phone : maskPhone(phone),
    revealed,
    sex: r.sex,
    birthDate: r.birthDate,
    age: r.birthDate ? ageOn(r.birthDate, today) : null,
    relation: r.relation,
    residenceType: r.residenceType,
    employer: r.employer,
    notes: r.notes,
    status: r.status,
    householdId: r.householdId,
    householdLabel: r.householdLabel,
    gridId: r.gridId,
    tags,
  }
}

async function auditReveal(db: Db, actor: Actor, r: ResidentRow, reveal: Reveal[]): Promise<void> {
  if (reveal.length === 0) return
  authorize(actor, 'pii:reveal')
  await appendAudit(db, {
    actorId: actor.userId,
    actorName: actor.username,
    action: 'pii.reveal',
    targetType: 'resident',
    targetId: r.id,
    scopePath: r.gridPath,
    ip: actor.ip,
    reason: actor.breakGlassReason,
    detail: { fields: reveal },
  })
}

export interface RegisterResult {
  outcome: 'created' | 'moved' | 'unchanged' | 'updated' | 'transfer_requested'
  /** Null for a transfer request: the existing record lives outside the caller's scope. */
  resident: ResidentOut | null
  /** For `transfer_requested`: the request and only what the caller typed. */
  transfer?: { id: string; status: string; name: string; householdLabel: string }
  repaired: string[]
}

/**
 * Registers a person into a household. One person is one resident: when the ID number is
 * already registered, this is a move (different household), an update (same household, other
 * details) or nothing at all (same data) — never a duplicate.
 */
export async function registerResident(db: Db, ring: Keyring, actor: Actor, input: RegisterResidentIn, today = new Date()): Promise<RegisterResult> {
  authorize(actor, 'registry:write')
  const identity = checkIdentity({ idType: input.idType, idNumber: input.idNumber, sex: input.sex, birthDate: input.birthDate }, today)
  if (!identity.ok) throw invalid(identity.field, identity.reason)
  const phone = normalisePhone(input.phone)
  if (!phone.ok) throw invalid('phone', phone.reason)
  const h = await householdInScope(db, actor, input.householdId)
  const idSealed = sealField(ring, identity.idNumber)
  const phoneSealed = phone.value ? sealField(ring, phone.value) : null
  const fields = personFields(input, identity)
  const existing = await findResidentByIdIndex(db, blindIndexCandidates(ring, identity.idNumber))
  if (existing && !pathInScope(actor, existing.gridPath)) {
    // Registered in a community outside the caller's scope: a transfer the old side decides,
    // and the answer carries only what the caller typed.
    const transfer = await requestTransfer(db, ring, actor, {
      existing,
      to: { householdId: h.id, gridId: h.gridId, gridPath: h.gridPath },
      typed: typedOf(fields, input.tags ?? []),
      phone: phone.value,
      source: 'form',
    })
    return { outcome: 'transfer_requested', resident: null, transfer: { id: transfer.id, status: transfer.status, name: input.name, householdLabel: h.label }, repaired: identity.repaired }
  }
  let row: ResidentRow
  let outcome: RegisterResult['outcome']
  if (!existing) {
    row = await insertResident(db, {
      ...fields,
      householdId: h.id,
      gridId: h.gridId,
      gridPath: h.gridPath,
      sortKey: h.sortKey,
      idEnc: idSealed.enc,
      idBidx: idSealed.bidx,
      idLast4: idSealed.last4,
      phoneEnc: phoneSealed?.enc ?? null,
      phoneBidx: phoneSealed?.bidx ?? null,
      phoneLast4: phoneSealed?.last4 ?? null,
    })
    await addEvent(db, { residentId: row.id, kind: 'registered', toHouseholdId: h.id, actorName: actor.username })
    outcome = 'created'
  } else {
    const moved = existing.householdId !== h.id || existing.status !== 'active'
    // A person registered elsewhere in the actor's scope now lives in the actor's household:
    // that is a move, and the old household stays in the history.
    const oldPhone = existing.phoneEnc ? decryptValue(ring, existing.phoneEnc) : null
    const changed =
      moved ||
      oldPhone !== phone.value ||
      (Object.keys(fields) as (keyof typeof fields)[]).some((k) => (existing[k] ?? null) !== (fields[k] ?? null))
    if (!changed) {
      row = existing
      outcome = 'unchanged'
    } else {
      await updateResidentRow(db, existing.id, {
        ...fields,
        householdId: h.id,
        gridId: h.gridId,
        gridPath: h.gridPath,
        sortKey: h.sortKey,
        status: 'active',
        ...(oldPhone !== phone.value ? { phoneEnc: phoneSealed?.enc ?? null, phoneBidx: phoneSealed?.bidx ?? null, phoneLast4: phoneSealed?.last4 ?? null } : {}),
      })
      await addEvent(db, {
        residentId: existing.id,
        kind: moved ? 'moved' : 'updated',
        fromHouseholdId: moved ? existing.householdId : null,
        toHouseholdId: moved ? h.id : null,
        actorName: actor.username,
      })
      row = (await findResident(db, existing.id))!
      outcome = moved ? 'moved' : 'updated'
    }
  }
  if (input.tags) await replaceTags(db, row.id, input.tags, actor.username)
  if (outcome !== 'unchanged') {
    // A move is filed under the grid left as well as the grid joined: both sides' lists show it.
    const paths = outcome === 'moved' && existing ? new Set([existing.gridPath, row.gridPath]) : new Set([row.gridPath])
    for (const scopePath of paths) {
      await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: `resident.${outcome}`, targetType: 'resident', targetId: row.id, scopePath, ip: actor.ip })
    }
  }
  const tags = (await tagsOf(db, [row.id])).map((t) => t.tag)
  return { outcome, resident: shape(ring, { ...row, householdLabel: h.label }, tags, [], today), repaired: identity.repaired }
}

async function residentInScope(db: Db, actor: Actor, id: string): Promise<ResidentRow> {
  const r = await findResident(db, id)
  if (!r) throw notFound('Resident')
  assertPathInScope(actor, { type: 'resident', id, path: r.gridPath })
  return r
}

export async function getResident(db: Db, ring: Keyring, actor: Actor, id: string, reveal: Reveal[], today = new Date()): Promise<ResidentDetailOut> {
  authorize(actor, 'registry:read')
  const r = await residentInScope(db, actor, id)
  await auditReveal(db, actor, r, reveal)
  const h = r.householdId ? await findHousehold(db, r.householdId) : undefined
  const tagRows = await tagsOf(db, [r.id])
  const members = r.householdId ? await householdMembers(db, r.householdId) : []
  const events = await eventsOf(db, r.id)
  return {
    ...shape(ring, { ...r, householdLabel: h?.label ?? null }, tagRows.map((t) => t.tag), reveal, today),
    household: members.filter((m) => m.id !== r.id).map((m) => ({ id: m.id, name: m.name, relation: m.relation, age: m.birthDate ? ageOn(m.birthDate, today) : null })),
    events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    tagDetails: tagRows.map((t) => ({ tag: t.tag, setBy: t.setBy, setAt: t.setAt.toISOString() })),
  }
}

export async function updateResident(db: Db, ring: Keyring, actor: Actor, id: string, input: UpdateResidentIn): Promise<ResidentDetailOut> {
  authorize(actor, 'registry:write')
  const r = await residentInScope(db, actor, id)
  const v: Partial<ResidentInsert> = {}
  if (input.name !== undefined) Object.assign(v, { name: input.name, namePinyin: nameKeys(input.name).pinyin, nameInitials: nameKeys(input.name).initials })
  if (input.sex !== undefined || input.birthDate !== undefined) {
    if (r.idType !== 'passport' && r.idType !== 'other') {
      const id18 = decryptValue(ring, r.idEnc!)
      const c = checkIdentity({ idType: r.idType as 'resident_id', idNumber: id18, sex: input.sex, birthDate: input.birthDate })
      if (!c.ok) throw invalid(c.field, c.reason)
    }
    if (input.sex !== undefined) v.sex = input.sex
    if (input.birthDate !== undefined) v.birthDate = input.birthDate
  }
  if (input.phone !== undefined) {
    const p = normalisePhone(input.phone)
    if (!p.ok) throw invalid('phone', p.reason)
    const s = p.value ? sealField(ring, p.value) : null
    Object.assign(v, { phoneEnc: s?.enc ?? null, phoneBidx: s?.bidx ?? null, phoneLast4: s?.last4 ?? null })
  }
  for (const k of ['relation', 'residenceType', 'employer', 'notes'] as const) if (input[k] !== undefined) Object.assign(v, { [k]: input[k] })
  await updateResidentRow(db, id, v)
  await addEvent(db, { residentId: id, kind: 'updated', actorName: actor.username, detail: { fields: Object.keys(input) } })
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'resident.updated', targetType: 'resident', targetId: id, scopePath: r.gridPath, ip: actor.ip, detail: { fields: Object.keys(input) } })
  return getResident(db, ring, actor, id, [])
}

export async function moveResident(db: Db, ring: Keyring, actor: Actor, id: string, householdId: string, relation?: string): Promise<ResidentDetailOut> {
  authorize(actor, 'registry:write')
  const r = await residentInScope(db, actor, id)
  const h = await householdInScope(db, actor, householdId)
  if (r.householdId === h.id && r.status === 'active') throw conflict('householdId: already lives there')
  await updateResidentRow(db, id, { householdId: h.id, gridId: h.gridId, gridPath: h.gridPath, sortKey: h.sortKey, status: 'active', ...(relation ? { relation } : {}) })
  await addEvent(db, { residentId: id, kind: 'moved', fromHouseholdId: r.householdId, toHouseholdId: h.id, actorName: actor.username })
  for (const scopePath of new Set([r.gridPath, h.gridPath])) {
    await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'resident.moved', targetType: 'resident', targetId: id, scopePath, ip: actor.ip })
  }
  return getResident(db, ring, actor, id, [])
}

/** Moves a person out of the deployment's households; the record and its history stay. */
export async function moveOut(db: Db, ring: Keyring, actor: Actor, id: string, reason: string): Promise<ResidentDetailOut> {
  authorize(actor, 'registry:write')
  const r = await residentInScope(db, actor, id)
  if (r.status === 'moved_out') throw conflict('status: already moved out')
  await updateResidentRow(db, id, { status: 'moved_out', householdId: null })
  await addEvent(db, { residentId: id, kind: 'moved_out', fromHouseholdId: r.householdId, actorName: actor.username, detail: { reason } })
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'resident.moved_out', targetType: 'resident', targetId: id, scopePath: r.gridPath, ip: actor.ip, reason })
  return getResident(db, ring, actor, id, [])
}

export async function setResidentTags(db: Db, ring: Keyring, actor: Actor, id: string, tags: string[]): Promise<ResidentDetailOut> {
  authorize(actor, 'registry:write')
  const r = await residentInScope(db, actor, id)
  const change = await replaceTags(db, id, [...new Set(tags)], actor.username)
  if (change.added.length || change.removed.length) {
    await addEvent(db, { residentId: id, kind: 'tags', actorName: actor.username, detail: change })
    await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'resident.tags', targetType: 'resident', targetId: id, scopePath: r.gridPath, ip: actor.ip, detail: change })
  }
  return getResident(db, ring, actor, id, [])
}

/** A search box string as the list query takes it: full phones and ID numbers become blind-index candidates. */
function residentSearch(ring: Keyring, q: string): ResidentSearch | undefined {
  const term = searchTermOf(q)
  if (!term) return undefined
  if (term.kind === 'phone') return { kind: 'phoneIndex', candidates: blindIndexCandidates(ring, term.value) }
  if (term.kind === 'idNumber') return { kind: 'idIndex', candidates: blindIndexCandidates(ring, term.value) }
  return term
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A keyset cursor of the resident list, or a 400 naming `after`: never a forged value into SQL. */
function parseResidentCursor(raw: string): [string, string, string] {
  let v: unknown
  try {
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    v = null
  }
  const ok = Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string' && x.length <= 400 && !x.includes('\u0000')) && UUID.test(v[2] as string)
  if (!ok) throw invalid('after', 'not a cursor from this list')
  return v as [string, string, string]
}

/** `reveal` is for exports only, which check pii:reveal and audit themselves. */
export async function listResidents(db: Db, ring: Keyring, actor: Actor, q: ResidentListQuery, today = new Date(), reveal: Reveal[] = []): Promise<{ items: ResidentOut[]; next: string | null }> {
  authorize(actor, 'registry:read')
  const bounds = q.minAge !== undefined || q.maxAge !== undefined ? birthBoundsForAges(q.minAge, q.maxAge, today) : {}
  const filter: ResidentFilter = {
    status: q.status,
    underPath: q.divisionId ? (await getDivision(db, actor, q.divisionId)).path : undefined,
    householdId: q.householdId,
    search: q.q ? residentSearch(ring, q.q) : undefined,
    tag: q.tag,
    residenceType: q.residenceType,
    bornFrom: bounds.from,
    bornTo: bounds.to,
  }
  const after = q.after ? parseResidentCursor(q.after) : null
  const found = await listResidentRows(db, actor, filter, after, q.limit)
  const tags = await tagsOf(db, found.map((r) => r.id))
  const items = found.map((r) => shape(ring, r, tags.filter((t) => t.residentId === r.id).map((t) => t.tag), reveal, today))
  const last = found[found.length - 1]
  const next = found.length === q.limit && last ? Buffer.from(JSON.stringify([last.gridPath, last.sortKey, last.id])).toString('base64url') : null
  return { items, next }
}

export interface CodeHolder {
  id: string
  name: string
  gridPath: string
  status: string
}

/** The resident behind a personal code, checked against the actor's scope (testing issues codes). */
export async function residentForCode(db: Db, actor: Actor, id: string): Promise<CodeHolder> {
  const r = await residentInScope(db, actor, id)
  if (r.status !== 'active') throw invalid('residentId', 'this resident has moved out')
  return { id: r.id, name: r.name, gridPath: r.gridPath, status: r.status }
}
