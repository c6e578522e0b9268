import { inArray, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import { assertPathInScope, pathInScope, type Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import { copyRowsWithin } from '../core/db/bulk.js'
import { uuidv7 } from '../core/ids.js'
import { blindIndexCandidates, decryptValue, sealField, type SealedField } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber } from '../core/pii/mask.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { household, resident, residentEvent, residentTag, unit } from './registry.tables.js'
import { checkIdentity, householdKeys, nameKeys, normalisePhone, personFields } from './registry.rules.js'
import { requestTransfer, typedOf } from './transfer.service.js'

/**
 * Bulk registration for roster imports: the same rules as registerResident (one person is one
 * resident; a known ID is a move or an update), applied a batch at a time in one transaction.
 */

const RESIDENT_COPY_COLUMNS = [
  'id', 'household_id', 'grid_id', 'grid_path', 'sort_key', 'name', 'name_pinyin', 'name_initials', 'id_type', 'id_enc', 'id_bidx', 'id_last4',
  'phone_enc', 'phone_bidx', 'phone_last4', 'sex', 'birth_date', 'relation', 'residence_type', 'employer', 'notes', 'status', 'created_at', 'updated_at',
] as const

export interface Place {
  householdId: string
  gridId: string
  gridPath: string
  sortKey: string
  label: string
}

export interface PlaceIndex {
  /** `${gridCode}|${building}|${unit}|${room}` and, where unambiguous, `*|${building}|${unit}|${room}`. */
  households: Map<string, Place>
  /** `${gridCode}|${building}` and `*|${building}` (undefined when ambiguous) → building. */
  buildings: Map<string, { id: string; code: string; gridId: string; gridPath: string } | undefined>
  /** grid code and grid name → grid. */
  grids: Map<string, { id: string; path: string; code: string }>
  target: { id: string; path: string; name: string }
}

/** Everything an import under `divisionId` may point at, loaded once. */
export async function loadPlaceIndex(db: Db, actor: Actor, divisionId: string): Promise<PlaceIndex> {
  authorize(actor, 'registry:write')
  const target = await findDivisionById(db, divisionId)
  if (!target) throw invalid('community', 'no such division')
  assertPathInScope(actor, { type: 'division', id: target.id, path: target.path })
  const prefix = target.path.replace(/[\\%_]/g, '\\$&') + '%'
  const grids = await rows<{ id: string; code: string; name: string; path: string }>(db, sql`select id, code, name, path from division where level = 'grid' and path like ${prefix}`)
  const gridById = new Map(grids.map((g) => [g.id, g]))
  const index: PlaceIndex = { households: new Map(), buildings: new Map(), grids: new Map(), target: { id: target.id, path: target.path, name: target.name } }
  for (const g of grids) {
    index.grids.set(g.code, { id: g.id, path: g.path, code: g.code })
    index.grids.set(g.name, { id: g.id, path: g.path, code: g.code })
    const local = g.code.split('-').pop()!
    if (!index.grids.has(local)) index.grids.set(local, { id: g.id, path: g.path, code: g.code })
  }
  const blds = await rows<{ id: string; code: string; grid_id: string; grid_path: string }>(db, sql`select id, code, grid_id, grid_path from building where grid_path like ${prefix}`)
  for (const b of blds) {
    const g = gridById.get(b.grid_id)!
    const entry = { id: b.id, code: b.code, gridId: b.grid_id, gridPath: b.grid_path }
    index.buildings.set(`${g.code}|${b.code}`, entry)
    index.buildings.set(`*|${b.code}`, index.buildings.has(`*|${b.code}`) ? undefined : entry)
  }
  const hs = await rows<{ id: string; grid_id: string; grid_path: string; sort_key: string; label: string; room: string; unit_code: string; building_code: string }>(
    db,
    sql`select h.id, h.grid_id, h.grid_path, h.sort_key, h.label, h.room, u.code as unit_code, b.code as building_code
        from household h join unit u on u.id = h.unit_id join building b on b.id = h.building_id where h.grid_path like ${prefix}`,
  )
  for (const h of hs) {
    const g = gridById.get(h.grid_id)!
    const place = { householdId: h.id, gridId: h.grid_id, gridPath: h.grid_path, sortKey: h.sort_key, label: h.label }
    index.households.set(`${g.code}|${h.building_code}|${h.unit_code}|${h.room}`, place)
    const any = `*|${h.building_code}|${h.unit_code}|${h.room}`
    if (index.buildings.get(`*|${h.building_code}`)) index.households.set(any, place)
  }
  return index
}

/** Finds (or, when allowed, creates) the household of a roster row. */
export async function resolvePlace(
  db: Db,
  index: PlaceIndex,
  p: { grid: string | undefined; building: string; unit: string; room: string },
  createMissing: boolean,
  dryRun = false,
): Promise<{ place: Place } | { field: 'grid' | 'building' | 'room'; reason: string }> {
  let gridCode = '*'
  if (p.grid) {
    const g = index.grids.get(p.grid)
    if (!g) return { field: 'grid', reason: `no grid "${p.grid}" in ${index.target.name}` }
    gridCode = g.code
  }
  const key = `${gridCode}|${p.building}|${p.unit}|${p.room}`
  const found = index.households.get(key)
  if (found) return { place: found }
  const b = index.buildings.get(`${gridCode}|${p.building}`)
  if (!b) {
    if (gridCode === '*' && index.buildings.has(`*|${p.building}`)) return { field: 'building', reason: `building ${p.building} exists in several grids; add a 网格 column` }
    if (!createMissing) return { field: 'building', reason: `building ${p.building} does not exist in ${index.target.name}; add it under 居民登记 → 批量建楼, or allow creating missing households` }
    if (gridCode === '*') return { field: 'grid', reason: `building ${p.building} is new: a 网格 column is needed to place it` }
    return { field: 'building', reason: 'creating buildings from a roster is not supported yet; add the building first' }
  }
  if (!createMissing) return { field: 'room', reason: `no room ${p.unit}单元${p.room} in building ${p.building}; add it, or allow creating missing households` }
  if (dryRun) {
    const keys = householdKeys(b.code, p.unit, p.room)
    const place = { householdId: `new:${key}`, gridId: b.gridId, gridPath: b.gridPath, sortKey: keys.sortKey, label: keys.label }
    index.households.set(key, place)
    return { place }
  }
  await db.insert(unit).values({ buildingId: b.id, code: p.unit }).onConflictDoNothing()
  const [u] = await rows<{ id: string }>(db, sql`select id from unit where building_id = ${b.id} and code = ${p.unit}`)
  const keys = householdKeys(b.code, p.unit, p.room)
  const floor = /^\d{3,4}$/.test(p.room) ? Number(p.room.slice(0, -2)) : null
  const [h] = await db
    .insert(household)
    .values({ unitId: u!.id, buildingId: b.id, gridId: b.gridId, gridPath: b.gridPath, room: p.room, floor, ...keys })
    .onConflictDoNothing()
    .returning({ id: household.id })
  const id = h?.id ?? (await rows<{ id: string }>(db, sql`select id from household where unit_id = ${u!.id} and room = ${p.room}`))[0]!.id
  const place = { householdId: id, gridId: b.gridId, gridPath: b.gridPath, sortKey: keys.sortKey, label: keys.label }
  index.households.set(key, place)
  return { place }
}

export interface RosterPerson {
  rowNo: number
  name: string
  idType: string | undefined
  idNumber: string
  phone: string | undefined
  sex: 'male' | 'female' | undefined
  birthDate: string | undefined
  relation: string | undefined
  residenceType: string
  employer: string | undefined
  notes: string | undefined
  tags: string[]
  place: Place
}

export interface CheckedPerson extends RosterPerson {
  idNumber: string
  phoneNormalised: string | null
  sexFinal: 'male' | 'female' | null
  birthFinal: string | null
  idTypeFinal: string
  repairs: string[]
  /** Ciphertexts, indexes and name keys, prepared before the batch's transaction. */
  prepared?: { id: SealedField; phone: SealedField | null; keys: { pinyin: string; initials: string }; candidates: string[] }
}

/**
 * The CPU-heavy part of registering (encryption, blind indexes, pinyin), done outside the
 * batch transaction so that it overlaps with the database writing the previous batch.
 */
export function prepareRosterPerson(ring: Keyring, p: CheckedPerson): CheckedPerson {
  p.prepared = {
    id: sealField(ring, p.idNumber),
    phone: p.phoneNormalised ? sealField(ring, p.phoneNormalised) : null,
    keys: nameKeys(p.name),
    candidates: blindIndexCandidates(ring, p.idNumber),
  }
  return p
}

/** The registration rules for one roster row: ID check, sex and birth date against it, phone. */
export function checkRosterPerson(p: RosterPerson, today = new Date()): { ok: true; person: CheckedPerson } | { ok: false; field: string; reason: string } {
  const id = checkIdentity({ idType: p.idType as never, idNumber: p.idNumber, sex: p.sex, birthDate: p.birthDate }, today)
  if (!id.ok) return { ok: false, field: id.field, reason: id.reason }
  const phone = normalisePhone(p.phone)
  if (!phone.ok) return { ok: false, field: 'phone', reason: phone.reason }
  return {
    ok: true,
    person: { ...p, idNumber: id.idNumber, phoneNormalised: phone.value, sexFinal: id.sex, birthFinal: id.birthDate, idTypeFinal: id.idType, repairs: id.repaired },
  }
}

export type Outcome = 'created' | 'moved' | 'updated' | 'unchanged' | 'conflict'

/**
 * Why a row was not applied. ID_REGISTERED_ELSEWHERE: the ID belongs to a resident outside the
 * caller's scope; the reason names no one and no place (the attempt is audited, masked).
 */
export interface RosterConflict {
  code: 'ID_NAME_MISMATCH' | 'ID_REGISTERED_ELSEWHERE'
  reason: string
}

export interface BatchResult {
  outcomes: Outcome[]
  /** Reasons for 'conflict' outcomes, by position in the batch. */
  conflicts: Map<number, RosterConflict>
  /** Transfer requests filed for rows registered outside the caller's scope (by position; not in dry runs). */
  transfers?: Map<number, string>
}

/**
 * Classifies a batch against the registry and, unless `dryRun`, writes it: inserts, moves
 * and updates with their history events and tags, and one audit entry for the batch. Must
 * run inside a transaction.
 */
export async function applyRosterBatch(
  tx: Db,
  ring: Keyring,
  actor: Actor,
  people: CheckedPerson[],
  opts: { dryRun: boolean; source: string },
): Promise<BatchResult> {
  authorize(actor, 'registry:write')
  const conflicts = new Map<number, RosterConflict>()
  const transfers = new Map<number, string>()
  const elsewhere: { row: number; id: string }[] = []
  if (people.length === 0) return { outcomes: [], conflicts }
  const candidates = people.map((p) => p.prepared?.candidates ?? blindIndexCandidates(ring, p.idNumber))
  // One array parameter, not a thousand: parsing and planning a long IN list cost more than the lookups.
  const existing = await tx.select().from(resident).where(sql`${resident.idBidx} = any(${sql.param(candidates.flat())}::text[])`)
  const byBidx = new Map(existing.map((r) => [r.idBidx!, r]))
  const existingTags = existing.length ? await tx.select().from(residentTag).where(inArray(residentTag.residentId, existing.map((r) => r.id))) : []
  const outcomes: Outcome[] = []
  const inserts: (typeof resident.$inferInsert)[] = []
  const events: (typeof residentEvent.$inferInsert)[] = []
  const tagRows: (typeof residentTag.$inferInsert)[] = []
  for (const [i, p] of people.entries()) {
    const fields = personFields(p, { idType: p.idTypeFinal, sex: p.sexFinal, birthDate: p.birthFinal }, p.prepared?.keys)
    const placeFields = { householdId: p.place.householdId, gridId: p.place.gridId, gridPath: p.place.gridPath, sortKey: p.place.sortKey, status: 'active' }
    const match = candidates[i]!.map((c) => byBidx.get(c)).find(Boolean)
    if (!match) {
      const id = uuidv7()
      const idSealed = p.prepared?.id ?? sealField(ring, p.idNumber)
      const phoneSealed = p.prepared ? p.prepared.phone : p.phoneNormalised ? sealField(ring, p.phoneNormalised) : null
      inserts.push({
        id,
        ...fields,
        ...placeFields,
        idEnc: idSealed.enc,
        idBidx: idSealed.bidx,
        idLast4: idSealed.last4,
        phoneEnc: phoneSealed?.enc ?? null,
        phoneBidx: phoneSealed?.bidx ?? null,
        phoneLast4: phoneSealed?.last4 ?? null,
      })
      events.push({ residentId: id, kind: 'registered', toHouseholdId: p.place.householdId, actorName: actor.username, detail: { source: opts.source, row: p.rowNo } })
      for (const tag of p.tags) tagRows.push({ residentId: id, tag, setBy: actor.username })
      // A later row of the same batch with the same person is rejected before this point.
      outcomes.push('created')
      continue
    }
    if (!pathInScope(actor, match.gridPath)) {
      // Someone registered outside the caller's scope: neither named nor moved by a roster.
      // (A move from another community is a transfer both sides see, not a roster row.)
      // Not a dry run: a transfer request (the registry's requestTransfer, as the form files it).
      const transfer = opts.dryRun
        ? null
        : await requestTransfer(tx, ring, actor, { existing: match, to: p.place, typed: typedOf(fields, p.tags), phone: p.phoneNormalised, source: opts.source })
      if (transfer) transfers.set(i, transfer.id)
      conflicts.set(i, {
        code: 'ID_REGISTERED_ELSEWHERE',
        reason: transfer
          ? 'this ID number is registered outside your area; a transfer request was filed, which the community where the person is registered confirms or disputes'
          : 'this ID number is registered outside your area; importing files a transfer request, which the community where the person is registered confirms or disputes',
      })
      elsewhere.push({ row: p.rowNo, id: maskIdNumber(p.idNumber) })
      outcomes.push('conflict')
      continue
    }
    if (match.name !== p.name) {
      // Same ID, another name: a typo in one of them, not a rename by roster.
      conflicts.set(i, { code: 'ID_NAME_MISMATCH', reason: `this ID number is registered to ${match.name}; check the ID or the name (names are changed on the resident's page)` })
      outcomes.push('conflict')
      continue
    }
    const moved = match.householdId !== p.place.householdId || match.status !== 'active'
    const oldPhone = match.phoneEnc ? decryptValue(ring, match.phoneEnc) : null
    const tagsNow = existingTags.filter((t) => t.residentId === match.id).map((t) => t.tag)
    const tagsChanged = p.tags.length > 0 && (p.tags.some((t) => !tagsNow.includes(t)))
    const fieldChanged = (Object.keys(fields) as (keyof typeof fields)[]).some((k) => (match[k] ?? null) !== (fields[k] ?? null))
    if (!moved && !fieldChanged && oldPhone === p.phoneNormalised && !tagsChanged) {
      outcomes.push('unchanged')
      continue
    }
    outcomes.push(moved ? 'moved' : 'updated')
    if (opts.dryRun) continue
    const phoneSealed = p.phoneNormalised && oldPhone !== p.phoneNormalised ? sealField(ring, p.phoneNormalised) : null
    await tx
      .update(resident)
      .set({
        ...fields,
        ...placeFields,
        ...(oldPhone !== p.phoneNormalised ? { phoneEnc: phoneSealed?.enc ?? null, phoneBidx: phoneSealed?.bidx ?? null, phoneLast4: phoneSealed?.last4 ?? null } : {}),
        updatedAt: new Date(),
      })
      .where(sql`${resident.id} = ${match.id}`)
    events.push({
      residentId: match.id,
      kind: moved ? 'moved' : 'updated',
      fromHouseholdId: moved ? match.householdId : null,
      toHouseholdId: moved ? p.place.householdId : null,
      actorName: actor.username,
      detail: { source: opts.source, row: p.rowNo },
    })
    // Roster tags add to what the registry knows; they never silently remove a tag someone set.
    for (const tag of p.tags) if (!tagsNow.includes(tag)) tagRows.push({ residentId: match.id, tag, setBy: actor.username })
  }
  if (elsewhere.length) {
    // Dry runs too: probing IDs of other areas is what this entry is for.
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.import_id_elsewhere',
      targetType: 'import',
      targetId: opts.source,
      scopePath: people[0]!.place.gridPath,
      ip: actor.ip,
      detail: { dryRun: opts.dryRun, rows: elsewhere.map((e) => e.row), ids: elsewhere.map((e) => e.id) },
    })
  }
  if (opts.dryRun) return { outcomes, conflicts }
  // COPY on the transaction's connection: bulk-load speed, and all-or-nothing with the batch.
  const now = new Date()
  await copyRowsWithin(
    tx,
    'resident',
    RESIDENT_COPY_COLUMNS,
    inserts.map((r) => [
      r.id, r.householdId, r.gridId, r.gridPath, r.sortKey, r.name, r.namePinyin, r.nameInitials, r.idType, r.idEnc, r.idBidx, r.idLast4,
      r.phoneEnc, r.phoneBidx, r.phoneLast4, r.sex, r.birthDate, r.relation, r.residenceType, r.employer, r.notes, 'active', now, now,
    ]),
  )
  await copyRowsWithin(tx, 'resident_event', ['resident_id', 'kind', 'from_household_id', 'to_household_id', 'actor_name', 'detail', 'at'], events.map((e) => [e.residentId, e.kind, e.fromHouseholdId, e.toHouseholdId, e.actorName, e.detail, now]))
  await copyRowsWithin(tx, 'resident_tag', ['resident_id', 'tag', 'set_by', 'set_at'], tagRows.map((t) => [t.residentId, t.tag, t.setBy, now]))
  const count = (o: Outcome): number => outcomes.filter((x) => x === o).length
  if (count('created') + count('moved') + count('updated') > 0) {
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'registry.import_batch',
      targetType: 'import',
      targetId: opts.source,
      scopePath: people[0]!.place.gridPath,
      ip: actor.ip,
      detail: { rows: [people[0]!.rowNo, people[people.length - 1]!.rowNo], created: count('created'), moved: count('moved'), updated: count('updated') },
    })
  }
  return { outcomes, conflicts, ...(transfers.size ? { transfers } : {}) }
}

