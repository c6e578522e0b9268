import { and, desc, eq, sql } from 'drizzle-orm'
import { authorize } from '../core/auth/authorize.js'
import { assertScopeContains, pathInScope, type Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import { rows, type Db } from '../core/db/db.js'
import { notFound } from '../core/errors.js'
import { uuidv7 } from '../core/ids.js'
import { blindIndexCandidates } from '../core/pii/crypto.js'
import { parseIdNumber } from '../core/pii/identifiers.js'
import type { Keyring } from '../core/pii/keyring.js'
import { lockTubes, scanPersons, specimensByClientId, writeScanBatch, type NewSpecimen, type NewTube, type ScanPerson, type TubeRow } from './testing.repo.js'
import { placeInTube, readPersonScan, readTime, TUBE_CODE } from './testing.rules.js'
import { tube } from './testing.tables.js'
import { visibleRound } from './testing.service.js'

/* ------------------------------------------------------------------ sampling */

export interface ScanIn {
  clientId: string
  person: string
  tube: string
  scannedAt: string
  siteId?: string
  specimenType?: 'throat' | 'nasal'
}

/**
 * `out_of_scope`: the person is outside the round. `outside_sampler_scope`: outside the scope
 * the sampler's account was given (their sites' area): still sampled (应检尽检), but audited,
 * and the answer names them by masked name only, without their address.
 */
export type ScanWarning = 'already_sampled' | 'out_of_scope' | 'outside_sampler_scope' | 'tube_closed' | 'recheck'

export interface ScanOut {
  clientId: string
  status: 'accepted' | 'duplicate' | 'rejected'
  specimenId?: string
  person?: { name: string; household: string | null }
  tube?: { code: string; members: number; capacity: number; status: string; kind: string }
  warnings: ScanWarning[]
  error?: { field: 'person' | 'tube' | 'scannedAt' | 'round'; reason: string }
}

/** 张三 → 张*, 欧阳娜娜 → 欧**娜: enough for a scanner to check the person in front of them. */
export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return name
  if (chars.length === 2) return chars[0] + '*'
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1]
}

/** How far a device's clock may run ahead of the server's before a scan time is refused. */
const CLOCK_SLACK_MS = 10 * 60_000

/**
 * One batch of scans from one device, idempotently: a scan whose client id is known is reported
 * as a duplicate with the specimen it made; a rejected scan never blocks the others. Scans are
 * applied in the order given (a device queues them in the order they happened).
 */
export async function ingestScans(tx: Db, ring: Keyring, actor: Actor, roundId: string, scans: ScanIn[], now = new Date()): Promise<ScanOut[]> {
  authorize(actor, 'testing:sample')
  const round = await visibleRound(tx, actor, roundId)
  const known = await specimensByClientId(tx, scans.map((s) => s.clientId))
  const reads = scans.map((s) => readPersonScan(s.person))
  const tokens = reads.flatMap((r) => (r.kind === 'code' ? [r.token] : []))
  const idNumbers = new Map<string, string[]>()
  for (const r of reads) {
    if (r.kind !== 'id') continue
    const parsed = parseIdNumber(r.idNumber, now)
    if (parsed.ok) idNumbers.set(r.idNumber, blindIndexCandidates(ring, parsed.value.number))
  }
  const found = await scanPersons(tx, round.id, tokens, [...idNumbers.values()].flat())
  const personOf = (i: number): ScanPerson | undefined => {
    const r = reads[i]!
    if (r.kind === 'code') return found.get(r.token)
    if (r.kind === 'id') return (idNumbers.get(r.idNumber) ?? []).map((c) => found.get(c)).find(Boolean)
    return undefined
  }
  const people = scans.map((_, i) => personOf(i))
  const sampled = new Set(people.flatMap((p) => (p?.sampled ? [p.id] : [])))
  const rechecks = new Map(people.flatMap((p) => (p?.recheckOrderId ? [[p.id, p.recheckOrderId] as const] : [])))
  const tubeCodes = [...new Set(scans.map((s) => s.tube.trim()).filter((c) => TUBE_CODE.test(c)))]
  const tubes = new Map<string, TubeRow | NewTube>(await lockTubes(tx, tubeCodes))
  const newTubes = new Map<string, NewTube>()
  const changed = new Map<string, { id: string; members: number; status: string; closedAt: Date | null }>()
  const specimens: NewSpecimen[] = []
  const rechecksSampled: { id: string; at: Date }[] = []
  const seenClientIds = new Set<string>()
  const out: ScanOut[] = []
  /** People outside the sampler's scope, by their home grid (each grid's audit list shows who swabbed its residents). */
  const outsiders = new Map<string, string[]>()

  for (const [i, scan] of scans.entries()) {
    const reject = (field: NonNullable<ScanOut['error']>['field'], reason: string): void => {
      out.push({ clientId: scan.clientId, status: 'rejected', warnings: [], error: { field, reason } })
    }
    const prior = known.get(scan.clientId)
    if (prior || seenClientIds.has(scan.clientId)) {
      out.push({ clientId: scan.clientId, status: 'duplicate', specimenId: prior?.id ?? specimens.find((s) => s.clientId === scan.clientId)?.id, warnings: [] })
      continue
    }
    const scannedAt = readTime(scan.scannedAt)
    if (!scannedAt) {
      reject('scannedAt', 'not a time')
      continue
    }
    if (scannedAt.getTime() > now.getTime() + CLOCK_SLACK_MS) {
      reject('scannedAt', "later than now: check the device's clock")
      continue
    }
    if (round.status === 'closed' && (!round.closedAt || scannedAt > round.closedAt)) {
      reject('round', 'this round is closed')
      continue
    }
    const read = reads[i]!
    if (read.kind === 'garbled') {
      reject('person', read.reason)
      continue
    }
    if (read.kind === 'id' && !idNumbers.has(read.idNumber)) {
      const parsed = parseIdNumber(read.idNumber, now)
      reject('person', parsed.ok ? 'not registered' : parsed.reason)
      continue
    }
    const person = people[i]
    if (!person) {
      reject('person', read.kind === 'code' ? 'unknown or revoked code' : 'this ID number is not in the registry; register the person first')
      continue
    }
    const tubeCode = scan.tube.trim()
    if (!TUBE_CODE.test(tubeCode)) {
      reject('tube', 'not a tube barcode (6–40 letters, digits or dashes); scan it again')
      continue
    }
    const recheckOrderId = rechecks.get(person.id)
    const current = tubes.get(tubeCode)
    const decision = placeInTube(
      current ? { status: current.status as 'open' | 'closed', kind: current.kind as 'pooled', capacity: current.capacity, members: current.members, roundId: current.roundId, householdId: current.householdId } : undefined,
      { id: round.id, poolSize: round.poolSize, householdPool: round.householdPool, singleTubeTags: round.singleTubeTags },
      { tags: person.tags, householdId: person.householdId, recheck: Boolean(recheckOrderId) },
    )
    if (!decision.ok) {
      reject('tube', decision.reason)
      // The device learns the tube's real state (closed, full, another round's), not only the refusal.
      if (current && current.roundId === round.id) out[out.length - 1]!.tube = { code: current.code, members: current.members, capacity: current.capacity, status: current.status, kind: current.kind }
      continue
    }
    let t: TubeRow | NewTube
    if (decision.open) {
      const created: NewTube = {
        id: uuidv7(),
        code: tubeCode,
        roundId: round.id,
        siteId: scan.siteId ?? null,
        kind: decision.kind,
        capacity: decision.capacity,
        members: 0,
        householdId: round.householdPool ? person.householdId : null,
        status: 'open',
        openedAt: scannedAt,
        openedBy: actor.username,
        closedAt: null,
      }
      newTubes.set(tubeCode, created)
      tubes.set(tubeCode, created)
      t = created
    } else {
      t = current!
    }
    t.members += 1
    if (decision.closes) {
      t.status = 'closed'
      t.closedAt = scannedAt
    }
    if (!newTubes.has(tubeCode)) changed.set(t.id, { id: t.id, members: t.members, status: t.status, closedAt: t.closedAt })
    const warnings: ScanOut['warnings'] = []
    const repeat = sampled.has(person.id) && !recheckOrderId
    if (repeat) warnings.push('already_sampled')
    const inScope = round.scopePaths.some((p) => person.gridPath.startsWith(p)) && person.status === 'active'
    if (!inScope) warnings.push('out_of_scope')
    const mine = pathInScope(actor, person.gridPath)
    if (!mine) {
      warnings.push('outside_sampler_scope')
      const grid = outsiders.get(person.gridPath) ?? []
      grid.push(person.id)
      outsiders.set(person.gridPath, grid)
    }
    if (decision.closes) warnings.push('tube_closed')
    if (recheckOrderId) {
      warnings.push('recheck')
      rechecksSampled.push({ id: recheckOrderId, at: scannedAt })
      rechecks.delete(person.id)
    }
    const id = uuidv7()
    specimens.push({
      id,
      clientId: scan.clientId,
      roundId: round.id,
      tubeId: t.id,
      residentId: person.id,
      gridPath: person.gridPath,
      siteId: scan.siteId ?? null,
      samplerName: actor.username,
      specimenType: scan.specimenType ?? 'throat',
      scannedAt,
      outOfScope: !inScope,
      repeat,
      recheckOrderId: recheckOrderId ?? null,
    })
    sampled.add(person.id)
    seenClientIds.add(scan.clientId)
    out.push({
      clientId: scan.clientId,
      status: 'accepted',
      specimenId: id,
      person: { name: maskName(person.name), household: mine ? person.householdLabel : null },
      tube: { code: t.code, members: t.members, capacity: t.capacity, status: t.status, kind: t.kind },
      warnings,
    })
  }
  // The tube state each answer reports is the state after the whole batch.
  for (const o of out) if (o.tube) o.tube = { ...o.tube, members: tubes.get(o.tube.code)!.members, status: tubes.get(o.tube.code)!.status }
  await writeScanBatch(tx, { newTubes: [...newTubes.values()], changedTubes: [...changed.values()], specimens, rechecksSampled })
  for (const [gridPath, residents] of outsiders) {
    await appendAudit(tx, {
      actorId: actor.userId,
      actorName: actor.username,
      action: 'testing.scan_outside_scope',
      targetType: 'test_round',
      targetId: round.id,
      scopePath: gridPath,
      ip: actor.ip,
      detail: { residents: residents.slice(0, 200), count: residents.length },
    })
  }
  return out
}

export async function closeTubeByHand(db: Db, actor: Actor, roundId: string, code: string): Promise<{ code: string; members: number; capacity: number; status: string; kind: string }> {
  authorize(actor, 'testing:sample')
  await visibleRound(db, actor, roundId)
  const [t] = (await lockTubes(db, [code])).values()
  if (!t || t.roundId !== roundId) throw notFound('Tube')
  // Someone else's tube: only a caller whose scope holds everyone in it may close it.
  if (t.openedBy !== actor.username) {
    const paths = await rows<{ grid_path: string }>(db, sql`select distinct grid_path from specimen where tube_id = ${t.id}`)
    assertScopeContains(actor, { type: 'tube', id: t.id, paths: paths.map((p) => p.grid_path) })
  }
  if (t.status === 'open') await db.update(tube).set({ status: 'closed', closedAt: new Date() }).where(eq(tube.id, t.id))
  return { code: t.code, members: t.members, capacity: t.capacity, status: 'closed', kind: t.kind }
}

/** The open tubes a device left on a lane (after a reload): what it should keep filling. */
export async function openTubes(db: Db, actor: Actor, roundId: string, siteId?: string): Promise<{ code: string; members: number; capacity: number; kind: string; openedAt: string }[]> {
  authorize(actor, 'testing:sample')
  await visibleRound(db, actor, roundId)
  const found = await db
    .select()
    .from(tube)
    .where(and(eq(tube.roundId, roundId), eq(tube.status, 'open'), eq(tube.openedBy, actor.username), siteId ? eq(tube.siteId, siteId) : undefined))
    .orderBy(desc(tube.openedAt))
    .limit(20)
  return found.map((t) => ({ code: t.code, members: t.members, capacity: t.capacity, kind: t.kind, openedAt: t.openedAt.toISOString() }))
}
