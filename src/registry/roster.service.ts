import type { Db, Tx } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import type { Actor } from '../core/auth/actor.js'
import { assertPathInScope, pathInScope } from '../core/scope/scope.js'
import { audit } from '../core/audit/audit.service.js'
import { uuidv7 } from '../core/ids.js'
import { parseDocument, parsePhone, type IdDocumentType } from '../core/pii/identifiers.js'
import {
  blindIndexCandidates,
  decryptValue,
  sealField,
  type SealedField,
} from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber } from '../core/pii/mask.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import {
  buildingNameOf,
  checkIdentity,
  householdKeys,
  nameKeys,
  normalisePhone,
  personFields,
  type PersonFields,
} from './registry.rules.js'
import {
  addBuilding,
  addGrid,
  addHousehold,
  classifyMatch,
  emptyPlaceIndex,
  floorOfRoom,
  type GridRef,
  type Located,
  type Place,
  type PlaceIndex,
  type RosterAddress,
} from './roster.rules.js'
import {
  applyRosterHouseholdFacts,
  buildingsUnder,
  copyRosterBatch,
  ensureBuilding,
  ensureHousehold,
  gridsUnder,
  householdPlacesUnder,
  residentsByIdIndex,
  tagsOfResidents,
  updateResidentById,
  type ResidentEventInsert,
  type ResidentInsert,
  type ResidentRow,
  type ResidentTagInsert,
} from './roster.repo.js'
import { requestTransfer, typedOf } from './transfer.service.js'
import { LIFE_STATUSES, type HouseholdOccupancy } from './registry.vocab.js'
import { localDate } from '../core/clock.js'

/**
 * Bulk registration for roster imports: the same rules as registerResident (one person is one
 * resident; a known ID is a move or an update), applied a batch at a time in one transaction.
 * The decisions are in roster.rules.ts; this file reads and writes around them.
 */

export type { Place, PlaceIndex, PlaceReason, RosterAddress, Located } from './roster.rules.js'
export { locate, creationAllowed, buildingRepeats } from './roster.rules.js'
/** How a roster's building cell is read (imports): a group written one way, and what a code is. */
export { buildingKindOf, buildingNameOf, villagerGroupCode } from './registry.rules.js'

/** A reason as data: a catalogue code (imports.messages.ts), the field at fault and params. */
export interface RosterReason {
  code: string
  field: string
  params?: Record<string, string | number>
}

/** Everything an import under `divisionId` may point at, loaded once. */
export async function loadPlaceIndex(
  db: Db,
  actor: Actor,
  divisionId: string,
): Promise<PlaceIndex> {
  authorize(actor, 'registry:write')
  const target = await findDivisionById(db, divisionId)
  if (!target) throw invalid('divisionId', 'IMPORT_DIVISION_NOT_FOUND')
  assertPathInScope(actor, { type: 'division', id: target.id, path: target.path })
  const grids = await gridsUnder(db, target.path)
  const gridById = new Map<string, GridRef>(grids.map((g) => [g.id, g]))
  const index = emptyPlaceIndex(
    { id: target.id, path: target.path, name: target.name },
    target.level === 'grid' ? gridById.get(target.id) : undefined,
  )
  for (const g of grids) addGrid(index, g)
  for (const b of await buildingsUnder(db, target.path))
    addBuilding(index, gridById.get(b.gridId)!, b)
  for (const h of await householdPlacesUnder(db, target.path)) {
    const place: Place = {
      householdId: h.id,
      gridId: h.gridId,
      gridPath: h.gridPath,
      sortKey: h.sortKey,
      label: h.label,
    }
    addHousehold(
      index,
      gridById.get(h.gridId)!.code,
      { building: h.buildingCode, unit: h.unitCode, room: h.room },
      place,
    )
  }
  return index
}

/**
 * Creates what a located row needs (a building in a named grid, a unit, a household) and
 * returns its place; in a dry run the place is only remembered, so later rows find it too.
 */
export async function createPlace(
  db: Db,
  index: PlaceIndex,
  located: Extract<Located, { kind: 'newHousehold' | 'newBuilding' }>,
  a: RosterAddress,
  dryRun: boolean,
): Promise<{ place: Place; buildingCreated: boolean }> {
  const grid =
    located.kind === 'newBuilding'
      ? located.grid
      : [...index.grids.values()].find((g) => g.id === located.building.gridId)!
  const keys = householdKeys(a.building, a.unit, a.room)
  if (dryRun) {
    if (located.kind === 'newBuilding')
      addBuilding(index, grid, {
        id: `new:${grid.code}|${a.building}`,
        code: a.building,
        gridId: grid.id,
        gridPath: grid.path,
      })
    const place: Place = {
      householdId: `new:${located.key}`,
      gridId: grid.id,
      gridPath: grid.path,
      sortKey: keys.sortKey,
      label: keys.label,
    }
    addHousehold(index, grid.code, a, place)
    return { place, buildingCreated: located.kind === 'newBuilding' }
  }
  const b =
    located.kind === 'newBuilding'
      ? await ensureBuilding(db, {
          gridId: grid.id,
          gridPath: grid.path,
          code: a.building,
          name: buildingNameOf(a.building),
        })
      : located.building
  if (located.kind === 'newBuilding') addBuilding(index, grid, b)
  const id = await ensureHousehold(db, {
    buildingId: b.id,
    gridId: b.gridId,
    gridPath: b.gridPath,
    unitCode: a.unit,
    room: a.room,
    floor: floorOfRoom(a.room),
    ...keys,
  })
  const place: Place = {
    householdId: id,
    gridId: b.gridId,
    gridPath: b.gridPath,
    sortKey: keys.sortKey,
    label: keys.label,
  }
  addHousehold(index, grid.code, a, place)
  return { place, buildingCreated: located.kind === 'newBuilding' }
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
  /** 户籍地 as written; undefined leaves what the registry has. */
  hukouAddress?: string | undefined
  /** 人员状态 a roster may set; undefined: active (as a roster row always was). */
  lifeStatus?: 'active' | 'away_long' | 'hukou_only' | undefined
  /** 去向: where someone away long-term is, or where a 户在人不在 person lives. */
  statusPlace?: string | undefined
  /** 户代表: this person is the household's representative. */
  representative?: boolean | undefined
  /** 房屋状态 of the person's household (以房管人), never 集体户 (its page asks kind and name). */
  occupancy?: Exclude<HouseholdOccupancy, 'collective'> | undefined
  place: Place
}

export interface CheckedPerson extends RosterPerson {
  idNumber: string
  phoneNormalised: string | null
  sexFinal: 'male' | 'female' | null
  birthFinal: string | null
  idTypeFinal: string
  repairs: RosterReason[]
  /** Ciphertexts, indexes and name keys, prepared before the batch's transaction. */
  prepared?: {
    id: SealedField
    phone: SealedField | null
    keys: { pinyin: string; initials: string }
    candidates: string[]
  }
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

/** The coded reason of an ID number the identity check refused. */
function idNumberReason(idType: string | undefined, idNumber: string, today: Date): RosterReason {
  const r = parseDocument((idType ?? 'resident_id') as IdDocumentType, idNumber, today)
  if (!r.ok) return { code: r.code, field: 'idNumber', ...(r.params ? { params: r.params } : {}) }
  return { code: 'ID_FORMAT', field: 'idNumber' }
}

/**
 * The registration rules for one roster row: ID check, sex and birth date against it, phone.
 * Every problem is reported, not only the first.
 */
export function checkRosterPerson(
  p: RosterPerson,
  today = new Date(),
): { ok: true; person: CheckedPerson } | { ok: false; reasons: RosterReason[] } {
  const reasons: RosterReason[] = []
  const id = checkIdentity(
    { idType: p.idType as never, idNumber: p.idNumber, sex: p.sex, birthDate: p.birthDate },
    today,
  )
  if (!id.ok) {
    if (id.field === 'idNumber') reasons.push(idNumberReason(p.idType, p.idNumber, today))
    else {
      const parsed = parseDocument((p.idType ?? 'resident_id') as IdDocumentType, p.idNumber, today)
      const said = parsed.ok ? parsed.value : undefined
      if (id.field === 'sex')
        reasons.push({
          code: said?.sex === 'female' ? 'ROW_SEX_SAYS_FEMALE' : 'ROW_SEX_SAYS_MALE',
          field: 'sex',
        })
      else
        reasons.push({
          code: 'ROW_BIRTH_MISMATCH',
          field: 'birthDate',
          params: { expected: said?.birthDate ?? '' },
        })
    }
  }
  const phone = normalisePhone(p.phone)
  if (!phone.ok) {
    const r = parsePhone(p.phone ?? '')
    reasons.push(
      r.ok
        ? { code: 'PHONE_DIGITS', field: 'phone' }
        : { code: r.code, field: 'phone', ...(r.params ? { params: r.params } : {}) },
    )
  }
  if (!id.ok || !phone.ok) return { ok: false, reasons }
  return {
    ok: true,
    person: {
      ...p,
      idNumber: id.idNumber,
      phoneNormalised: phone.value,
      sexFinal: id.sex,
      birthFinal: id.birthDate,
      idTypeFinal: id.idType,
      repairs: id.repaired.some((r) => r.includes('15-digit'))
        ? [{ code: 'REPAIR_ID_15_TO_18', field: 'idNumber' }]
        : [],
    },
  }
}

export type Outcome = 'created' | 'moved' | 'updated' | 'unchanged' | 'conflict'

/** The statuses a person keeps living in their household with (a roster may set them). */
const LIVING: readonly string[] = LIFE_STATUSES.filter((s) => s !== 'deceased')

/**
 * The status columns a roster row sets, and how they compare with the registry's. Without a
 * 人员状态 cell the row says "lives here" (active), as a roster row always did; with one, a
 * change between living statuses is an update (since today), not a move back in.
 */
function statusOf(
  p: CheckedPerson,
  match: ResidentRow | undefined,
  today: string,
): {
  fields: { status: string; statusOn: string | null; statusPlace: string | null }
  living: boolean
  changed: boolean
} {
  const wanted = p.lifeStatus ?? 'active'
  const place = wanted === 'active' ? null : (p.statusPlace ?? null)
  const same = match?.status === wanted
  const changed = !!match && (!same || (match.statusPlace ?? null) !== place)
  return {
    fields: {
      status: wanted,
      statusOn: wanted === 'active' ? null : same ? (match.statusOn ?? today) : today,
      statusPlace: place,
    },
    living: same || (p.lifeStatus !== undefined && LIVING.includes(match?.status ?? '')),
    changed,
  }
}

/** 房屋状态 and 户代表 named by a batch's rows, the last row of a household winning. */
class HouseholdFacts {
  private occupancy = new Map<string, string>()
  private representatives = new Map<string, string>()
  note(p: RosterPerson, residentId: string): void {
    if (p.occupancy) this.occupancy.set(p.place.householdId, p.occupancy)
    if (p.representative && (p.lifeStatus ?? 'active') === 'active')
      this.representatives.set(p.place.householdId, residentId)
  }
  writes(): Parameters<typeof applyRosterHouseholdFacts>[1] {
    return {
      occupancy: [...this.occupancy].map(([householdId, occupancy]) => ({
        householdId,
        occupancy,
      })),
      representatives: [...this.representatives].map(([householdId, residentId]) => ({
        householdId,
        residentId,
      })),
    }
  }
}

/**
 * Why a row was not applied. ID_REGISTERED_ELSEWHERE(_DRY_RUN): the ID belongs to a resident
 * outside the caller's scope; the reason names no one and no place (the attempt is audited, masked).
 */
export interface RosterConflict {
  code: 'ID_NAME_MISMATCH' | 'ID_REGISTERED_ELSEWHERE' | 'ID_REGISTERED_ELSEWHERE_DRY_RUN'
  params?: Record<string, string>
}

export interface BatchResult {
  outcomes: Outcome[]
  /** Reasons for 'conflict' outcomes, by position in the batch. */
  conflicts: Map<number, RosterConflict>
  /** Transfer requests filed for rows registered outside the caller's scope (by position; not in dry runs). */
  transfers?: Map<number, string>
}

/** What a batch writes, collected while its rows are classified. */
interface BatchWrites {
  inserts: ResidentInsert[]
  events: ResidentEventInsert[]
  tags: ResidentTagInsert[]
  /** Rows whose ID is registered outside the caller's scope (masked), for the audit entry. */
  elsewhere: { row: number; id: string }[]
}

/** The residents the batch's ID numbers already belong to, and their tags. */
async function knownResidents(
  tx: Db,
  candidates: string[][],
): Promise<{ byBidx: Map<string, ResidentRow>; tagsOf: (id: string) => string[] }> {
  // One array parameter, not a thousand: parsing and planning a long IN list cost more than the lookups.
  const existing = await residentsByIdIndex(tx, candidates.flat())
  const tags = await tagsOfResidents(
    tx,
    existing.map((r) => r.id),
  )
  return {
    byBidx: new Map(existing.map((r) => [r.idBidx!, r])),
    tagsOf: (id) => tags.filter((t) => t.residentId === id).map((t) => t.tag),
  }
}

function newResident(
  ring: Keyring,
  p: CheckedPerson,
  fields: PersonFields,
  placeFields: Partial<ResidentInsert>,
): ResidentInsert {
  const idSealed = p.prepared?.id ?? sealField(ring, p.idNumber)
  const phoneSealed = p.prepared
    ? p.prepared.phone
    : p.phoneNormalised
      ? sealField(ring, p.phoneNormalised)
      : null
  return {
    id: uuidv7(),
    ...fields,
    ...placeFields,
    gridPath: p.place.gridPath,
    sortKey: p.place.sortKey,
    idEnc: idSealed.enc,
    idBidx: idSealed.bidx,
    idLast4: idSealed.last4,
    phoneEnc: phoneSealed?.enc ?? null,
    phoneBidx: phoneSealed?.bidx ?? null,
    phoneLast4: phoneSealed?.last4 ?? null,
  }
}

/** Updates a known resident in scope (a move or an update) with its history event and any new tags. */
async function updateKnownResident(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  w: BatchWrites,
  a: {
    match: ResidentRow
    p: CheckedPerson
    fields: PersonFields
    placeFields: Partial<ResidentInsert>
    oldPhone: string | null
    tagsNow: string[]
    moved: boolean
    source: string
  },
): Promise<void> {
  const { match, p } = a
  const phoneSealed =
    p.phoneNormalised && a.oldPhone !== p.phoneNormalised
      ? sealField(ring, p.phoneNormalised)
      : null
  await updateResidentById(tx, match.id, {
    ...a.fields,
    ...a.placeFields,
    ...(a.oldPhone !== p.phoneNormalised
      ? {
          phoneEnc: phoneSealed?.enc ?? null,
          phoneBidx: phoneSealed?.bidx ?? null,
          phoneLast4: phoneSealed?.last4 ?? null,
        }
      : {}),
    updatedAt: new Date(),
  })
  w.events.push({
    residentId: match.id,
    kind: a.moved ? 'moved' : 'updated',
    fromHouseholdId: a.moved ? match.householdId : null,
    toHouseholdId: a.moved ? p.place.householdId : null,
    actorName: actor.username,
    detail: { source: a.source, row: p.rowNo },
  })
  // Roster tags add to what the registry knows; they never silently remove a tag someone set.
  for (const tag of p.tags)
    if (!a.tagsNow.includes(tag)) w.tags.push({ residentId: match.id, tag, setBy: actor.username })
}

/**
 * Classifies a batch against the registry and, unless `dryRun`, writes it: inserts, moves
 * and updates with their history events and tags, and one audit entry for the batch.
 */
export async function applyRosterBatch(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  people: CheckedPerson[],
  opts: { dryRun: boolean; source: string },
): Promise<BatchResult> {
  authorize(actor, 'registry:write')
  const conflicts = new Map<number, RosterConflict>()
  const transfers = new Map<number, string>()
  if (people.length === 0) return { outcomes: [], conflicts }
  const candidates = people.map(
    (p) => p.prepared?.candidates ?? blindIndexCandidates(ring, p.idNumber),
  )
  const known = await knownResidents(tx, candidates)
  const outcomes: Outcome[] = []
  const w: BatchWrites = { inserts: [], events: [], tags: [], elsewhere: [] }
  const facts = new HouseholdFacts()
  const today = localDate(new Date())
  for (const [i, p] of people.entries()) {
    const fields: PersonFields & { hukouAddress?: string } = {
      ...personFields(
        p,
        { idType: p.idTypeFinal, sex: p.sexFinal, birthDate: p.birthFinal },
        p.prepared?.keys,
      ),
      // 户籍地: set when the roster has it, never cleared by a roster without it.
      ...(p.hukouAddress ? { hukouAddress: p.hukouAddress } : {}),
    }
    const match = candidates[i]!.map((c) => known.byBidx.get(c)).find(Boolean)
    const status = statusOf(p, match, today)
    const placeFields = {
      householdId: p.place.householdId,
      gridId: p.place.gridId,
      gridPath: p.place.gridPath,
      sortKey: p.place.sortKey,
      ...status.fields,
    }
    const oldPhone = match?.phoneEnc ? decryptValue(ring, match.phoneEnc) : null
    const tagsNow = match ? known.tagsOf(match.id) : []
    const kind = classifyMatch({
      exists: !!match,
      inScope: !!match && pathInScope(actor, match.gridPath),
      sameName: match?.name === p.name,
      sameHousehold: match?.householdId === p.place.householdId,
      active: status.living,
      statusChanged: status.changed,
      fieldsChanged:
        !!match &&
        (Object.keys(fields) as (keyof PersonFields)[]).some(
          (k) => (match[k] ?? null) !== (fields[k] ?? null),
        ),
      phoneChanged: oldPhone !== p.phoneNormalised,
      tagsAdded: p.tags.some((t) => !tagsNow.includes(t)),
    })
    if (kind === 'new') {
      const r = newResident(ring, p, fields, placeFields)
      w.inserts.push(r)
      w.events.push({
        residentId: r.id!,
        kind: 'registered',
        toHouseholdId: p.place.householdId,
        actorName: actor.username,
        detail: { source: opts.source, row: p.rowNo },
      })
      for (const tag of p.tags) w.tags.push({ residentId: r.id!, tag, setBy: actor.username })
      facts.note(p, r.id!)
      // A later row of the same batch with the same person is rejected before this point.
      outcomes.push('created')
    } else if (kind === 'elsewhere') {
      // A move from another community is a transfer both sides see, not a roster row: a real
      // import files the request, as the registration form does.
      const transfer = opts.dryRun
        ? null
        : await requestTransfer(tx, ring, actor, {
            existing: match!,
            to: p.place,
            typed: typedOf(fields, p.tags),
            phone: p.phoneNormalised,
            source: opts.source,
          })
      if (transfer) transfers.set(i, transfer.id)
      conflicts.set(i, {
        code: transfer ? 'ID_REGISTERED_ELSEWHERE' : 'ID_REGISTERED_ELSEWHERE_DRY_RUN',
      })
      w.elsewhere.push({ row: p.rowNo, id: maskIdNumber(p.idNumber) })
      outcomes.push('conflict')
    } else if (kind === 'nameMismatch') {
      conflicts.set(i, { code: 'ID_NAME_MISMATCH', params: { name: match!.name } })
      outcomes.push('conflict')
    } else {
      outcomes.push(kind)
      facts.note(p, match!.id)
      if (kind !== 'unchanged' && !opts.dryRun)
        await updateKnownResident(tx, ring, actor, w, {
          match: match!,
          p,
          fields,
          placeFields,
          oldPhone,
          tagsNow,
          moved: kind === 'moved',
          source: opts.source,
        })
    }
  }
  const target = { type: 'import', id: opts.source, path: people[0]!.place.gridPath }
  // Dry runs too: probing IDs of other areas is what this entry is for.
  if (w.elsewhere.length)
    await audit(tx, actor, 'registry.import_id_elsewhere', target, {
      detail: {
        dryRun: opts.dryRun,
        rows: w.elsewhere.map((e) => e.row),
        ids: w.elsewhere.map((e) => e.id),
      },
    })
  if (opts.dryRun) return { outcomes, conflicts }
  await copyRosterBatch(tx, { residents: w.inserts, events: w.events, tags: w.tags }, new Date())
  const households = await applyRosterHouseholdFacts(tx, facts.writes())
  const count = (o: Outcome): number => outcomes.filter((x) => x === o).length
  if (count('created') + count('moved') + count('updated') + households > 0) {
    await audit(tx, actor, 'registry.import_batch', target, {
      detail: {
        rows: [people[0]!.rowNo, people[people.length - 1]!.rowNo],
        created: count('created'),
        moved: count('moved'),
        updated: count('updated'),
        households,
      },
    })
  }
  return { outcomes, conflicts, ...(transfers.size ? { transfers } : {}) }
}
