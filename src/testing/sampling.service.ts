import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import type { Db, Tx } from '../core/db/db.js'
import { notFound } from '../core/errors.js'
import { renderReason } from '../core/i18n/messages.js'
import { uuidv7 } from '../core/ids.js'
import { blindIndexCandidates } from '../core/pii/crypto.js'
import { parseIdNumber } from '../core/pii/identifiers.js'
import type { Keyring } from '../core/pii/keyring.js'
import { requireAccess } from '../core/scope/access.js'
import { pathInScope } from '../core/scope/scope.js'
import { measuresOf } from '../measures/control.service.js'
import { singleTubeReasons } from './results.repo.js'
import {
  closeTube,
  lockTubes,
  openTubesOpenedBy,
  scanPersons,
  specimensByClientId,
  tubeMemberPaths,
  writeScanBatch,
  type NewSpecimen,
  type NewTube,
  type RoundRow,
  type ScanPerson,
  type TubeRow,
} from './testing.repo.js'
import {
  inRound,
  maskName,
  personRefusal,
  placeInTube,
  readPersonScan,
  zonePool,
  scanTime,
  scanWarnings,
  TUBE_CODE,
  type ScannedPerson,
  type ScanRefusal,
  type TubeState,
} from './testing.rules.js'
import type { OpenTubeOut, ScanIn, ScanOut, TubeOut } from './testing.schema.js'
import { testingSettings, visibleRound } from './testing.service.js'

/* ------------------------------------------------------------------ sampling */

/** How a scan's person read, whether a scanned ID number is valid, and who it names (if anyone). */
interface ScannedLookup {
  read: ScannedPerson
  idCheck:
    { ok: true } | { ok: false; code: string; params?: Record<string, string | number> } | undefined
  person: ControlledPerson | undefined
}

/** Reads every scan's person (code or ID number) and finds them all in one query. */
async function lookUpPeople(
  tx: Tx,
  ring: Keyring,
  roundId: string,
  scans: ScanIn[],
  now: Date,
): Promise<ScannedLookup[]> {
  const reads = scans.map((s) => readPersonScan(s.person))
  const idChecks = new Map<string, ScannedLookup['idCheck']>()
  const candidates = new Map<string, string[]>()
  for (const r of reads) {
    if (r.kind !== 'id' || idChecks.has(r.idNumber)) continue
    const parsed = parseIdNumber(r.idNumber, now)
    if (parsed.ok) {
      idChecks.set(r.idNumber, { ok: true })
      candidates.set(r.idNumber, blindIndexCandidates(ring, parsed.value.number))
    } else
      idChecks.set(r.idNumber, {
        ok: false,
        code: parsed.code,
        ...(parsed.params ? { params: parsed.params } : {}),
      })
  }
  const tokens = reads.flatMap((r) => (r.kind === 'code' ? [r.token] : []))
  const found = await withControl(
    tx,
    await scanPersons(tx, roundId, tokens, [...candidates.values()].flat()),
  )
  return reads.map((read) => {
    if (read.kind === 'code') return { read, idCheck: undefined, person: found.get(read.token) }
    if (read.kind === 'id')
      return {
        read,
        idCheck: idChecks.get(read.idNumber),
        person: (candidates.get(read.idNumber) ?? []).map((c) => found.get(c)).find(Boolean),
      }
    return { read, idCheck: undefined, person: undefined }
  })
}

/** Why a person is swabbed alone in any round: pending recheck, under a measure, or positive. */
export interface ControlFlags {
  pendingRecheck: boolean
  /** Active measure categories (temporary_control, close_contact …), not those of a risk area. */
  measures: string[]
  /** The measure of the risk area the person lives in (its pool size, domain.md §5), if any. */
  zone: ZoneMeasure | null
  positive: boolean
}

export type ControlledPerson = ScanPerson & { control: ControlFlags }

/** Measures of the people inside a risk area are named zone_<measure> (measures/zone.service.ts). */
const ZONE_PREFIX = 'zone_'
type ZoneMeasure = 'sealed' | 'controlled' | 'precaution'
const ZONE_MEASURES: readonly ZoneMeasure[] = ['sealed', 'controlled', 'precaution']

/** A tag only this file gives: it sends a controlled person into a single tube in any round. */
const CONTROLLED_TAG = '__controlled__'

export const isControlled = (c: ControlFlags): boolean =>
  c.pendingRecheck || c.positive || c.measures.length > 0

/**
 * What makes each person single-tube in any round (the per-round lookup of the scan query does
 * not see another round's recheck orders): their open recheck order of any round (the next swab
 * answers it), their measures and an open positive case. The scan batch and the desk's person
 * check (personcheck.service) both read it here.
 */
export async function controlFlagsOf(
  tx: Db,
  ids: readonly string[],
): Promise<Map<string, ControlFlags & { recheckOrderId: string | null }>> {
  const reasons = await singleTubeReasons(tx, ids)
  const measures = await measuresOf(tx, [...ids])
  return new Map(
    ids.map((id) => {
      const r = reasons.get(id)
      const all = measures.get(id) ?? []
      return [
        id,
        {
          pendingRecheck: r?.pendingRecheck ?? false,
          measures: all.filter((c) => !c.startsWith(ZONE_PREFIX)),
          // The strictest when areas overlap (sealed before controlled before precaution).
          zone: ZONE_MEASURES.find((z) => all.includes(`${ZONE_PREFIX}${z}`)) ?? null,
          positive: r?.positive ?? false,
          recheckOrderId: r?.recheckOrderId ?? null,
        },
      ]
    }),
  )
}

/** Adds to each scanned person their control flags (controlFlagsOf). */
async function withControl(
  tx: Db,
  found: Map<string, ScanPerson>,
): Promise<Map<string, ControlledPerson>> {
  const flags = await controlFlagsOf(tx, [...new Set([...found.values()].map((p) => p.id))])
  const out = new Map<string, ControlledPerson>()
  for (const [key, p] of found) {
    const { recheckOrderId, ...control } = flags.get(p.id)!
    out.set(key, { ...p, recheckOrderId: p.recheckOrderId ?? recheckOrderId, control })
  }
  return out
}

/** What a batch changes, gathered scan by scan and written in one statement at the end. */
interface Batch {
  tubes: Map<string, TubeRow | NewTube>
  newTubes: Map<string, NewTube>
  changed: Map<string, { id: string; members: number; status: string; closedAt: Date | null }>
  specimens: NewSpecimen[]
  rechecksSampled: { id: string; at: Date }[]
  seenClientIds: Set<string>
  /** People with a specimen in this round, before or earlier in the batch. */
  sampled: Set<string>
  /** Open recheck orders by resident: the next swab answers it. */
  rechecks: Map<string, string>
  /** People outside the sampler's scope, by their home grid (each grid's audit list shows who swabbed its residents). */
  outsiders: Map<string, string[]>
  /** The pool of each risk-area measure under the profile in force (zonePoolSizes). */
  zonePools: Record<ZoneMeasure, { poolSize: number; householdPool: boolean }>
}

function newBatch(
  tubes: Map<string, TubeRow>,
  looked: ScannedLookup[],
  zonePools: Batch['zonePools'],
): Batch {
  const people = looked.flatMap((l) => (l.person ? [l.person] : []))
  return {
    tubes: new Map<string, TubeRow | NewTube>(tubes),
    newTubes: new Map(),
    changed: new Map(),
    specimens: [],
    rechecksSampled: [],
    seenClientIds: new Set(),
    sampled: new Set(people.filter((p) => p.sampled).map((p) => p.id)),
    rechecks: new Map(
      people.flatMap((p) => (p.recheckOrderId ? [[p.id, p.recheckOrderId] as const] : [])),
    ),
    outsiders: new Map(),
    zonePools,
  }
}

const tubeView = (t: TubeRow | NewTube): TubeOut => ({
  code: t.code,
  members: t.members,
  capacity: t.capacity,
  status: t.status as TubeOut['status'],
  kind: t.kind as TubeOut['kind'],
})

const tubeState = (t: TubeRow | NewTube): TubeState => ({
  status: t.status as TubeState['status'],
  kind: t.kind as TubeState['kind'],
  capacity: t.capacity,
  members: t.members,
  roundId: t.roundId,
  householdId: t.householdId,
})

function rejected(clientId: string, refusal: ScanRefusal, tube?: TubeOut): ScanOut {
  const reason =
    renderReason('en', { code: refusal.code, field: refusal.field, params: refusal.params }) ??
    refusal.code
  return {
    clientId,
    status: 'rejected',
    warnings: [],
    error: { ...refusal, reason },
    ...(tube ? { tube } : {}),
  }
}

/** The tube a swab goes into: the one it names, opened now if new, one swab fuller, closed when full. */
function fillTube(
  batch: Batch,
  round: RoundRow,
  actor: Actor,
  scan: ScanIn,
  code: string,
  person: ScanPerson,
  at: Date,
  decision: { open: boolean; kind: string; capacity: number; closes: boolean },
): TubeRow | NewTube {
  let t = batch.tubes.get(code)
  if (decision.open || !t) {
    const created: NewTube = {
      id: uuidv7(),
      code,
      roundId: round.id,
      siteId: scan.siteId ?? null,
      kind: decision.kind,
      capacity: decision.capacity,
      members: 0,
      householdId: round.householdPool ? person.householdId : null,
      status: 'open',
      openedAt: at,
      openedBy: actor.username,
      closedAt: null,
    }
    batch.newTubes.set(code, created)
    batch.tubes.set(code, created)
    t = created
  }
  t.members += 1
  if (decision.closes) {
    t.status = 'closed'
    t.closedAt = at
  }
  if (!batch.newTubes.has(code))
    batch.changed.set(t.id, {
      id: t.id,
      members: t.members,
      status: t.status,
      closedAt: t.closedAt,
    })
  return t
}

/** One scan of the batch: a duplicate, a refusal with its reason, or a swab in a tube with its warnings. */
function applyScan(
  batch: Batch,
  round: RoundRow,
  actor: Actor,
  scan: ScanIn,
  looked: ScannedLookup,
  known: Map<string, { id: string }>,
  now: Date,
): ScanOut {
  const prior = known.get(scan.clientId)
  if (prior || batch.seenClientIds.has(scan.clientId)) {
    return {
      clientId: scan.clientId,
      status: 'duplicate',
      specimenId: prior?.id ?? batch.specimens.find((s) => s.clientId === scan.clientId)?.id,
      warnings: [],
    }
  }
  const recheckOrderId = looked.person ? batch.rechecks.get(looked.person.id) : undefined
  // Rechecks outlive their round: a closed round still takes the swab that answers one.
  const time = scanTime(
    scan.scannedAt,
    now,
    recheckOrderId ? { status: 'open', closedAt: null } : round,
  )
  if (!time.ok) return rejected(scan.clientId, time.refusal)
  const refusal = personRefusal(looked.read, looked.idCheck, Boolean(looked.person))
  if (refusal || !looked.person)
    return rejected(
      scan.clientId,
      refusal ?? { field: 'person', code: 'SCAN_PERSON_NOT_REGISTERED' },
    )
  const person = looked.person
  const tubeCode = scan.tube.trim()
  if (!TUBE_CODE.test(tubeCode))
    return rejected(scan.clientId, { field: 'tube', code: 'SCAN_NOT_A_TUBE' })
  const current = batch.tubes.get(tubeCode)
  // Pending recheck, under a measure or positive: a single tube in any round, never a pool.
  const controlled = isControlled(person.control)
  // Inside a risk area the area's pool wins over the round's: sealed one tube per household (or single).
  const zp = person.control.zone ? batch.zonePools[person.control.zone] : undefined
  // Sealed: one tube per household (or single); controlled, precaution: the area's size, or the round's if smaller.
  const pooled = !zp
    ? round
    : zp.householdPool
      ? { ...round, poolSize: zp.poolSize, householdPool: true }
      : {
          ...round,
          householdPool: false,
          poolSize: Math.min(
            zp.poolSize,
            round.householdPool ? round.householdCapacity : round.poolSize,
          ),
        }
  const decision = placeInTube(
    current && tubeState(current),
    controlled ? { ...pooled, singleTubeTags: [...round.singleTubeTags, CONTROLLED_TAG] } : pooled,
    {
      tags: controlled ? [...person.tags, CONTROLLED_TAG] : person.tags,
      householdId: person.householdId,
      recheck: Boolean(recheckOrderId),
    },
  )
  if (!decision.ok) {
    // The device learns the tube's real state (closed, full), not only the refusal; another round's tube stays unnamed.
    const own = current && current.roundId === round.id ? tubeView(current) : undefined
    return rejected(
      scan.clientId,
      {
        field: 'tube',
        code: decision.code,
        ...(decision.params ? { params: decision.params } : {}),
      },
      own,
    )
  }
  const t = fillTube(batch, pooled, actor, scan, tubeCode, person, time.at, decision)
  const repeat = batch.sampled.has(person.id) && !recheckOrderId
  const belongs = inRound(round, person)
  const mine = pathInScope(actor, person.gridPath)
  if (!mine)
    batch.outsiders.set(person.gridPath, [
      ...(batch.outsiders.get(person.gridPath) ?? []),
      person.id,
    ])
  if (recheckOrderId) {
    batch.rechecksSampled.push({ id: recheckOrderId, at: time.at })
    batch.rechecks.delete(person.id)
  }
  const id = uuidv7()
  batch.specimens.push({
    id,
    clientId: scan.clientId,
    roundId: round.id,
    tubeId: t.id,
    residentId: person.id,
    gridPath: person.gridPath,
    siteId: scan.siteId ?? null,
    samplerName: actor.username,
    specimenType: scan.specimenType ?? 'throat',
    scannedAt: time.at,
    outOfScope: !belongs,
    repeat,
    recheckOrderId: recheckOrderId ?? null,
  })
  batch.sampled.add(person.id)
  batch.seenClientIds.add(scan.clientId)
  return {
    clientId: scan.clientId,
    status: 'accepted',
    specimenId: id,
    person: { name: maskName(person.name), household: mine ? person.householdLabel : null },
    tube: tubeView(t),
    warnings: scanWarnings({
      repeat,
      inRound: belongs,
      mine,
      closesTube: decision.closes,
      recheck: Boolean(recheckOrderId),
    }),
  }
}

/** Each grid whose residents someone outside its scope swabbed gets one audit entry per batch. */
async function auditOutsiders(
  tx: Tx,
  actor: Actor,
  round: RoundRow,
  outsiders: Map<string, string[]>,
): Promise<void> {
  for (const [gridPath, residents] of outsiders) {
    await audit(
      tx,
      actor,
      'testing.scan_outside_scope',
      { type: 'test_round', id: round.id, path: gridPath },
      { detail: { residents: residents.slice(0, 200), count: residents.length } },
    )
  }
}

/**
 * One batch of scans from one device, idempotently: a scan whose client id is known is reported
 * as a duplicate with the specimen it made; a rejected scan never blocks the others. Scans are
 * applied in the order given (a device queues them in the order they happened).
 */
export async function ingestScans(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  scans: ScanIn[],
  now = new Date(),
): Promise<ScanOut[]> {
  requireAccess(actor, 'testing:sample')
  const round = await visibleRound(tx, actor, roundId)
  const known = await specimensByClientId(
    tx,
    scans.map((s) => s.clientId),
  )
  const looked = await lookUpPeople(tx, ring, round.id, scans, now)
  const tubeCodes = [...new Set(scans.map((s) => s.tube.trim()).filter((c) => TUBE_CODE.test(c)))]
  const { settings } = await testingSettings(tx)
  const batch = newBatch(await lockTubes(tx, tubeCodes), looked, {
    sealed: zonePool(settings, 'sealed'),
    controlled: zonePool(settings, 'controlled'),
    precaution: zonePool(settings, 'precaution'),
  })
  const out = scans.map((scan, i) => applyScan(batch, round, actor, scan, looked[i]!, known, now))
  // The tube state each answer reports is the state after the whole batch.
  for (const o of out) {
    const t = o.tube && batch.tubes.get(o.tube.code)
    if (o.tube && t)
      o.tube = { ...o.tube, members: t.members, status: t.status as TubeOut['status'] }
  }
  await writeScanBatch(tx, {
    newTubes: [...batch.newTubes.values()],
    changedTubes: [...batch.changed.values()],
    specimens: batch.specimens,
    rechecksSampled: batch.rechecksSampled,
  })
  await auditOutsiders(tx, actor, round, batch.outsiders)
  return out
}

export async function closeTubeByHand(
  tx: Tx,
  actor: Actor,
  roundId: string,
  code: string,
): Promise<TubeOut> {
  requireAccess(actor, 'testing:sample')
  await visibleRound(tx, actor, roundId)
  const [t] = (await lockTubes(tx, [code])).values()
  if (!t || t.roundId !== roundId) throw notFound('TUBE_NOT_FOUND')
  // Someone else's tube: only a caller whose scope holds everyone in it may close it.
  if (t.openedBy !== actor.username)
    requireAccess(actor, 'testing:sample', {
      type: 'tube',
      id: t.id,
      paths: await tubeMemberPaths(tx, t.id),
    })
  if (t.status === 'open') await closeTube(tx, t.id, new Date())
  return { ...tubeView(t), status: 'closed' }
}

/** How many open tubes a reloaded device is offered back. */
const OPEN_TUBES = 20

/** The open tubes a device left on a lane (after a reload): what it should keep filling. */
export async function openTubes(
  db: Db,
  actor: Actor,
  roundId: string,
  siteId?: string,
): Promise<OpenTubeOut[]> {
  requireAccess(actor, 'testing:sample')
  await visibleRound(db, actor, roundId)
  const found = await openTubesOpenedBy(db, roundId, actor.username, siteId, OPEN_TUBES)
  return found.map((t) => ({
    code: t.code,
    members: t.members,
    capacity: t.capacity,
    kind: t.kind as OpenTubeOut['kind'],
    openedAt: t.openedAt.toISOString(),
  }))
}
