import crypto from 'node:crypto'
import QRCode from 'qrcode'
import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import { addDays, localDate } from '../core/clock.js'
import type { Db, Tx } from '../core/db/db.js'
import { forbidden, invalid, notFound } from '../core/errors.js'
import { blindIndexCandidates, decryptValue, sealField } from '../core/pii/crypto.js'
import { parseIdNumber, parseMobile } from '../core/pii/identifiers.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber, maskName, maskPhone } from '../core/pii/mask.js'
import { requireAccess } from '../core/scope/access.js'
import { checkpointsSection, profileSection } from '../policy/policy.service.js'
import { residentsByDocument } from '../registry/documents.service.js'
import { controlFlagsOf } from '../testing/sampling.service.js'
import { RESIDENT_CODE } from '../testing/codes.service.js'
import { settingsNow } from '../zones/zones.read.service.js'
import { findCheckpoint, type CheckpointRow } from './checkpoints.repo.js'
import { referenceFrom } from './checkpoints.rules.js'
import {
  activeLevelsAround,
  findHouseholdPlace,
  findPassByToken,
  findResidentBehindGate,
  findPassageByClientId,
  gateCounts,
  householdLabels,
  insertPassage,
  insertPasses,
  lastNegativeSwab,
  passagesOfDay,
  passesOf,
  refusePassage,
  usePass,
  type ExitPassRow,
  type GatePerson,
  type PassageRow,
} from './gate.repo.js'
import { decide, type GateFacts, type PassFact, type ZoneMeasure } from './gate.rules.js'
import type {
  ExitPassIssueIn,
  ExitPassList,
  GateIndicatorsOut,
  PassageIn,
  PassageList,
  PassageListQuery,
  PassageOut,
} from './gate.schema.js'

/*
 * The entry/exit log of a checkpoint in a lockdown (issue 11 item 5): a scan (resident code, exit
 * pass, ID number, another document) or a visitor's details is judged by the gate rules of the
 * profile in force (gate.rules.ts) against the facts of the person (measures, last negative
 * swab, the household's passes of the day) and the risk areas over their home or the gate, and
 * every attempt is logged with its reasons. Exit passes are issued per household and day.
 */

const inForce = (db: Db) => profileSection(db, 'checkpoints', checkpointsSection)

const PASS_TOKEN = /^EP[A-Z2-9]{16}$/
const ID_NUMBER = /^(\d{17}[\dX]|\d{15})$/
const ZONES: readonly ZoneMeasure[] = ['sealed', 'controlled', 'precaution']

const target = (c: Pick<CheckpointRow, 'id' | 'communityPath'>) => ({
  type: 'checkpoint',
  id: c.id,
  path: c.communityPath,
})

const newPassToken = (): string =>
  'EP' + referenceFrom(crypto.randomBytes(8)) + referenceFrom(crypto.randomBytes(8))

/** A checkpoint the actor may log passages at: in scope, and one they staff if they are gate staff. */
async function gateOf(
  db: Db,
  actor: Actor,
  id: string,
  permission: 'checkpoints:gate' | 'checkpoints:read',
): Promise<CheckpointRow> {
  requireAccess(actor, permission)
  const c = await findCheckpoint(db, id)
  if (!c) throw notFound('CHECKPOINT_NOT_FOUND')
  requireAccess(actor, permission, target(c))
  if (actor.role === 'checkpoint' && (!actor.userId || !c.staff.includes(actor.userId)))
    throw forbidden('GATE_NOT_STAFF')
  return c
}

/** The strictest measure among the levels of the active areas around a community. */
async function zoneAround(db: Db, communityPath: string): Promise<ZoneMeasure | null> {
  const levels = await activeLevelsAround(db, communityPath)
  if (levels.length === 0) return null
  const { settings } = await settingsNow(db)
  const measures = levels.flatMap((l) =>
    settings.levels.filter((r) => r.level === l).map((r) => r.measure),
  )
  return ZONES.find((z) => measures.includes(z)) ?? null
}

function passFactOf(pass: ExitPassRow, day: string): PassFact {
  if (pass.day !== day) return { state: 'other_day', day: pass.day }
  if (pass.usedAt) return { state: 'used' }
  return { state: 'usable', id: pass.id }
}

async function householdPass(db: Db, householdId: string, day: string): Promise<PassFact> {
  const list = await passesOf(db, householdId, day)
  const free = list.find((p) => !p.usedAt)
  return free ? { state: 'usable', id: free.id } : { state: 'none_left', issued: list.length }
}

type Scanned =
  | { kind: 'resident'; person: GatePerson }
  | { kind: 'pass_holder'; pass: ExitPassRow; household: string }
  | { kind: 'visitor'; idNumber: string | null }

async function readScan(
  tx: Tx,
  ring: Keyring,
  c: CheckpointRow,
  raw: string,
  now: Date,
): Promise<Scanned> {
  const s = raw.replace(/[\s-]+/g, '').toUpperCase()
  if (PASS_TOKEN.test(s)) {
    const pass = await findPassByToken(tx, s)
    if (!pass) throw invalid('scan', 'GATE_SCAN_UNKNOWN')
    if (!pass.householdPath.startsWith(c.communityPath)) throw invalid('scan', 'GATE_PASS_NOT_HERE')
    const h = await findHouseholdPlace(tx, pass.householdId)
    return { kind: 'pass_holder', pass, household: h?.label ?? '' }
  }
  if (RESIDENT_CODE.test(s)) {
    const person = await findResidentBehindGate(tx, c.communityPath, { token: s })
    if (!person) throw invalid('scan', 'GATE_SCAN_UNKNOWN')
    return { kind: 'resident', person }
  }
  if (ID_NUMBER.test(s)) {
    const parsed = parseIdNumber(s, now)
    if (!parsed.ok) throw invalid('scan', parsed.code, parsed.params)
    const person = await findResidentBehindGate(tx, c.communityPath, {
      bidx: blindIndexCandidates(ring, parsed.value.number),
    })
    return person
      ? { kind: 'resident', person }
      : { kind: 'visitor', idNumber: parsed.value.number }
  }
  const ids = await residentsByDocument(tx, ring, raw)
  const person = ids.length ? await findResidentBehindGate(tx, c.communityPath, { ids }) : undefined
  if (person) return { kind: 'resident', person }
  throw invalid('scan', 'GATE_SCAN_UNKNOWN')
}

function passageView(
  ring: Keyring,
  p: PassageRow,
  household: string | null,
  zone: ZoneMeasure | null,
): PassageOut {
  return {
    id: p.id,
    checkpointId: p.checkpointId,
    direction: p.direction as PassageOut['direction'],
    kind: p.residentId ? 'resident' : p.householdId ? 'pass_holder' : 'visitor',
    name: maskName(p.name),
    household,
    idNumber: p.visitorIdEnc ? maskIdNumber(decryptValue(ring, p.visitorIdEnc)) : null,
    phone: p.visitorPhoneEnc ? maskPhone(decryptValue(ring, p.visitorPhoneEnc)) : null,
    allowed: p.allowed,
    reasons: p.reasons,
    zone,
    usedPass: p.exitPassId !== null,
    clientId: p.clientId,
    at: p.at.toISOString(),
    actor: p.actor,
  }
}

async function viewOf(db: Db, ring: Keyring, p: PassageRow): Promise<PassageOut> {
  const labels = p.householdId
    ? await householdLabels(db, [p.householdId])
    : new Map<string, string>()
  return passageView(
    ring,
    p,
    p.householdId ? (labels.get(p.householdId) ?? null) : null,
    p.zone as ZoneMeasure | null,
  )
}

/**
 * Logs one attempt to pass a gate and answers the decision with its reasons. Idempotent by the
 * phone's client id: a queued scan sent twice answers the first decision and uses no second pass.
 */
export async function logPassage(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  checkpointId: string,
  input: PassageIn,
  now = new Date(),
): Promise<PassageOut> {
  const c = await gateOf(tx, actor, checkpointId, 'checkpoints:gate')
  const seen = await findPassageByClientId(tx, input.clientId)
  if (seen) {
    if (seen.checkpointId !== c.id) throw invalid('clientId', 'GATE_CLIENT_ID_TAKEN')
    return viewOf(tx, ring, seen)
  }
  const requested = input.at ? new Date(input.at) : now
  const at = requested > now ? now : requested
  const day = localDate(at)
  if (!input.scan && !input.visitor) throw invalid('scan', 'GATE_PERSON_OR_VISITOR')
  const scanned: Scanned = input.scan
    ? await readScan(tx, ring, c, input.scan, now)
    : { kind: 'visitor', idNumber: null }

  const { settings } = await inForce(tx)
  let facts: GateFacts
  let sealed: Partial<PassageRow> = {}
  let name = ''
  let residentId: string | null = null
  let householdId: string | null = null
  if (scanned.kind === 'resident') {
    const p = scanned.person
    const flags = (await controlFlagsOf(tx, [p.id])).get(p.id)
    const last = await lastNegativeSwab(tx, p.id)
    facts = {
      direction: input.direction,
      zone: flags?.zone ?? null,
      at,
      person: {
        kind: 'resident',
        measures: flags?.measures ?? [],
        lastNegativeAt: last ?? null,
        lastNegativeDay: last ? localDate(last) : null,
        pass: p.householdId ? await householdPass(tx, p.householdId, day) : null,
      },
    }
    name = p.name
    residentId = p.id
    householdId = p.householdId
  } else if (scanned.kind === 'pass_holder') {
    facts = {
      direction: input.direction,
      zone: await zoneAround(tx, c.communityPath),
      at,
      person: { kind: 'pass_holder', pass: passFactOf(scanned.pass, day) },
    }
    householdId = scanned.pass.householdId
  } else {
    const v = input.visitor
    const idNumber = scanned.idNumber ?? (v?.idNumber ? checkedId(v.idNumber, now) : null)
    const phone = v?.phone ? checkedPhone(v.phone) : null
    if (idNumber) {
      const f = sealField(ring, idNumber)
      sealed = { visitorIdEnc: f.enc, visitorIdBidx: f.bidx, visitorIdLast4: f.last4 }
    }
    if (phone) {
      const f = sealField(ring, phone)
      sealed = { ...sealed, visitorPhoneEnc: f.enc, visitorPhoneLast4: f.last4 }
    }
    name = v?.name ?? ''
    facts = {
      direction: input.direction,
      zone: await zoneAround(tx, c.communityPath),
      at,
      person: { kind: 'visitor' },
    }
  }
  const decision = decide(facts, settings.gate)
  const row = await insertPassage(tx, {
    checkpointId: c.id,
    communityPath: c.communityPath,
    direction: input.direction,
    residentId,
    householdId,
    name,
    ...sealed,
    exitPassId: decision.usesPassId,
    allowed: decision.allowed,
    reasons: decision.reasons,
    zone: facts.zone,
    day,
    clientId: input.clientId,
    at,
    actor: actor.username,
  })
  // Logged by a concurrent send of the same scan: that one decided.
  if (!row) return viewOf(tx, ring, (await findPassageByClientId(tx, input.clientId))!)
  if (decision.usesPassId && !(await usePass(tx, decision.usesPassId, at, c.id))) {
    const limit = settings.gate.exitPassesPerHouseholdPerDay ?? 0
    const refused = await refusePassage(tx, row.id, [
      { code: 'GATE_PASS_USED_UP', params: { limit } },
    ])
    return viewOf(tx, ring, refused)
  }
  return viewOf(tx, ring, row)
}

function checkedId(input: string, now: Date): string {
  const parsed = parseIdNumber(input, now)
  if (!parsed.ok) throw invalid('visitor.idNumber', parsed.code, parsed.params)
  return parsed.value.number
}

function checkedPhone(input: string): string {
  const parsed = parseMobile(input)
  if (!parsed.ok) throw invalid('visitor.phone', parsed.code, parsed.params)
  return parsed.value
}

const MAX_LIST = 500

/** A checkpoint's passages of a day (today by default), newest first; refused only on request. */
export async function listPassages(
  db: Db,
  ring: Keyring,
  actor: Actor,
  checkpointId: string,
  q: PassageListQuery,
  now = new Date(),
): Promise<PassageList> {
  const c = await gateOf(db, actor, checkpointId, 'checkpoints:read')
  const day = q.day ?? localDate(now)
  const all = await passagesOfDay(db, c.id, day, false, MAX_LIST)
  const shown = q.refused === 'true' ? all.filter((p) => !p.allowed) : all
  const labels = await householdLabels(db, [
    ...new Set(shown.flatMap((p) => (p.householdId ? [p.householdId] : []))),
  ])
  return {
    day,
    items: shown.map((p) =>
      passageView(
        ring,
        p,
        p.householdId ? (labels.get(p.householdId) ?? null) : null,
        p.zone as ZoneMeasure | null,
      ),
    ),
    counts: { total: all.length, refused: all.filter((p) => !p.allowed).length },
  }
}

async function qrSvg(token: string): Promise<string> {
  return QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
}

async function passList(
  db: Db,
  h: { id: string; label: string },
  day: string,
  perDay: number | null,
): Promise<ExitPassList> {
  const list = await passesOf(db, h.id, day)
  const items: ExitPassList['items'] = []
  for (const p of list)
    items.push({
      id: p.id,
      seq: p.seq,
      day: p.day,
      token: p.token,
      qrSvg: await qrSvg(p.token),
      usedAt: p.usedAt?.toISOString() ?? null,
    })
  return { householdId: h.id, household: h.label, day, perDay, items }
}

async function householdFor(db: Db, actor: Actor, id: string) {
  const h = await findHouseholdPlace(db, id)
  if (!h) throw notFound('GATE_HOUSEHOLD_NOT_FOUND')
  requireAccess(actor, 'checkpoints:exit_pass', { type: 'household', id: h.id, path: h.gridPath })
  return h
}

/** A household's exit passes of a day (today by default), each with its QR. */
export async function exitPassesOf(
  db: Db,
  actor: Actor,
  householdId: string,
  dayIn: string | undefined,
  now = new Date(),
): Promise<ExitPassList> {
  requireAccess(actor, 'checkpoints:exit_pass')
  const h = await householdFor(db, actor, householdId)
  const { settings } = await inForce(db)
  return passList(db, h, dayIn ?? localDate(now), settings.gate.exitPassesPerHouseholdPerDay)
}

/**
 * Issues a household's exit passes of a day, as many as the profile gives a household a day; a
 * second issue of the same day adds none (the count is a day's, however often it is pressed).
 */
export async function issueExitPasses(
  tx: Tx,
  actor: Actor,
  householdId: string,
  input: ExitPassIssueIn,
  now = new Date(),
): Promise<ExitPassList> {
  requireAccess(actor, 'checkpoints:exit_pass')
  const h = await householdFor(tx, actor, householdId)
  const { settings } = await inForce(tx)
  const perDay = settings.gate.exitPassesPerHouseholdPerDay
  if (!perDay) throw invalid('day', 'GATE_NO_PASSES_UNDER_PROFILE')
  const today = localDate(now)
  const day = input.day ?? today
  if (day < today || day > addDays(today, 7)) throw invalid('day', 'GATE_PASS_DAY_OUT_OF_RANGE')
  const have = await passesOf(tx, h.id, day)
  const missing = []
  for (let seq = have.length + 1; seq <= perDay; seq++)
    missing.push({
      householdId: h.id,
      householdPath: h.gridPath,
      day,
      seq,
      token: newPassToken(),
      issuedBy: actor.username,
    })
  await insertPasses(tx, missing)
  if (missing.length)
    await audit(
      tx,
      actor,
      'exit_pass.issue',
      { type: 'household', id: h.id, path: h.gridPath },
      {
        detail: { day, count: missing.length },
      },
    )
  return passList(tx, h, day, perDay)
}

/** Today's gate and arrival figures of my scope (the home page's card). */
export async function gateIndicators(
  db: Db,
  actor: Actor,
  now = new Date(),
): Promise<GateIndicatorsOut> {
  requireAccess(actor, 'checkpoints:read')
  const day = localDate(now)
  return { day, ...(await gateCounts(db, actor, day)) }
}
