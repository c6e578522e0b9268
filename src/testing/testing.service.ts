import crypto from 'node:crypto'
import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import QRCode from 'qrcode'
import { rows, type Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import { assertPathInScope, isWholeDeployment, outOfScopeError, scopeCondition, type Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import { AppError, invalid, notFound } from '../core/errors.js'
import { uuidv7 } from '../core/ids.js'
import { blindIndexCandidates, decryptValue } from '../core/pii/crypto.js'
import { parseIdNumber } from '../core/pii/identifiers.js'
import { maskPhone } from '../core/pii/mask.js'
import type { Keyring } from '../core/pii/keyring.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { raiseAlerts, type NewAlert } from '../alerts/alerts.service.js'
import { profileSection } from '../policy/policy.service.js'
import { residentForCode, type CodeHolder } from '../registry/registry.service.js'
import {
  applyTubeResults,
  findRound,
  lockTubes,
  missedCountsByGrid,
  missedPage,
  progressByGrid,
  recordPositiveCases,
  roundCounters,
  scanPersons,
  specimensByClientId,
  tubesByCode,
  upsertMissedReason,
  writeScanBatch,
  type AppliedResult,
  type MissedRow,
  type NewSpecimen,
  type NewTube,
  type RoundRow,
  type ScanPerson,
  type ScopeOn,
  type TubeRow,
} from './testing.repo.js'
import { classifyResult, newResidentCode, placeInTube, readPersonScan, testingProfile, TUBE_CODE, type TestingProfile, type TubeResultValue } from './testing.rules.js'
import { labAccount, residentCode, testRound, tube, tubeResult } from './testing.tables.js'
import './testing.policy.js'

/* ------------------------------------------------------------------ profile and rounds */

export async function testingSettings(db: Db): Promise<{ profile: string; settings: TestingProfile }> {
  return profileSection(db, 'testing', testingProfile)
}

const scopeOn =
  (actor: Actor): ScopeOn =>
  (col) =>
    scopeCondition(col, actor)

/** A round is visible to whoever's scope overlaps it: above it (command) or inside it (a grid). */
function roundVisible(actor: Actor, round: RoundRow): boolean {
  if (isWholeDeployment(actor)) return true
  return round.scopePaths.some((rp) => actor.scopePaths.some((ap) => rp.startsWith(ap) || ap.startsWith(rp)))
}

async function visibleRound(db: Db, actor: Actor, id: string): Promise<RoundRow> {
  const round = await findRound(db, id)
  if (!round) throw notFound('Round')
  if (!roundVisible(actor, round)) throw outOfScopeError(actor, { type: 'test_round', id, path: round.scopePaths[0] ?? '/' })
  return round
}

export interface CreateRoundIn {
  name: string
  kind: 'area' | 'key_groups' | 'routine'
  divisionIds: string[]
  startsAt?: string
  deadline: string
  poolSize?: number
  householdPool?: boolean
  singleTubeTags?: string[]
}

export async function createRound(db: Db, actor: Actor, input: CreateRoundIn, now = new Date()): Promise<RoundView> {
  authorize(actor, 'testing:manage')
  const { profile, settings } = await testingSettings(db)
  const poolSize = input.poolSize ?? settings.defaultPoolSize
  if (!settings.poolSizes.includes(poolSize)) throw invalid('poolSize', `profile ${profile} allows ${settings.poolSizes.join(', ')} per tube`)
  const startsAt = input.startsAt ? new Date(input.startsAt) : now
  const deadline = new Date(input.deadline)
  if (!(deadline > startsAt)) throw invalid('deadline', 'must be after the start')
  const hours = (deadline.getTime() - startsAt.getTime()) / 3_600_000
  if (input.kind === 'area' && hours > settings.areaRoundHours) throw invalid('deadline', `an area-wide round must finish within ${settings.areaRoundHours} h (profile ${profile})`)
  const divisions = []
  for (const id of [...new Set(input.divisionIds)]) {
    const d = await findDivisionById(db, id)
    if (!d) throw invalid('divisionIds', `no division ${id}`)
    if (d.level !== 'community' && d.level !== 'grid' && d.level !== 'street') throw invalid('divisionIds', `${d.name} is a ${d.level}; a round covers streets, communities or grids`)
    assertPathInScope(actor, { type: 'division', id: d.id, path: d.path })
    divisions.push(d)
  }
  if (divisions.length === 0) throw invalid('divisionIds', 'choose at least one community or grid')
  const [round] = await db
    .insert(testRound)
    .values({
      name: input.name.trim(),
      kind: input.kind,
      scopeIds: divisions.map((d) => d.id),
      scopePaths: divisions.map((d) => d.path),
      startsAt,
      deadline,
      poolSize,
      householdPool: input.householdPool ?? false,
      singleTubeTags: input.singleTubeTags ?? [],
      profileName: profile,
      turnaroundPooledHours: settings.turnaroundHours.pooled,
      turnaroundSingleHours: settings.turnaroundHours.single,
      createdBy: actor.username,
    })
    .returning()
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.round_open', targetType: 'test_round', targetId: round!.id, scopePath: divisions[0]!.path, ip: actor.ip, detail: { name: round!.name, poolSize } })
  return roundView(round!, new Map(divisions.map((d) => [d.id, d.name])))
}

export interface RoundView {
  id: string
  name: string
  kind: string
  scope: { id: string; name: string; path: string }[]
  startsAt: string
  deadline: string
  poolSize: number
  householdPool: boolean
  singleTubeTags: string[]
  profileName: string
  turnaroundHours: { pooled: number; single: number }
  status: string
  createdBy: string
  createdAt: string
  closedAt: string | null
}

function roundView(r: RoundRow, names: Map<string, string>): RoundView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    scope: r.scopeIds.map((id, i) => ({ id, name: names.get(id) ?? id, path: r.scopePaths[i] ?? '' })),
    startsAt: r.startsAt.toISOString(),
    deadline: r.deadline.toISOString(),
    poolSize: r.poolSize,
    householdPool: r.householdPool,
    singleTubeTags: r.singleTubeTags,
    profileName: r.profileName,
    turnaroundHours: { pooled: r.turnaroundPooledHours, single: r.turnaroundSingleHours },
    status: r.status,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  }
}

async function divisionNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const found = await rows<{ id: string; name: string }>(db, sql`select id, name from division where id = any(${sql.param(ids)}::uuid[])`)
  return new Map(found.map((d) => [d.id, d.name]))
}

export async function listRounds(db: Db, actor: Actor, q: { status?: 'open' | 'closed' }): Promise<RoundView[]> {
  authorize(actor, 'testing:read')
  const found = await db
    .select()
    .from(testRound)
    .where(q.status ? eq(testRound.status, q.status) : undefined)
    .orderBy(desc(testRound.createdAt))
    .limit(200)
  const visible = found.filter((r) => roundVisible(actor, r))
  const names = await divisionNames(db, [...new Set(visible.flatMap((r) => r.scopeIds))])
  return visible.map((r) => roundView(r, names))
}

/** Rounds a sampler may scan into now: open, overlapping their scope. */
export async function openRoundsForSampling(db: Db, actor: Actor): Promise<RoundView[]> {
  authorize(actor, 'testing:sample')
  const found = await db.select().from(testRound).where(eq(testRound.status, 'open')).orderBy(desc(testRound.createdAt)).limit(50)
  const visible = found.filter((r) => roundVisible(actor, r))
  const names = await divisionNames(db, [...new Set(visible.flatMap((r) => r.scopeIds))])
  return visible.map((r) => roundView(r, names))
}

export interface RoundProgress {
  round: RoundView
  now: string
  secondsLeft: number
  totals: { inScope: number; sampled: number; excused: number; missed: number }
  byGrid: { gridPath: string; gridName: string; inScope: number; sampled: number; excused: number; missed: number }[]
  byHour: { hour: string; specimens: number }[]
  counters: Awaited<ReturnType<typeof roundCounters>>
  turnaround: { bucket: string; tubes: number }[]
  overdueTubes: number
}

const TURNAROUND_BUCKETS = [2, 6, 12, 24, 48] as const

export async function roundProgress(db: Db, actor: Actor, id: string, now = new Date()): Promise<RoundProgress> {
  authorize(actor, 'testing:read')
  const round = await visibleRound(db, actor, id)
  const scope = scopeOn(actor)
  const [grids, missed, byHour, counters, turnaround] = [
    await progressByGrid(db, round, scope),
    await missedCountsByGrid(db, round, scope),
    await rows<{ hour: string; specimens: number }>(
      db,
      sql`select to_char(date_trunc('hour', scanned_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:00:00"Z"') as hour, count(*)::int as specimens
          from specimen s where s.round_id = ${round.id} and ${scope(sql`s.grid_path`)} group by 1 order by 1`,
    ),
    await roundCounters(db, round.id, scope),
    await rows<{ hours: number | null; kind: string; n: number }>(
      db,
      sql`select case when result is null then null else ceil(extract(epoch from resulted_at - opened_at) / 3600)::int end as hours, kind, count(*)::int as n
          from tube where round_id = ${round.id} group by 1, 2`,
    ),
  ]
  const missedBy = new Map(missed.map((m) => [m.gridPath, m.missed]))
  const byGrid = grids.map((g) => ({ ...g, missed: missedBy.get(g.gridPath) ?? 0 }))
  const totals = byGrid.reduce((t, g) => ({ inScope: t.inScope + g.inScope, sampled: t.sampled + g.sampled, excused: t.excused + g.excused, missed: t.missed + g.missed }), { inScope: 0, sampled: 0, excused: 0, missed: 0 })
  const buckets = new Map<string, number>()
  for (const t of turnaround) {
    if (t.hours === null) continue
    const b = TURNAROUND_BUCKETS.find((x) => t.hours! <= x)
    const label = b ? `≤${b}h` : `>${TURNAROUND_BUCKETS[TURNAROUND_BUCKETS.length - 1]}h`
    buckets.set(label, (buckets.get(label) ?? 0) + t.n)
  }
  const [overdue] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from tube where round_id = ${round.id} and result is null and status = 'closed'
        and closed_at < ${now.toISOString()}::timestamptz - make_interval(hours => case when kind = 'pooled' then ${round.turnaroundPooledHours}::int else ${round.turnaroundSingleHours}::int end)`,
  )
  const names = await divisionNames(db, round.scopeIds)
  return {
    round: roundView(round, names),
    now: now.toISOString(),
    secondsLeft: Math.max(0, Math.round((round.deadline.getTime() - now.getTime()) / 1000)),
    totals,
    byGrid,
    byHour,
    counters,
    turnaround: [...TURNAROUND_BUCKETS.map((b) => `≤${b}h`), `>${TURNAROUND_BUCKETS[TURNAROUND_BUCKETS.length - 1]}h`].map((bucket) => ({ bucket, tubes: buckets.get(bucket) ?? 0 })),
    overdueTubes: overdue?.n ?? 0,
  }
}

export async function closeRound(db: Db, actor: Actor, id: string): Promise<RoundView> {
  authorize(actor, 'testing:manage')
  const round = await visibleRound(db, actor, id)
  if (round.status === 'closed') return roundView(round, await divisionNames(db, round.scopeIds))
  const [closed] = await db.update(testRound).set({ status: 'closed', closedAt: new Date() }).where(eq(testRound.id, id)).returning()
  await db.update(tube).set({ status: 'closed', closedAt: new Date() }).where(and(eq(tube.roundId, id), eq(tube.status, 'open')))
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.round_close', targetType: 'test_round', targetId: id, scopePath: round.scopePaths[0], ip: actor.ip })
  return roundView(closed!, await divisionNames(db, closed!.scopeIds))
}

/* ------------------------------------------------------------------ sampling */

export interface ScanIn {
  clientId: string
  person: string
  tube: string
  scannedAt: string
  siteId?: string
  specimenType?: 'throat' | 'nasal'
}

export interface ScanOut {
  clientId: string
  status: 'accepted' | 'duplicate' | 'rejected'
  specimenId?: string
  person?: { name: string; household: string | null }
  tube?: { code: string; members: number; capacity: number; status: string; kind: string }
  warnings: ('already_sampled' | 'out_of_scope' | 'tube_closed' | 'recheck')[]
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

  for (const [i, scan] of scans.entries()) {
    const reject = (field: NonNullable<ScanOut['error']>['field'], reason: string): void => {
      out.push({ clientId: scan.clientId, status: 'rejected', warnings: [], error: { field, reason } })
    }
    const prior = known.get(scan.clientId)
    if (prior || seenClientIds.has(scan.clientId)) {
      out.push({ clientId: scan.clientId, status: 'duplicate', specimenId: prior?.id ?? specimens.find((s) => s.clientId === scan.clientId)?.id, warnings: [] })
      continue
    }
    const scannedAt = new Date(scan.scannedAt)
    if (Number.isNaN(scannedAt.getTime())) {
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
      person: { name: maskName(person.name), household: person.householdLabel },
      tube: { code: t.code, members: t.members, capacity: t.capacity, status: t.status, kind: t.kind },
      warnings,
    })
  }
  // The tube state each answer reports is the state after the whole batch.
  for (const o of out) if (o.tube) o.tube = { ...o.tube, members: tubes.get(o.tube.code)!.members, status: tubes.get(o.tube.code)!.status }
  await writeScanBatch(tx, { newTubes: [...newTubes.values()], changedTubes: [...changed.values()], specimens, rechecksSampled })
  return out
}

export async function closeTubeByHand(db: Db, actor: Actor, roundId: string, code: string): Promise<{ code: string; members: number; capacity: number; status: string; kind: string }> {
  authorize(actor, 'testing:sample')
  await visibleRound(db, actor, roundId)
  const [t] = (await lockTubes(db, [code])).values()
  if (!t || t.roundId !== roundId) throw notFound('Tube')
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

/* ------------------------------------------------------------------ resident codes */

export interface ResidentCodeView {
  residentId: string
  name: string
  token: string
  issuedAt: string
  qrSvg: string
}

async function qrSvg(token: string): Promise<string> {
  return QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
}

async function liveCode(db: Db, residentId: string): Promise<typeof residentCode.$inferSelect | undefined> {
  const [c] = await db.select().from(residentCode).where(and(eq(residentCode.residentId, residentId), isNull(residentCode.revokedAt)))
  return c
}

async function issueCode(db: Db, actor: Actor, holder: CodeHolder): Promise<typeof residentCode.$inferSelect> {
  const existing = await liveCode(db, holder.id)
  if (existing) return existing
  const [c] = await db.insert(residentCode).values({ token: newResidentCode(), residentId: holder.id, issuedBy: actor.username }).onConflictDoNothing().returning()
  return c ?? (await liveCode(db, holder.id))!
}

/** A resident's live code (issued on first use), for their page and their card. */
export async function residentCodeOf(db: Db, actor: Actor, residentId: string): Promise<ResidentCodeView> {
  authorize(actor, 'testing:codes')
  const holder = await residentForCode(db, actor, residentId)
  const c = await issueCode(db, actor, holder)
  return { residentId: holder.id, name: holder.name, token: c.token, issuedAt: c.issuedAt.toISOString(), qrSvg: await qrSvg(c.token) }
}

/** Revokes the live code (a lost card) and issues a new one. */
export async function reissueResidentCode(db: Db, actor: Actor, residentId: string, reason: string): Promise<ResidentCodeView> {
  authorize(actor, 'testing:codes')
  const holder = await residentForCode(db, actor, residentId)
  await db.update(residentCode).set({ revokedAt: new Date() }).where(and(eq(residentCode.residentId, holder.id), isNull(residentCode.revokedAt)))
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.code_revoke', targetType: 'resident', targetId: holder.id, scopePath: holder.gridPath, ip: actor.ip, reason })
  return residentCodeOf(db, actor, residentId)
}

/** The cards of one household: every active member's code, issued where missing. */
export async function householdCards(db: Db, actor: Actor, householdId: string): Promise<{ household: string; cards: ResidentCodeView[] }> {
  authorize(actor, 'testing:codes')
  const members = await rows<{ id: string }>(db, sql`select id from resident where household_id = ${householdId} and status = 'active' order by relation = 'head' desc, birth_date`)
  const cards = []
  for (const m of members) cards.push(await residentCodeOf(db, actor, m.id))
  const [h] = await rows<{ label: string }>(db, sql`select label from household where id = ${householdId}`)
  if (!h) throw notFound('Household')
  return { household: h.label, cards }
}

/** Codes for every resident under a division who has none, set-wise (CLI and benches). */
export async function issueCodesUnder(db: Db, actor: Actor, divisionId: string): Promise<number> {
  authorize(actor, 'testing:codes')
  const d = await findDivisionById(db, divisionId)
  if (!d) throw notFound('Division')
  assertPathInScope(actor, { type: 'division', id: d.id, path: d.path })
  const [r] = await rows<{ n: number }>(
    db,
    sql`with i as (insert into resident_code (token, resident_id, issued_by)
          select 'WG' || upper(replace(gen_random_uuid()::text, '-', '')), r.id, ${actor.username} from resident r
          where r.grid_path like ${d.path.replace(/[\\%_]/g, '\\$&') + '%'} and r.status = 'active'
            and not exists (select 1 from resident_code c where c.resident_id = r.id and c.revoked_at is null)
          on conflict do nothing returning 1)
        select count(*)::int as n from i`,
  )
  return r?.n ?? 0
}

/* ------------------------------------------------------------------ lab results */

export interface ResultIn {
  rowNo?: number
  tubeCode: string
  result: string
  retest?: boolean
  resultedAt?: string
}

export interface ResultOut {
  rowNo: number
  tubeCode: string
  outcome: 'applied' | 'duplicate' | 'conflict' | 'rejected'
  reason?: string
}

export interface ResultsReport {
  rows: number
  applied: number
  duplicates: number
  conflicts: number
  rejected: number
  cleared: number
  poolPositiveTubes: number
  rechecksOrdered: number
  confirmed: number
  problems: ResultOut[]
}

const RESULT_WORDS: Record<string, TubeResultValue> = {
  negative: 'negative',
  neg: 'negative',
  阴性: 'negative',
  '-': 'negative',
  positive: 'positive',
  pos: 'positive',
  阳性: 'positive',
  '+': 'positive',
  abnormal: 'abnormal',
  异常: 'abnormal',
  可疑: 'abnormal',
  待复核: 'abnormal',
}

export function readResultWord(raw: string): TubeResultValue | undefined {
  return RESULT_WORDS[raw.trim().toLowerCase()]
}

/**
 * A lab's results, in one transaction: each row applied, reported as a duplicate, flagged as a
 * conflict (a different second result that is not a retest), or rejected with its reason.
 * Negative tubes clear their members; positive or abnormal pools put theirs under recheck with
 * one order each and alert their grids; single-tube positives are confirmed once.
 */
export async function ingestResults(tx: Db, lab: string, input: ResultIn[], now = new Date()): Promise<ResultsReport> {
  const report: ResultsReport = { rows: input.length, applied: 0, duplicates: 0, conflicts: 0, rejected: 0, cleared: 0, poolPositiveTubes: 0, rechecksOrdered: 0, confirmed: 0, problems: [] }
  const problem = (p: ResultOut): void => {
    if (report.problems.length < 1000) report.problems.push(p)
  }
  const codes = [...new Set(input.map((r) => r.tubeCode.trim()).filter((c) => TUBE_CODE.test(c)))]
  const tubes = await tubesByCode(tx, codes)
  const applied = new Map<string, AppliedResult>()
  const log: { tubeId: string; result: string; retest: boolean; outcome: string }[] = []
  for (const [i, r] of input.entries()) {
    const rowNo = r.rowNo ?? i + 1
    const code = r.tubeCode.trim()
    const result = readResultWord(r.result)
    if (!result) {
      report.rejected++
      problem({ rowNo, tubeCode: code, outcome: 'rejected', reason: `result "${r.result}" is not negative, positive or abnormal (阴性/阳性/异常)` })
      continue
    }
    const t = tubes.get(code)
    if (!t) {
      report.rejected++
      problem({ rowNo, tubeCode: code, outcome: 'rejected', reason: TUBE_CODE.test(code) ? 'unknown tube code' : 'not a tube barcode' })
      continue
    }
    const resultedAt = r.resultedAt ? new Date(r.resultedAt) : now
    if (Number.isNaN(resultedAt.getTime())) {
      report.rejected++
      problem({ rowNo, tubeCode: code, outcome: 'rejected', reason: 'resultedAt: not a time' })
      continue
    }
    const pending = applied.get(t.id)
    const verdict = classifyResult(pending?.result ?? (t.result as TubeResultValue | null), result, r.retest ?? false)
    log.push({ tubeId: t.id, result, retest: r.retest ?? false, outcome: verdict === 'apply' ? 'applied' : verdict })
    if (verdict === 'duplicate') {
      report.duplicates++
      continue
    }
    if (verdict === 'conflict') {
      report.conflicts++
      problem({ rowNo, tubeCode: code, outcome: 'conflict', reason: `already ${pending?.result ?? t.result}; send it again marked as a retest to replace it` })
      continue
    }
    applied.set(t.id, { tubeId: t.id, result, kind: t.kind as AppliedResult['kind'], resultedAt })
    report.applied++
  }
  const effects = await applyTubeResults(tx, lab, [...applied.values()])
  report.cleared = effects.cleared
  report.poolPositiveTubes = new Set(effects.poolPositive.map((p) => p.tubeCode)).size
  report.rechecksOrdered = effects.poolPositive.length
  report.confirmed = await recordPositiveCases(tx, effects.confirmed)
  if (log.length) {
    await tx.insert(tubeResult).values(log.map((l) => ({ tubeId: l.tubeId, result: l.result, lab, retest: l.retest, outcome: l.outcome })))
  }
  // Alerts: one per grid for new rechecks, one per confirmed person, one per conflicting tube.
  const alerts: NewAlert[] = []
  const byGrid = new Map<string, { tubes: Set<string>; people: number }>()
  for (const p of effects.poolPositive) {
    const g = byGrid.get(p.gridPath) ?? { tubes: new Set(), people: 0 }
    g.tubes.add(p.tubeCode)
    g.people++
    byGrid.set(p.gridPath, g)
  }
  for (const [gridPath, g] of byGrid) {
    alerts.push({ scopePath: gridPath, kind: 'testing.pool_positive', severity: 'critical', title: `混管阳性：${g.people} 人待单管复核`, detail: { tubes: [...g.tubes].slice(0, 20), people: g.people, roundId: effects.poolPositive[0]!.roundId } })
  }
  for (const c of effects.confirmed) {
    alerts.push({ scopePath: c.gridPath, kind: 'testing.confirmed_positive', severity: 'critical', title: '单管阳性：请立即启动快速处置', detail: { tube: c.tubeCode, residentId: c.residentId, roundId: c.roundId } })
  }
  for (const p of report.problems.filter((x) => x.outcome === 'conflict').slice(0, 50)) {
    const t = tubes.get(p.tubeCode)!
    const [r] = await tx.select({ paths: testRound.scopePaths }).from(testRound).where(eq(testRound.id, t.roundId))
    alerts.push({ scopePath: r?.paths[0] ?? '/', kind: 'testing.result_conflict', severity: 'warning', title: `检测结果冲突：管 ${p.tubeCode}`, detail: { tube: p.tubeCode, lab, reason: p.reason } })
  }
  await raiseAlerts(tx, alerts)
  await appendAudit(tx, { actorId: null, actorName: `lab:${lab}`, action: 'testing.results', targetType: 'lab', targetId: lab, detail: { rows: report.rows, applied: report.applied, conflicts: report.conflicts, rejected: report.rejected, rechecksOrdered: report.rechecksOrdered, confirmed: report.confirmed } })
  return report
}

/** Results uploaded by a person (a file from a lab without API access): same rules, audited as them. */
export async function uploadResults(tx: Db, actor: Actor, lab: string, input: ResultIn[]): Promise<ResultsReport> {
  authorize(actor, 'testing:results')
  const report = await ingestResults(tx, lab, input)
  await appendAudit(tx, { actorId: actor.userId, actorName: actor.username, action: 'testing.results_upload', targetType: 'lab', targetId: lab, ip: actor.ip, detail: { rows: report.rows } })
  return report
}

export async function createLabAccount(db: Db, actor: Actor, name: string): Promise<{ id: string; name: string; token: string }> {
  authorize(actor, 'testing:manage')
  const token = 'wglab_' + crypto.randomBytes(24).toString('base64url')
  const [lab] = await db
    .insert(labAccount)
    .values({ name: name.trim(), tokenHash: crypto.createHash('sha256').update(token).digest('hex'), createdBy: actor.username })
    .onConflictDoNothing()
    .returning()
  if (!lab) throw new AppError(409, 'CONFLICT', `name: a lab named ${name} exists`)
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.lab_create', targetType: 'lab', targetId: lab.id, ip: actor.ip, detail: { name: lab.name } })
  return { id: lab.id, name: lab.name, token }
}

export async function listLabAccounts(db: Db, actor: Actor): Promise<{ id: string; name: string; createdAt: string; revokedAt: string | null }[]> {
  authorize(actor, 'testing:manage')
  const found = await db.select().from(labAccount).orderBy(labAccount.name)
  return found.map((l) => ({ id: l.id, name: l.name, createdAt: l.createdAt.toISOString(), revokedAt: l.revokedAt?.toISOString() ?? null }))
}

export async function revokeLabAccount(db: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'testing:manage')
  await db.update(labAccount).set({ revokedAt: new Date() }).where(eq(labAccount.id, id))
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.lab_revoke', targetType: 'lab', targetId: id, ip: actor.ip })
}

/** The lab behind a bearer token, or undefined. */
export async function labByToken(db: Db, token: string): Promise<{ id: string; name: string } | undefined> {
  const hash = crypto.createHash('sha256').update(token).digest('hex')
  const [lab] = await db.select().from(labAccount).where(and(eq(labAccount.tokenHash, hash), isNull(labAccount.revokedAt)))
  return lab ? { id: lab.id, name: lab.name } : undefined
}

/* ------------------------------------------------------------------ missed-test list */

export interface MissedItem {
  residentId: string
  name: string
  phone: string | null
  gridPath: string
  household: string | null
  age: number | null
  reason: string | null
  note: string | null
}

export async function missedList(
  db: Db,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  q: { grid?: string; after?: string; limit?: number; includeExcused?: boolean },
  now = new Date(),
): Promise<{ items: MissedItem[]; next: string | null }> {
  authorize(actor, 'testing:missed')
  const round = await visibleRound(db, actor, roundId)
  let after: { gridPath: string; sortKey: string; id: string } | undefined
  if (q.after) {
    try {
      after = JSON.parse(Buffer.from(q.after, 'base64url').toString('utf8')) as typeof after
    } catch {
      throw invalid('after', 'not a cursor from this list')
    }
  }
  const limit = Math.min(q.limit ?? 50, 500)
  const page = await missedPage(db, round, scopeOn(actor), { gridPath: q.grid, after, limit: limit + 1, includeExcused: q.includeExcused })
  const items = page.slice(0, limit).map((r) => missedItem(ring, r, now))
  const last = page.length > limit ? page[limit - 1]! : undefined
  return { items, next: last ? Buffer.from(JSON.stringify({ gridPath: last.gridPath, sortKey: last.sortKey, id: last.id })).toString('base64url') : null }
}

function missedItem(ring: Keyring, r: MissedRow, now: Date): MissedItem {
  const age = r.birthDate ? Math.floor((now.getTime() - new Date(r.birthDate).getTime()) / (365.25 * 86_400_000)) : null
  return {
    residentId: r.id,
    name: r.name,
    phone: r.phoneEnc ? maskPhone(decryptValue(ring, r.phoneEnc)) : null,
    gridPath: r.gridPath,
    household: r.householdLabel,
    age,
    reason: r.reason,
    note: r.note,
  }
}

/** Every missed row for an export (walks the keyset to the end). */
export async function* allMissed(db: Db, ring: Keyring, actor: Actor, roundId: string, grid?: string): AsyncGenerator<MissedItem> {
  let after: string | undefined
  for (;;) {
    const page = await missedList(db, ring, actor, roundId, { grid, after, limit: 500, includeExcused: false })
    yield* page.items
    if (!page.next) return
    after = page.next
  }
}

export async function recordMissedReason(db: Db, actor: Actor, roundId: string, residentId: string, input: { reason: string; note?: string }): Promise<{ reason: string; excludes: boolean }> {
  authorize(actor, 'testing:missed')
  const round = await visibleRound(db, actor, roundId)
  const { settings, profile } = await testingSettings(db)
  const rule = settings.missedReasons[input.reason]
  if (!rule) throw invalid('reason', `one of ${Object.keys(settings.missedReasons).join(', ')} (profile ${profile})`)
  if (rule.needsNote && !input.note?.trim()) throw invalid('note', `"${input.reason}" needs a note (where, and the proof)`)
  const [r] = await rows<{ id: string; grid_path: string }>(db, sql`select id, grid_path from resident where id = ${residentId}`)
  if (!r) throw notFound('Resident')
  assertPathInScope(actor, { type: 'resident', id: r.id, path: r.grid_path })
  if (!round.scopePaths.some((p) => r.grid_path.startsWith(p))) throw invalid('residentId', 'this resident is not in the round\u2019s scope')
  await upsertMissedReason(db, { roundId: round.id, residentId: r.id, reason: input.reason, excludes: rule.excludes, note: input.note?.trim() || null, recordedBy: actor.username })
  return { reason: input.reason, excludes: rule.excludes }
}

export async function clearMissedReason(db: Db, actor: Actor, roundId: string, residentId: string): Promise<void> {
  authorize(actor, 'testing:missed')
  await visibleRound(db, actor, roundId)
  const [r] = await rows<{ grid_path: string }>(db, sql`select grid_path from resident where id = ${residentId}`)
  if (!r) throw notFound('Resident')
  assertPathInScope(actor, { type: 'resident', id: residentId, path: r.grid_path })
  await db.execute(sql`delete from missed_reason where round_id = ${roundId} and resident_id = ${residentId}`)
}

/* ------------------------------------------------------------------ rechecks */

export interface RecheckItem {
  id: string
  residentId: string
  name: string
  household: string | null
  phone: string | null
  gridPath: string
  sourceTube: string
  status: string
  createdAt: string
}

export async function listRechecks(db: Db, ring: Keyring, actor: Actor, roundId: string, q: { status?: string }): Promise<RecheckItem[]> {
  authorize(actor, 'testing:read')
  const round = await visibleRound(db, actor, roundId)
  const found = await rows<{ id: string; resident_id: string; name: string; label: string | null; phone_enc: string | null; grid_path: string; code: string; status: string; created_at: Date }>(
    db,
    sql`select o.id, o.resident_id, r.name, h.label, r.phone_enc, o.grid_path, t.code, o.status, o.created_at
        from recheck_order o join resident r on r.id = o.resident_id left join household h on h.id = r.household_id join tube t on t.id = o.source_tube_id
        where o.round_id = ${round.id} and ${scopeCondition(sql`o.grid_path`, actor)} ${q.status ? sql`and o.status = ${q.status}` : sql``}
        order by o.grid_path, h.sort_key, o.id limit 2000`,
  )
  return found.map((o) => ({
    id: o.id,
    residentId: o.resident_id,
    name: o.name,
    household: o.label,
    phone: o.phone_enc ? maskPhone(decryptValue(ring, o.phone_enc)) : null,
    gridPath: o.grid_path,
    sourceTube: o.code,
    status: o.status,
    createdAt: new Date(o.created_at).toISOString(),
  }))
}
