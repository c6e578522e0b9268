import type { Db, Tx } from '../core/db/db.js'
import { conflict, invalid, notFound } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { pathInScope } from '../core/scope/scope.js'
import { audit, registerAuditTargetLabeler } from '../core/audit/audit.service.js'
import { blindIndexCandidates, decryptValue } from '../core/pii/crypto.js'
import type { IdDocumentType } from '../core/pii/identifiers.js'
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
  insertResident,
  listBuildingsOfGrid,
  listHouseholdsOfUnit,
  listResidentRows,
  listUnitsOfBuilding,
  replaceTags,
  residentNames,
  tagsOf,
  updateResidentRow,
  clearRepresentative,
  upsertBuilding,
  upsertUnit,
  type HouseholdInsert,
  type HouseholdRow,
  type ResidentCursor,
  type ResidentFilter,
  type ResidentInsert,
  type ResidentListRow,
  type ResidentRow,
  type ResidentSearch,
  setHouseholdFactsRow,
  type HouseholdFactsPatch,
  type HouseholdListRow,
} from './registry.repo.js'
import { residentPresenceOf } from './presence.service.js'
import {
  ageOn,
  birthBoundsForAges,
  checkIdentity,
  checkRegionCode,
  decideLifeStatus,
  separationOf,
  buildingKindOf,
  buildingNameOf,
  householdKeys,
  villagerGroupCode,
  nameKeys,
  normalisePhone,
  personFields,
  searchTermOf,
} from './registry.rules.js'
import type {
  BuildingLayoutIn,
  BuildingLayoutOut,
  BuildingOut,
  HouseholdOut,
  RegisterOutcome,
  RegisterResidentIn,
  ResidentDetailOut,
  ResidentListQuery,
  ResidentOut,
  ResidentPage,
  Reveal,
  UnitOut,
  UpdateResidentIn,
  HouseholdOccupancyIn,
  HouseholdLandlordOut,
  HouseholdFactsOut,
  HouseholdLandlordAnswer,
  ResidentStatusIn,
} from './registry.schema.js'
import { localDate } from '../core/clock.js'
import { requestTransfer, typedOf } from './transfer.service.js'
import { sealedIdColumns, sealedPhoneColumns } from './registry.seal.js'
import { LET_OCCUPANCIES, type BuildingKind, type CollectiveKind } from './registry.vocab.js'

export type { Reveal }
/** A new building's name from its code ("12栋", "3组"): for the CLI's answer. */
export { buildingNameOf } from './registry.rules.js'

/** The sortable form of an address, for code that builds households in bulk. */
export function householdSortKey(building: string, unit: string, room: string): string {
  return householdKeys(building, unit, room).sortKey
}

registerAuditTargetLabeler('resident', async (db, ids) => {
  const found = await residentNames(db, ids)
  return new Map(found.map((r) => [r.id, { label: r.name, paths: [r.gridPath] }]))
})

/** More households than one layout may create at once. */
const LAYOUT_MAX = 20_000

// Buildings, units, households

/** "Building 12, units 1–3, floors 1–18, rooms 01–04": creates what is missing, idempotently. */
export async function createBuildingLayout(
  tx: Tx,
  actor: Actor,
  input: BuildingLayoutIn,
): Promise<BuildingLayoutOut> {
  authorize(actor, 'registry:write')
  const grid = await findDivisionById(tx, input.gridId)
  if (!grid || grid.level !== 'grid') throw invalid('gridId', 'NOT_A_GRID')
  requireAccess(actor, 'registry:write', { type: 'division', id: grid.id, path: grid.path })
  const kind = input.kind ?? 'block'
  const code = buildingCodeOf(kind, input.building)
  const rooms = roomsOf(kind, input)
  const count = (input.units[1] - input.units[0] + 1) * rooms.length
  if (count > LAYOUT_MAX) throw invalid('units', 'LAYOUT_TOO_LARGE', { count, max: LAYOUT_MAX })
  const b = await upsertBuilding(tx, {
    gridId: grid.id,
    gridPath: grid.path,
    code,
    name: input.buildingName ?? buildingNameOf(code),
  })
  const values: HouseholdInsert[] = []
  for (let u = input.units[0]; u <= input.units[1]; u++) {
    const unitId = await upsertUnit(tx, b.id, String(u))
    for (const [room, floor] of rooms) {
      values.push({
        unitId,
        buildingId: b.id,
        gridId: grid.id,
        gridPath: grid.path,
        room,
        floor,
        ...householdKeys(b.code, String(u), room),
      })
    }
  }
  let created = 0
  for (let i = 0; i < values.length; i += 1000)
    created += await insertHouseholds(tx, values.slice(i, i + 1000))
  await audit(
    tx,
    actor,
    'registry.building_layout',
    { type: 'division', id: grid.id, path: grid.path },
    {
      detail: {
        building: b.code,
        kind,
        units: input.units,
        floors: input.floors,
        rooms: input.roomsPerFloor,
        created,
      },
    },
  )
  return { buildingId: b.id, households: values.length, created }
}

/**
 * The code a layout's building is stored under, of the kind chosen: a villager group's in one
 * form ("第三村民小组" → "3组"); a name whose kind says otherwise is refused, naming both.
 */
function buildingCodeOf(kind: BuildingKind, raw: string): string {
  const code = kind === 'villager_group' ? (villagerGroupCode(raw) ?? raw) : raw
  const looksLike = buildingKindOf(code)
  if (looksLike !== kind)
    throw invalid('building', 'BUILDING_KIND_MISMATCH', { code, kind, looksLikeKind: looksLike })
  return code
}

/**
 * The rooms of each unit: a block's floors × rooms per floor ("1201"); a house one household
 * (room ""), or, for a self-built house let room by room, its floors × rooms ("201").
 */
function roomsOf(
  kind: BuildingKind,
  input: BuildingLayoutIn,
): [room: string, floor: number | null][] {
  const { floors, roomsPerFloor } = input
  if (!floors !== !roomsPerFloor)
    throw invalid(floors ? 'roomsPerFloor' : 'floors', 'LAYOUT_FLOORS_AND_ROOMS')
  if (!floors || !roomsPerFloor) {
    if (kind === 'block') throw invalid('floors', 'LAYOUT_FLOORS_REQUIRED')
    return [['', null]]
  }
  const out: [string, number][] = []
  for (let f = floors[0]; f <= floors[1]; f++)
    for (let r = roomsPerFloor[0]; r <= roomsPerFloor[1]; r++)
      out.push([`${f}${String(r).padStart(2, '0')}`, f])
  return out
}

export async function listBuildings(db: Db, actor: Actor, gridId: string): Promise<BuildingOut[]> {
  requireAccess(actor, 'registry:read')
  const found = await listBuildingsOfGrid(db, gridId, actor)
  return found.map((b) => ({ ...b, kind: buildingKindOf(b.code) }))
}

export async function listUnits(db: Db, actor: Actor, buildingId: string): Promise<UnitOut[]> {
  requireAccess(actor, 'registry:read')
  const found = await listUnitsOfBuilding(db, buildingId, actor)
  return found.map(({ buildingCode, ...u }) => ({ ...u, kind: buildingKindOf(buildingCode) }))
}

export async function listHouseholds(
  db: Db,
  ring: Keyring,
  actor: Actor,
  unitId: string,
): Promise<HouseholdOut[]> {
  requireAccess(actor, 'registry:read')
  const rows = await listHouseholdsOfUnit(db, unitId, actor)
  return rows.map((h) => householdView(ring, h))
}

function landlordView(
  ring: Keyring,
  h: Pick<
    HouseholdListRow,
    'landlordName' | 'landlordKind' | 'landlordPhoneEnc' | 'tenancyStart' | 'tenancyEnd'
  >,
): HouseholdLandlordOut {
  if (!h.landlordName) return null
  return {
    name: h.landlordName,
    kind: h.landlordKind as NonNullable<HouseholdLandlordOut>['kind'],
    phone: h.landlordPhoneEnc ? maskPhone(decryptValue(ring, h.landlordPhoneEnc)) : null,
    tenancyStart: h.tenancyStart,
    tenancyEnd: h.tenancyEnd,
  }
}

function collectiveView(
  h: Pick<HouseholdListRow, 'collectiveKind' | 'collectiveName'>,
): HouseholdOut['collective'] {
  return h.collectiveKind && h.collectiveName
    ? { kind: h.collectiveKind as CollectiveKind, name: h.collectiveName }
    : null
}

function householdView(ring: Keyring, h: HouseholdListRow): HouseholdOut {
  const {
    landlordName,
    landlordKind,
    landlordPhoneEnc,
    tenancyStart,
    tenancyEnd,
    collectiveKind,
    collectiveName,
    ...rest
  } = h
  return {
    ...rest,
    collective: collectiveView({ collectiveKind, collectiveName }),
    landlord: landlordView(ring, {
      landlordName,
      landlordKind,
      landlordPhoneEnc,
      tenancyStart,
      tenancyEnd,
    }),
  }
}

/**
 * 以房管人: records whether a household is lived in by its owner, rented, vacant, group-rented
 * a shop or a collective household (集体户: a dormitory, a site's camp, a care home, named). A vacant household's registered people leave the round populations (missed
 * list, progress). For 出租 / 群租 it also records who lets the flat (房东 or 二房东: name, phone
 * sealed like a resident's, the tenancy's dates); another occupancy clears that contact. The
 * 户代表 must be one of the household's active residents. Audited under the household, the
 * landlord's phone never in the detail.
 */
export async function setHouseholdOccupancy(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: HouseholdOccupancyIn,
): Promise<HouseholdFactsOut> {
  requireAccess(actor, 'registry:write')
  const h = await findHousehold(tx, id)
  if (!h) throw notFound('HOUSEHOLD_NOT_FOUND')
  requireAccess(actor, 'registry:write', { type: 'household', id, path: h.gridPath })
  const patch: HouseholdFactsPatch = { occupancy: input.occupancy }
  const let_ = LET_OCCUPANCIES.includes(input.occupancy)
  const l = input.landlord
  if (l && !let_) throw invalid('landlord', 'LANDLORD_ONLY_WHEN_LET')
  if (l) {
    const phone = normalisePhone(l.phone)
    if (!phone.ok) throw invalid('landlord.phone', phone.code, phone.params)
    const start = l.tenancyStart ?? null
    const end = l.tenancyEnd ?? null
    if (start && end && end < start)
      throw invalid('landlord.tenancyEnd', 'TENANCY_END_BEFORE_START')
    const sealed = sealedPhoneColumns(ring, phone.value)
    Object.assign(patch, {
      landlordName: l.name,
      landlordKind: l.kind,
      landlordPhoneEnc: sealed.phoneEnc,
      landlordPhoneBidx: sealed.phoneBidx,
      landlordPhoneLast4: sealed.phoneLast4,
      tenancyStart: start,
      tenancyEnd: end,
    })
  } else if (l === null || !let_) {
    Object.assign(patch, {
      landlordName: null,
      landlordKind: null,
      landlordPhoneEnc: null,
      landlordPhoneBidx: null,
      landlordPhoneLast4: null,
      tenancyStart: null,
      tenancyEnd: null,
    })
  }
  const collective = input.collective
  if (collective && input.occupancy !== 'collective')
    throw invalid('collective', 'COLLECTIVE_ONLY_WHEN_COLLECTIVE')
  if (input.occupancy === 'collective') {
    if (collective)
      Object.assign(patch, { collectiveKind: collective.kind, collectiveName: collective.name })
    else if (collective === null || !h.collectiveKind)
      throw invalid('collective.name', 'COLLECTIVE_NAME_REQUIRED')
  } else Object.assign(patch, { collectiveKind: null, collectiveName: null })
  if (input.representativeId !== undefined) {
    if (input.representativeId !== null) {
      const members = await householdMembers(tx, id)
      if (!members.some((m) => m.id === input.representativeId))
        throw invalid('representativeId', 'REPRESENTATIVE_NOT_MEMBER')
    }
    patch.representativeId = input.representativeId
  }
  const row = await setHouseholdFactsRow(tx, id, patch)
  await audit(
    tx,
    actor,
    'household.occupancy',
    { type: 'household', id, path: h.gridPath },
    {
      detail: {
        from: h.occupancy,
        to: input.occupancy,
        ...(l !== undefined ? { landlord: l ? { name: l.name, kind: l.kind } : null } : {}),
        ...(input.representativeId !== undefined
          ? { representativeId: input.representativeId }
          : {}),
        ...(collective !== undefined ? { collective } : {}),
      },
    },
  )
  return {
    id,
    occupancy: input.occupancy,
    representativeId: row.representativeId,
    landlord: landlordView(ring, row),
    collective: collectiveView(row),
  }
}

/**
 * A let household's landlord or 二房东 contact, to call them: masked, or with ?reveal=phone the
 * phone in full for a reader with pii:reveal, audited before it is answered.
 */
export async function householdLandlord(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  reveal: boolean,
): Promise<HouseholdLandlordAnswer> {
  requireAccess(actor, 'registry:read')
  const h = await findHousehold(tx, id)
  if (!h) throw notFound('HOUSEHOLD_NOT_FOUND')
  requireAccess(actor, 'registry:read', { type: 'household', id, path: h.gridPath })
  const masked = landlordView(ring, h)
  if (!reveal || !h.landlordPhoneEnc || !masked) return { id, landlord: masked, revealed: false }
  const target = { type: 'household', id, path: h.gridPath }
  requireAccess(actor, 'pii:reveal', target)
  await audit(tx, actor, 'pii.reveal', target, { detail: { fields: ['landlordPhone'] } })
  return {
    id,
    landlord: { ...masked, phone: decryptValue(ring, h.landlordPhoneEnc) },
    revealed: true,
  }
}

/** A household the actor may use: in their scope (a 403, audited, otherwise). */
async function householdFor(
  db: Db,
  actor: Actor,
  permission: 'registry:read' | 'registry:write',
  id: string,
): Promise<HouseholdRow> {
  const h = await findHousehold(db, id)
  if (!h) throw invalid('householdId', 'HOUSEHOLD_NOT_FOUND')
  requireAccess(actor, permission, { type: 'household', id, path: h.gridPath })
  return h
}

/** A resident the actor may read or change: in their scope (a 403, audited, otherwise). */
async function residentFor(
  db: Db,
  actor: Actor,
  permission: 'registry:read' | 'registry:write',
  id: string,
): Promise<ResidentRow> {
  const r = await findResident(db, id)
  if (!r) throw notFound('RESIDENT_NOT_FOUND')
  requireAccess(actor, permission, { type: 'resident', id, path: r.gridPath })
  return r
}

// Residents

function shape(
  ring: Keyring,
  r: ResidentRow & { householdLabel: string | null },
  tags: string[],
  reveal: readonly Reveal[],
  today: Date,
): ResidentOut {
  const id = r.idEnc ? decryptValue(ring, r.idEnc) : null
  const phone = r.phoneEnc ? decryptValue(ring, r.phoneEnc) : null
  const revealed = reveal.filter((f) => (f === 'id' ? id : phone) !== null)
  // The columns are text; their values are the schema's enums (check constraints and the
  // writers guarantee it, and the response serializer validates every answer against it).
  return {
    id: r.id,
    name: r.name,
    idType: r.idType as ResidentOut['idType'],
    idNumber: id === null ? null : reveal.includes('id') ? id : maskIdNumber(id),
    phone: phone === null ? null : reveal.includes('phone') ? phone : maskPhone(phone),
    revealed,
    sex: r.sex as ResidentOut['sex'],
    birthDate: r.birthDate,
    age: r.birthDate ? ageOn(r.birthDate, today) : null,
    relation: r.relation as ResidentOut['relation'],
    residenceType: r.residenceType as ResidentOut['residenceType'],
    employer: r.employer,
    notes: r.notes,
    status: r.status as ResidentOut['status'],
    statusOn: r.statusOn,
    statusPlace: r.statusPlace,
    hukouAddress: r.hukouAddress,
    hukouRegion: r.hukouRegion,
    separation: separationOf(r),
    householdId: r.householdId,
    householdLabel: r.householdLabel,
    gridId: r.gridId,
    tags,
  }
}

async function auditReveal(
  tx: Tx,
  actor: Actor,
  r: ResidentRow,
  reveal: readonly Reveal[],
): Promise<void> {
  if (reveal.length === 0) return
  requireAccess(actor, 'pii:reveal', { type: 'resident', id: r.id, path: r.gridPath })
  await audit(
    tx,
    actor,
    'pii.reveal',
    { type: 'resident', id: r.id, path: r.gridPath },
    { detail: { fields: reveal } },
  )
}

/**
 * Registers a person into a household. One person is one resident: when the ID number is
 * already registered, this is a move (different household), an update (same household, other
 * details) or nothing at all (same data) — never a duplicate.
 */
export async function registerResident(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  input: RegisterResidentIn,
  today = new Date(),
): Promise<RegisterOutcome> {
  authorize(actor, 'registry:write')
  const identity = checkIdentity(
    { idType: input.idType, idNumber: input.idNumber, sex: input.sex, birthDate: input.birthDate },
    today,
  )
  if (!identity.ok) throw invalid(identity.field, identity.code, identity.params)
  const phone = normalisePhone(input.phone)
  if (!phone.ok) throw invalid('phone', phone.code, phone.params)
  const region = input.hukouRegion ? checkRegionCode(input.hukouRegion) : null
  if (region) throw invalid(region.field, region.code)
  const h = await householdFor(tx, actor, 'registry:write', input.householdId)
  const idSealed = sealedIdColumns(ring, identity.idNumber)
  const phoneSealed = sealedPhoneColumns(ring, phone.value)
  const fields = personFields(input, identity)
  // 户籍地 only when given: a form or roster without it leaves a recorded one alone.
  const hukou = {
    ...(input.hukouAddress !== undefined ? { hukouAddress: input.hukouAddress } : {}),
    ...(input.hukouRegion !== undefined ? { hukouRegion: input.hukouRegion } : {}),
  }
  const existing = await findResidentByIdIndex(tx, blindIndexCandidates(ring, identity.idNumber))
  if (existing?.status === 'deceased' && pathInScope(actor, existing.gridPath))
    throw conflict('RESIDENT_DECEASED')
  if (existing && !pathInScope(actor, existing.gridPath)) {
    // Registered in a community outside the caller's scope: a transfer the old side decides,
    // and the answer carries only what the caller typed.
    const transfer = await requestTransfer(tx, ring, actor, {
      existing,
      to: { householdId: h.id, gridId: h.gridId, gridPath: h.gridPath },
      typed: typedOf(fields, input.tags ?? []),
      phone: phone.value,
      source: 'form',
    })
    return {
      outcome: 'transfer_requested',
      resident: null,
      transfer: {
        id: transfer.id,
        status: transfer.status,
        name: input.name,
        householdLabel: h.label,
      },
      repaired: identity.repairs,
    }
  }
  let row: ResidentRow
  let outcome: RegisterOutcome['outcome']
  if (!existing) {
    row = await insertResident(tx, {
      ...fields,
      ...hukou,
      householdId: h.id,
      gridId: h.gridId,
      gridPath: h.gridPath,
      sortKey: h.sortKey,
      ...idSealed,
      ...phoneSealed,
    })
    await addEvent(tx, {
      residentId: row.id,
      kind: 'registered',
      toHouseholdId: h.id,
      actorName: actor.username,
    })
    outcome = 'created'
  } else {
    const moved = existing.householdId !== h.id || existing.status !== 'active'
    // A person registered elsewhere in the actor's scope now lives in the actor's household:
    // that is a move, and the old household stays in the history.
    const oldPhone = existing.phoneEnc ? decryptValue(ring, existing.phoneEnc) : null
    const changed =
      moved ||
      oldPhone !== phone.value ||
      (Object.keys(fields) as (keyof typeof fields)[]).some(
        (k) => (existing[k] ?? null) !== (fields[k] ?? null),
      ) ||
      (Object.keys(hukou) as (keyof typeof hukou)[]).some(
        (k) => (existing[k] ?? null) !== (hukou[k] ?? null),
      )
    if (!changed) {
      row = existing
      outcome = 'unchanged'
    } else {
      // Registered again where they live: 长期外出 / 户在人不在 end, the person is back.
      await updateResidentRow(tx, existing.id, {
        ...fields,
        ...hukou,
        householdId: h.id,
        gridId: h.gridId,
        gridPath: h.gridPath,
        sortKey: h.sortKey,
        status: 'active',
        statusOn: null,
        statusPlace: null,
        ...(oldPhone !== phone.value ? phoneSealed : {}),
      })
      await addEvent(tx, {
        residentId: existing.id,
        kind: moved ? 'moved' : 'updated',
        fromHouseholdId: moved ? existing.householdId : null,
        toHouseholdId: moved ? h.id : null,
        actorName: actor.username,
      })
      row = (await findResident(tx, existing.id))!
      outcome = moved ? 'moved' : 'updated'
    }
  }
  if (input.tags) await replaceTags(tx, row.id, input.tags, actor.username)
  if (outcome !== 'unchanged') {
    // A move is filed under the grid left as well as the grid joined: both sides' lists show it.
    const paths =
      outcome === 'moved' && existing
        ? new Set([existing.gridPath, row.gridPath])
        : new Set([row.gridPath])
    for (const path of paths)
      await audit(tx, actor, `resident.${outcome}`, { type: 'resident', id: row.id, path })
  }
  const tags = (await tagsOf(tx, [row.id])).map((t) => t.tag)
  return {
    outcome,
    resident: shape(ring, { ...row, householdLabel: h.label }, tags, [], today),
    repaired: identity.repairs,
  }
}

/** One resident with household, tags and history. Revealing a field is audited, so this runs in a transaction. */
export async function getResident(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  reveal: readonly Reveal[],
  today = new Date(),
): Promise<ResidentDetailOut> {
  const r = await residentFor(tx, actor, 'registry:read', id)
  await auditReveal(tx, actor, r, reveal)
  const h = r.householdId ? await findHousehold(tx, r.householdId) : undefined
  const tagRows = await tagsOf(tx, [r.id])
  const members = r.householdId ? await householdMembers(tx, r.householdId) : []
  const events = await eventsOf(tx, r.id)
  return {
    ...shape(
      ring,
      { ...r, householdLabel: h?.label ?? null },
      tagRows.map((t) => t.tag),
      reveal,
      today,
    ),
    household: members
      .filter((m) => m.id !== r.id)
      .map((m) => ({
        id: m.id,
        name: m.name,
        relation: m.relation as ResidentOut['relation'],
        age: m.birthDate ? ageOn(m.birthDate, today) : null,
      })),
    events: events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
    tagDetails: tagRows.map((t) => ({ tag: t.tag, setBy: t.setBy, setAt: t.setAt.toISOString() })),
    presence: await residentPresenceOf(tx, r.id),
  }
}

export async function updateResident(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: UpdateResidentIn,
): Promise<ResidentDetailOut> {
  const r = await residentFor(tx, actor, 'registry:write', id)
  const v: Partial<ResidentInsert> = {}
  if (input.name !== undefined)
    Object.assign(v, {
      name: input.name,
      namePinyin: nameKeys(input.name).pinyin,
      nameInitials: nameKeys(input.name).initials,
    })
  if (input.sex !== undefined || input.birthDate !== undefined) {
    if (r.idType !== 'passport' && r.idType !== 'other') {
      const id18 = decryptValue(ring, r.idEnc!)
      const c = checkIdentity({
        idType: r.idType as IdDocumentType,
        idNumber: id18,
        sex: input.sex,
        birthDate: input.birthDate,
      })
      if (!c.ok) throw invalid(c.field, c.code, c.params)
    }
    if (input.sex !== undefined) v.sex = input.sex
    if (input.birthDate !== undefined) v.birthDate = input.birthDate
  }
  if (input.phone !== undefined) {
    const p = normalisePhone(input.phone)
    if (!p.ok) throw invalid('phone', p.code, p.params)
    Object.assign(v, sealedPhoneColumns(ring, p.value))
  }
  for (const k of ['relation', 'residenceType', 'employer', 'notes'] as const)
    if (input[k] !== undefined) Object.assign(v, { [k]: input[k] })
  if (input.hukouRegion) {
    const region = checkRegionCode(input.hukouRegion)
    if (region) throw invalid(region.field, region.code)
  }
  if (input.hukouAddress !== undefined) v.hukouAddress = input.hukouAddress
  if (input.hukouRegion !== undefined) v.hukouRegion = input.hukouRegion
  await updateResidentRow(tx, id, v)
  await addEvent(tx, {
    residentId: id,
    kind: 'updated',
    actorName: actor.username,
    detail: { fields: Object.keys(input) },
  })
  await audit(
    tx,
    actor,
    'resident.updated',
    { type: 'resident', id, path: r.gridPath },
    { detail: { fields: Object.keys(input) } },
  )
  return getResident(tx, ring, actor, id, [])
}

export async function moveResident(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  householdId: string,
  relation?: string,
): Promise<ResidentDetailOut> {
  const r = await residentFor(tx, actor, 'registry:write', id)
  const h = await householdFor(tx, actor, 'registry:write', householdId)
  if (r.householdId === h.id && r.status === 'active')
    throw conflict('RESIDENT_ALREADY_LIVES_THERE')
  if (r.status === 'deceased') throw conflict('RESIDENT_DECEASED')
  await updateResidentRow(tx, id, {
    householdId: h.id,
    gridId: h.gridId,
    gridPath: h.gridPath,
    sortKey: h.sortKey,
    status: 'active',
    statusOn: null,
    statusPlace: null,
    ...(relation ? { relation } : {}),
  })
  if (r.householdId && r.householdId !== h.id) await clearRepresentative(tx, r.householdId, id)
  await addEvent(tx, {
    residentId: id,
    kind: 'moved',
    fromHouseholdId: r.householdId,
    toHouseholdId: h.id,
    actorName: actor.username,
  })
  for (const path of new Set([r.gridPath, h.gridPath]))
    await audit(tx, actor, 'resident.moved', { type: 'resident', id, path })
  return getResident(tx, ring, actor, id, [])
}

/** Moves a person out of the deployment's households; the record and its history stay. */
export async function moveOut(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  reason: string,
): Promise<ResidentDetailOut> {
  const r = await residentFor(tx, actor, 'registry:write', id)
  if (r.status === 'moved_out') throw conflict('RESIDENT_ALREADY_MOVED_OUT')
  await updateResidentRow(tx, id, { status: 'moved_out', householdId: null })
  if (r.householdId) await clearRepresentative(tx, r.householdId, id)
  await addEvent(tx, {
    residentId: id,
    kind: 'moved_out',
    fromHouseholdId: r.householdId,
    actorName: actor.username,
    detail: { reason },
  })
  await audit(
    tx,
    actor,
    'resident.moved_out',
    { type: 'resident', id, path: r.gridPath },
    { reason },
  )
  return getResident(tx, ring, actor, id, [])
}

/**
 * 死亡 (with the date), 长期外出 (where, since), 户在人不在, or back to living here (the undo):
 * the household is kept, the person leaves (or rejoins) every round population and area inside
 * list. A `status` event in the history and audited; where the person is stays on the record only.
 */
export async function setResidentStatus(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: ResidentStatusIn,
  now = new Date(),
): Promise<ResidentDetailOut> {
  const r = await residentFor(tx, actor, 'registry:write', id)
  const d = decideLifeStatus(r, input, localDate(now))
  if (!d.ok) {
    if (d.kind === 'conflict') throw conflict(d.code)
    throw invalid(d.field, d.code)
  }
  await updateResidentRow(tx, id, {
    status: input.status,
    statusOn: d.statusOn,
    statusPlace: d.statusPlace,
  })
  // The dead cannot be reached for the household; someone away long-term still can.
  if (input.status === 'deceased' && r.householdId) await clearRepresentative(tx, r.householdId, id)
  const detail = { from: r.status, to: input.status, on: d.statusOn }
  await addEvent(tx, {
    residentId: id,
    kind: 'status',
    actorName: actor.username,
    detail: input.note ? { ...detail, note: input.note } : detail,
  })
  await audit(tx, actor, 'resident.status', { type: 'resident', id, path: r.gridPath }, { detail })
  return getResident(tx, ring, actor, id, [])
}

export async function setResidentTags(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  tags: string[],
): Promise<ResidentDetailOut> {
  const r = await residentFor(tx, actor, 'registry:write', id)
  const change = await replaceTags(tx, id, [...new Set(tags)], actor.username)
  if (change.added.length || change.removed.length) {
    await addEvent(tx, { residentId: id, kind: 'tags', actorName: actor.username, detail: change })
    await audit(
      tx,
      actor,
      'resident.tags',
      { type: 'resident', id, path: r.gridPath },
      { detail: change },
    )
  }
  return getResident(tx, ring, actor, id, [])
}

/** A search box string as the list query takes it: full phones and ID numbers become blind-index candidates. */
function residentSearch(ring: Keyring, q: string): ResidentSearch | undefined {
  const term = searchTermOf(q)
  if (!term) return undefined
  if (term.kind === 'phone')
    return { kind: 'phoneIndex', candidates: blindIndexCandidates(ring, term.value) }
  if (term.kind === 'idNumber')
    return { kind: 'idIndex', candidates: blindIndexCandidates(ring, term.value) }
  return term
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A keyset cursor of the resident list, or a 400 naming `after`: never a forged value into SQL. */
function parseResidentCursor(raw: string): ResidentCursor {
  let v: unknown
  try {
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    v = null
  }
  const ok =
    Array.isArray(v) &&
    v.length === 3 &&
    v.every((x) => typeof x === 'string' && x.length <= 400 && !x.includes('\u0000')) &&
    UUID.test(v[2] as string)
  if (!ok) throw invalid('after', 'CURSOR_INVALID')
  return v as [string, string, string]
}

function cursorOf(last: ResidentListRow): string {
  return Buffer.from(JSON.stringify([last.gridPath, last.sortKey, last.id])).toString('base64url')
}

/** `reveal` is for exports only, which check pii:reveal and audit themselves. */
export async function listResidents(
  db: Db,
  ring: Keyring,
  actor: Actor,
  q: ResidentListQuery,
  today = new Date(),
  reveal: readonly Reveal[] = [],
): Promise<ResidentPage> {
  requireAccess(actor, 'registry:read')
  const bounds =
    q.minAge !== undefined || q.maxAge !== undefined
      ? birthBoundsForAges(q.minAge, q.maxAge, today)
      : {}
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
  const tags = await tagsOf(
    db,
    found.map((r) => r.id),
  )
  const items = found.map((r) =>
    shape(
      ring,
      r,
      tags.filter((t) => t.residentId === r.id).map((t) => t.tag),
      reveal,
      today,
    ),
  )
  const last = found[found.length - 1]
  return { items, next: found.length === q.limit && last ? cursorOf(last) : null }
}

/** The resident behind a personal code (testing issues codes): who, and where in the tree. */
export type CodeHolder = Pick<ResidentRow, 'id' | 'name' | 'gridPath' | 'status'>

/** The resident behind a personal code, checked against the actor's scope (testing issues codes). */
export async function residentForCode(db: Db, actor: Actor, id: string): Promise<CodeHolder> {
  const r = await findResident(db, id)
  if (!r) throw notFound('RESIDENT_NOT_FOUND')
  // The caller (testing) has checked its own permission; this is the scope of the record.
  requireAccess(actor, 'registry:read', { type: 'resident', id, path: r.gridPath })
  if (r.status !== 'active') throw invalid('residentId', 'RESIDENT_MOVED_OUT')
  return { id: r.id, name: r.name, gridPath: r.gridPath, status: r.status }
}
