import crypto from 'node:crypto'
import type { Db, Tx } from '../core/db/db.js'
import { systemActor, type Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import { requireAccess } from '../core/scope/access.js'
import { pathInScope, pathUnderAny } from '../core/scope/scope.js'
import { conflict, invalid, notFound } from '../core/errors.js'
import { addDays, daysBetween, localDate, startOfLocalDay } from '../core/clock.js'
import { blindIndexCandidates, decryptValue, sealField } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber, maskPhone } from '../core/pii/mask.js'
import { parseIdNumber, parseMobile, parsePassport } from '../core/pii/identifiers.js'
import { checkpointsSection, profileSection } from '../policy/policy.service.js'
import { registerResident } from '../registry/registry.service.js'
import { startMeasure } from '../measures/measures.service.js'
import {
  divisionNames,
  findArrival,
  findArrivalByReference,
  findArrivalOfPersonDay,
  findCheckpoint,
  findCheckpointByToken,
  findDivisionFacts,
  findHouseholdFacts,
  findResidentByDocument,
  findUsers,
  insertCheckpoint,
  listArrivalsInScope,
  listCheckpointsInScope,
  updateArrivalRow,
  updateCheckpointRow,
  upsertArrival,
  type ArrivalInsert,
  type ArrivalRow,
  type CheckpointRow,
} from './checkpoints.repo.js'
import {
  classifyArrival,
  itineraryOutsideWindow,
  matchNothing,
  referenceFrom,
  type Origin,
  type PlaceMatcher,
} from './checkpoints.rules.js'
import { classifyArrival as classifyPlaces } from '../arrivals/arrivals.service.js'
import type {
  ArrivalListQuery,
  ArrivalOut,
  ArrivalReportIn,
  CheckpointIn,
  CheckpointOut,
  CheckpointPatch,
  ConfirmArrivalIn,
} from './checkpoints.schema.js'
import type { z } from 'zod'
import type { arrivalReceipt, publicCheckpointOut } from './checkpoints.schema.js'

/*
 * Checkpoints (卡口, domain.md §4; issue 11 item 4): a community's gates with staff and hours, the
 * poster that opens the public self-report (报备), the gate desk that confirms an arrival or
 * registers one without a phone, classifies the itinerary by the profile and starts the proposed
 * measure where the person lives. An arrival who lives in another community stays on that
 * community's list (its destination path) until its staff start the measure there.
 */

const checkpointsInForce = (db: Db) => profileSection(db, 'checkpoints', checkpointsSection)

const newToken = (): string => crypto.randomBytes(24).toString('base64url')
const target = (c: Pick<CheckpointRow, 'id' | 'communityPath'>) => ({
  type: 'checkpoint',
  id: c.id,
  path: c.communityPath,
})

async function checkpointView(db: Db, c: CheckpointRow): Promise<CheckpointOut> {
  const [names, staff, inForce] = await Promise.all([
    divisionNames(db, [c.communityId]),
    findUsers(db, c.staff),
    checkpointsInForce(db),
  ])
  return {
    id: c.id,
    communityId: c.communityId,
    communityPath: c.communityPath,
    communityName: names.get(c.communityId) ?? '',
    name: c.name,
    location: c.location,
    hours: c.hours,
    staff: c.staff.flatMap((id) => {
      const u = staff.find((s) => s.id === id)
      return u ? [{ id: u.id, username: u.username, displayName: u.displayName }] : []
    }),
    reportPath: `/report/${c.token}`,
    tokenRotatedAt: c.tokenRotatedAt.toISOString(),
    itineraryWindowDays: inForce.settings.itineraryWindowDays,
  }
}

async function checkStaff(db: Db, ids: readonly string[] | undefined): Promise<string[]> {
  const unique = [...new Set(ids ?? [])]
  const found = await findUsers(db, unique)
  for (const id of unique)
    if (found.find((u) => u.id === id)?.role !== 'checkpoint')
      throw invalid('staff', 'CHECKPOINT_STAFF_NOT_CHECKPOINT_ROLE')
  return unique
}

async function checkpointInScope(db: Db, actor: Actor, id: string): Promise<CheckpointRow> {
  const c = await findCheckpoint(db, id)
  if (!c) throw notFound('CHECKPOINT_NOT_FOUND')
  requireAccess(actor, 'checkpoints:read', target(c))
  return c
}

export async function createCheckpoint(
  tx: Tx,
  actor: Actor,
  input: CheckpointIn,
): Promise<CheckpointOut> {
  requireAccess(actor, 'checkpoints:manage')
  const community = await findDivisionFacts(tx, input.communityId)
  if (!community) throw invalid('communityId', 'CHECKPOINT_NOT_COMMUNITY')
  requireAccess(actor, 'checkpoints:manage', {
    type: 'division',
    id: community.id,
    path: community.path,
  })
  if (community.level !== 'community') throw invalid('communityId', 'CHECKPOINT_NOT_COMMUNITY')
  const row = await insertCheckpoint(tx, {
    communityId: community.id,
    communityPath: community.path,
    name: input.name,
    location: input.location ?? '',
    hours: input.hours ?? '',
    staff: await checkStaff(tx, input.staff),
    token: newToken(),
    createdBy: actor.username,
  })
  await audit(tx, actor, 'checkpoint.create', target(row), { detail: { name: row.name } })
  return checkpointView(tx, row)
}

export async function updateCheckpoint(
  tx: Tx,
  actor: Actor,
  id: string,
  patch: CheckpointPatch,
): Promise<CheckpointOut> {
  requireAccess(actor, 'checkpoints:manage')
  const c = await checkpointInScope(tx, actor, id)
  requireAccess(actor, 'checkpoints:manage', target(c))
  const row = await updateCheckpointRow(tx, id, {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.location !== undefined && { location: patch.location }),
    ...(patch.hours !== undefined && { hours: patch.hours }),
    ...(patch.staff !== undefined && { staff: await checkStaff(tx, patch.staff) }),
  })
  await audit(tx, actor, 'checkpoint.update', target(c), {
    detail: { fields: Object.keys(patch) },
  })
  return checkpointView(tx, row!)
}

/** Retires the checkpoint: its poster stops opening the form; its arrivals stay. */
export async function archiveCheckpoint(tx: Tx, actor: Actor, id: string): Promise<void> {
  requireAccess(actor, 'checkpoints:manage')
  const c = await checkpointInScope(tx, actor, id)
  requireAccess(actor, 'checkpoints:manage', target(c))
  await updateCheckpointRow(tx, id, { archivedAt: new Date() })
  await audit(tx, actor, 'checkpoint.archive', target(c))
}

/** A new poster token: every printed poster of the checkpoint stops working. */
export async function rotateCheckpointToken(
  tx: Tx,
  actor: Actor,
  id: string,
): Promise<CheckpointOut> {
  requireAccess(actor, 'checkpoints:manage')
  const c = await checkpointInScope(tx, actor, id)
  requireAccess(actor, 'checkpoints:manage', target(c))
  const row = await updateCheckpointRow(tx, id, { token: newToken(), tokenRotatedAt: new Date() })
  await audit(tx, actor, 'checkpoint.rotate_token', target(c))
  return checkpointView(tx, row!)
}

export async function getCheckpoint(db: Db, actor: Actor, id: string): Promise<CheckpointOut> {
  requireAccess(actor, 'checkpoints:read')
  return checkpointView(db, await checkpointInScope(db, actor, id))
}

export async function listCheckpoints(
  db: Db,
  actor: Actor,
  communityId: string | undefined,
): Promise<{ items: CheckpointOut[] }> {
  requireAccess(actor, 'checkpoints:read')
  const found = await listCheckpointsInScope(db, actor, communityId)
  return { items: await Promise.all(found.map((c) => checkpointView(db, c))) }
}

/* ------------------------------------------------------------------ the public form */

async function checkpointOfToken(db: Db, token: string): Promise<CheckpointRow> {
  const c = await findCheckpointByToken(db, token)
  if (!c) throw notFound('CHECKPOINT_REPORT_LINK_INVALID')
  return c
}

export async function publicCheckpoint(
  db: Db,
  token: string,
): Promise<z.infer<typeof publicCheckpointOut>> {
  const c = await checkpointOfToken(db, token)
  const s = await checkpointsInForce(db)
  const names = await divisionNames(db, [c.communityId])
  return {
    checkpointName: c.name,
    communityName: names.get(c.communityId) ?? '',
    itineraryWindowDays: s.settings.itineraryWindowDays,
    origins: [
      'low_risk_area',
      'low_risk_area_in_risk_county',
      'medium_risk_area',
      'high_risk_area',
      'hk_macau_taiwan',
      'overseas',
    ],
  }
}

interface Identity {
  idNumber: string
  phone: string | null
}

function checkIdentity(input: ArrivalReportIn, now: Date): Identity {
  const id =
    input.idType === 'passport' ? parsePassport(input.idNumber) : parseIdNumber(input.idNumber, now)
  if (!id.ok) throw invalid('idNumber', id.code, id.params)
  const idNumber = typeof id.value === 'string' ? id.value : id.value.number
  if (!input.phone) return { idNumber, phone: null }
  const phone = parseMobile(input.phone)
  if (!phone.ok) throw invalid('phone', phone.code, phone.params)
  return { idNumber, phone: phone.value }
}

/** The report's own checks: dates inside the profile's window. */
async function checkDates(db: Db, input: ArrivalReportIn, today: string): Promise<number> {
  const { itineraryWindowDays: days } = (await checkpointsInForce(db)).settings
  if (input.arrivalDate < addDays(today, -days) || input.arrivalDate > addDays(today, 7))
    throw invalid('arrivalDate', 'ARRIVAL_DATE_OUT_OF_RANGE', { days })
  const outside = itineraryOutsideWindow(input.itinerary, input.arrivalDate, days)
  if (outside !== null)
    throw invalid(`itinerary.${outside}.date`, 'ARRIVAL_ITINERARY_OUTSIDE_WINDOW', { days })
  return days
}

async function destinationOf(
  db: Db,
  householdId: string | null | undefined,
  communityPath: string,
): Promise<{ destinationHouseholdId: string | null; destinationPath: string | null }> {
  if (!householdId) return { destinationHouseholdId: null, destinationPath: null }
  const h = await findHouseholdFacts(db, householdId)
  // The public form may only name a household of the checkpoint's own community.
  if (!h || !pathUnderAny(h.gridPath, [communityPath]))
    throw invalid('destinationHouseholdId', 'ARRIVAL_HOUSEHOLD_NOT_FOUND')
  return { destinationHouseholdId: h.id, destinationPath: h.gridPath }
}

/**
 * Files or updates a report: one person and day is one row (a second report, from the poster or at
 * the gate, updates it and keeps its reference). Whether the person is a registered resident plays
 * no part: everyone gets the same answer.
 */
async function fileReport(
  tx: Tx,
  ring: Keyring,
  c: CheckpointRow,
  input: ArrivalReportIn,
  channel: 'self' | 'gate',
  now: Date,
): Promise<{ row: ArrivalRow; updated: boolean }> {
  const today = localDate(now)
  const who = checkIdentity(input, now)
  await checkDates(tx, input, today)
  const destination = await destinationOf(tx, input.destinationHouseholdId, c.communityPath)
  const id = sealField(ring, who.idNumber)
  const phone = who.phone ? sealField(ring, who.phone) : null
  const prior = await findArrivalOfPersonDay(tx, blindIndexCandidates(ring, who.idNumber), today)
  const fields: ArrivalInsert = {
    checkpointId: c.id,
    communityPath: c.communityPath,
    ...destination,
    destinationAddress: input.destinationAddress ?? '',
    reference: prior?.reference ?? referenceFrom(crypto.randomBytes(8)),
    reportDay: today,
    channel,
    name: input.name,
    idType: input.idType,
    idEnc: id.enc,
    idBidx: id.bidx,
    idLast4: id.last4,
    phoneEnc: phone?.enc ?? null,
    phoneBidx: phone?.bidx ?? null,
    phoneLast4: phone?.last4 ?? null,
    origin: input.origin,
    originArea: input.originArea ?? '',
    arrivalDate: input.arrivalDate,
    transport: input.transport ?? '',
    purpose: input.purpose ?? '',
    healthCode: input.healthCode,
    lastNegativeAt: input.lastNegativeAt ? new Date(input.lastNegativeAt) : null,
    itinerary: input.itinerary,
    updatedAt: now,
  }
  if (prior) {
    // A confirmed arrival keeps what the gate decided; the person's own details are refreshed.
    const { reference: _r, checkpointId: _c, communityPath: _p, channel: _ch, ...rest } = fields
    return { row: await updateArrivalRow(tx, prior.id, rest), updated: true }
  }
  return { row: await upsertArrival(tx, fields), updated: false }
}

export async function submitSelfReport(
  tx: Tx,
  ring: Keyring,
  token: string,
  input: ArrivalReportIn,
  ip: string | null,
  now: Date = new Date(),
): Promise<z.infer<typeof arrivalReceipt>> {
  const c = await checkpointOfToken(tx, token)
  if (!(await checkpointsInForce(tx)).settings.reportAhead)
    throw invalid('token', 'ARRIVAL_SELF_REPORT_OFF')
  const { row, updated } = await fileReport(tx, ring, c, input, 'self', now)
  await audit(
    tx,
    { ...systemActor('self-report'), ip },
    updated ? 'arrival.update' : 'arrival.report',
    { type: 'arrival', id: row.id, path: row.communityPath },
    { detail: { checkpointId: c.id, reference: row.reference } },
  )
  return { reference: row.reference, reportDay: row.reportDay }
}

/* ------------------------------------------------------------------ the gate desk */

function arrivalView(ring: Keyring, a: ArrivalRow, actor: Actor): ArrivalOut {
  return {
    id: a.id,
    checkpointId: a.checkpointId,
    reference: a.reference,
    reportDay: a.reportDay,
    channel: a.channel as ArrivalOut['channel'],
    status: a.status as ArrivalOut['status'],
    name: a.name,
    idType: a.idType as ArrivalOut['idType'],
    idNumber: maskIdNumber(decryptValue(ring, a.idEnc)),
    phone: a.phoneEnc ? maskPhone(decryptValue(ring, a.phoneEnc)) : null,
    origin: a.origin as ArrivalOut['origin'],
    originArea: a.originArea,
    arrivalDate: a.arrivalDate,
    transport: a.transport,
    purpose: a.purpose,
    healthCode: a.healthCode as ArrivalOut['healthCode'],
    lastNegativeAt: a.lastNegativeAt?.toISOString() ?? null,
    itinerary: a.itinerary,
    unmatchedPlaces: a.unmatchedPlaces,
    destinationHouseholdId: a.destinationHouseholdId,
    destinationAddress: a.destinationAddress,
    handover:
      a.destinationPath !== null &&
      !pathUnderAny(a.destinationPath, [a.communityPath]) &&
      !pathInScope(actor, a.destinationPath),
    category: a.category as ArrivalOut['category'],
    confirmedBy: a.confirmedBy,
    confirmedAt: a.confirmedAt?.toISOString() ?? null,
    measureId: a.measureId,
  }
}

/** An arrival the actor may work: at one of their gates, or coming to live in their scope. */
async function arrivalInScope(db: Db, actor: Actor, id: string): Promise<ArrivalRow> {
  const a = await findArrival(db, id)
  if (!a) throw notFound('ARRIVAL_NOT_FOUND')
  const path =
    a.destinationPath && pathInScope(actor, a.destinationPath) ? a.destinationPath : a.communityPath
  requireAccess(actor, 'checkpoints:desk', { type: 'arrival', id: a.id, path })
  return a
}

/** Staff register a person without a phone at the gate (the same fields as the form). */
export async function registerAtGate(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  checkpointId: string,
  input: ArrivalReportIn,
  now: Date = new Date(),
): Promise<ArrivalOut> {
  requireAccess(actor, 'checkpoints:desk')
  const c = await checkpointInScope(tx, actor, checkpointId)
  requireAccess(actor, 'checkpoints:desk', target(c))
  const { row, updated } = await fileReport(tx, ring, c, input, 'gate', now)
  await audit(
    tx,
    actor,
    updated ? 'arrival.update' : 'arrival.report',
    { type: 'arrival', id: row.id, path: row.communityPath },
    { detail: { checkpointId: c.id, reference: row.reference, channel: 'gate' } },
  )
  return arrivalView(ring, row, actor)
}

/** The desk scans a reference (or types it): the report filed at this checkpoint. */
export async function arrivalByReference(
  db: Db,
  ring: Keyring,
  actor: Actor,
  checkpointId: string,
  reference: string,
): Promise<ArrivalOut> {
  requireAccess(actor, 'checkpoints:desk')
  const c = await checkpointInScope(db, actor, checkpointId)
  requireAccess(actor, 'checkpoints:desk', target(c))
  const a = await findArrivalByReference(db, c.id, reference.trim().toUpperCase())
  if (!a) throw notFound('ARRIVAL_NOT_FOUND')
  return arrivalView(ring, a, actor)
}

/**
 * Confirms the person is here: the itinerary classified by the profile in force (the proposed
 * measure is `category`), places that match nothing kept and flagged, where they will live set.
 * Confirming again re-classifies (the profile or the destination may have changed).
 */
export async function confirmArrival(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: ConfirmArrivalIn,
  now: Date = new Date(),
): Promise<ArrivalOut> {
  requireAccess(actor, 'checkpoints:desk')
  const a = await arrivalInScope(tx, actor, id)
  requireAccess(actor, 'checkpoints:desk', { type: 'arrival', id: a.id, path: a.communityPath })
  let destination = {
    destinationHouseholdId: a.destinationHouseholdId,
    destinationPath: a.destinationPath,
  }
  if (input.destinationHouseholdId) {
    const h = await findHouseholdFacts(tx, input.destinationHouseholdId)
    if (!h) throw invalid('destinationHouseholdId', 'ARRIVAL_HOUSEHOLD_NOT_FOUND')
    destination = { destinationHouseholdId: h.id, destinationPath: h.gridPath }
  } else if (input.destinationCommunityId) {
    const d = await findDivisionFacts(tx, input.destinationCommunityId)
    if (!d || d.level !== 'community')
      throw invalid('destinationCommunityId', 'ARRIVAL_DESTINATION_NOT_COMMUNITY')
    destination = { destinationHouseholdId: null, destinationPath: d.path }
  }
  const s = await checkpointsInForce(tx)
  const c = classifyArrival(
    s.settings,
    a.origin as never,
    a.itinerary,
    await listMatcher(tx, a.itinerary, a.arrivalDate),
  )
  const today = localDate(now)
  const row = await updateArrivalRow(tx, a.id, {
    ...destination,
    status: 'confirmed',
    category: c.category,
    unmatchedPlaces: c.unmatchedPlaces,
    // Confirmed today: a report filed ahead arrives now, and the measure counts from here.
    arrivalDate: a.arrivalDate > today ? today : a.arrivalDate,
    confirmedBy: actor.username,
    confirmedAt: now,
  })
  await audit(
    tx,
    actor,
    'arrival.confirm',
    { type: 'arrival', id: a.id, path: a.communityPath },
    { detail: { category: c.category, profile: s.profile, unmatched: c.unmatchedPlaces.length } },
  )
  return arrivalView(ring, row, actor)
}

/**
 * The itinerary's places matched against the external risk-area list and this city's own areas
 * (src/arrivals, under the profile in force): a place that matches gives its origin class, one that
 * matches nothing stays unmatched and is flagged for a person.
 */
async function listMatcher(
  tx: Tx,
  itinerary: readonly { place: string; date: string }[],
  arrivedOn: string,
): Promise<PlaceMatcher> {
  if (itinerary.length === 0) return matchNothing
  const found = await classifyPlaces(tx, {
    places: itinerary.map((p) => ({ text: p.place, from: p.date, to: p.date })),
    arrivedOn,
  })
  const key = (place: string, date: string): string => `${date}\u0000${place}`
  const origins = new Map<string, Origin>()
  for (const m of found.matches) {
    const p = itinerary[m.placeIndex]
    if (p) origins.set(key(p.place, p.date), m.origin)
  }
  return (place, date) => origins.get(key(place, date)) ?? null
}

/**
 * Starts the proposed measure where the person lives: a resident of the actor's scope keeps their
 * home; someone not registered is registered into the destination household first. An arrival
 * living in another community is that community's to start (it sees the arrival on its list).
 */
export async function startArrivalMeasure(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  id: string,
  now: Date = new Date(),
): Promise<ArrivalOut> {
  requireAccess(actor, 'checkpoints:start_measure')
  const a = await arrivalInScope(tx, actor, id)
  if (a.status !== 'confirmed') throw conflict('ARRIVAL_NOT_CONFIRMED')
  if (a.measureId) throw conflict('ARRIVAL_MEASURE_ALREADY_STARTED')
  if (!a.category) throw conflict('ARRIVAL_NO_MEASURE')
  if (!a.destinationPath) throw invalid('destinationHouseholdId', 'ARRIVAL_NO_DESTINATION')
  if (!pathInScope(actor, a.destinationPath)) throw conflict('ARRIVAL_HANDED_OVER')
  const idNumber = decryptValue(ring, a.idEnc)
  const known = await findResidentByDocument(tx, blindIndexCandidates(ring, idNumber))
  let residentId: string
  if (known && known.status === 'active' && known.householdId) {
    if (!pathInScope(actor, known.gridPath)) throw conflict('ARRIVAL_REGISTERED_ELSEWHERE')
    residentId = known.id
  } else {
    if (!a.destinationHouseholdId) throw invalid('destinationHouseholdId', 'ARRIVAL_NO_DESTINATION')
    const r = await registerResident(
      tx,
      ring,
      actor,
      {
        householdId: a.destinationHouseholdId,
        name: a.name,
        idType: a.idType as 'resident_id' | 'passport',
        idNumber,
        ...(a.phoneEnc && { phone: decryptValue(ring, a.phoneEnc) }),
        residenceType: 'floating',
      },
      now,
    )
    if (!r.resident) throw conflict('ARRIVAL_REGISTERED_ELSEWHERE')
    residentId = r.resident.id
  }
  const today = localDate(now)
  const anchorDay = a.arrivalDate > today ? today : a.arrivalDate
  const anchorAt = new Date(
    Math.min(now.getTime(), startOfLocalDay(anchorDay).getTime() + 12 * 3_600_000),
  )
  if (daysBetween(anchorDay, today) < 0) throw invalid('arrivalDate', 'ARRIVAL_DATE_OUT_OF_RANGE')
  const m = await startMeasure(
    tx,
    ring,
    actor,
    { residentId, category: a.category as never, anchorAt: anchorAt.toISOString() },
    now,
    { source: 'arrival', sourceRef: a.id },
  )
  const row = await updateArrivalRow(tx, a.id, { residentId, measureId: m.id })
  await audit(
    tx,
    actor,
    'arrival.start_measure',
    { type: 'arrival', id: a.id, path: a.destinationPath },
    { detail: { measureId: m.id, category: a.category } },
  )
  return arrivalView(ring, row, actor)
}

/** Arrivals by origin class (a day, an origin, those still owed a measure), masked, under the actor's scope. */
export async function listArrivals(
  db: Db,
  ring: Keyring,
  actor: Actor,
  q: ArrivalListQuery,
  now: Date = new Date(),
): Promise<{ items: ArrivalOut[] }> {
  requireAccess(actor, 'checkpoints:read')
  const found = await listArrivalsInScope(db, actor, {
    day: q.date ?? (q.withoutMeasure ? undefined : localDate(now)),
    origin: q.origin,
    withoutMeasure: q.withoutMeasure ?? false,
    limit: q.limit ?? 100,
  })
  return { items: found.map((a) => arrivalView(ring, a, actor)) }
}
