import crypto from 'node:crypto'
import { and, eq, isNull, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import { assertScopeContains, isWholeDeployment, scopeCondition, type Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import { AppError, forbidden, notFound } from '../core/errors.js'
import { decryptValue } from '../core/pii/crypto.js'
import { maskPhone } from '../core/pii/mask.js'
import type { Keyring } from '../core/pii/keyring.js'
import { raiseAlerts, type NewAlert } from '../alerts/alerts.service.js'
import { applyTubeResults, conflictsOfRound, insertConflicts, lockConflict, recordPositiveCases, tubesByCode, tubesReachingBeyond, type AppliedResult, type ConflictRow, type NewConflict } from './testing.repo.js'
import { classifyResult, readTime, TUBE_CODE, type TubeResultValue } from './testing.rules.js'
import { labAccount, resultConflict, testRound } from './testing.tables.js'
import { scopeOn, visibleRound } from './testing.service.js'

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
  const word = raw.trim().toLowerCase()
  // Own keys only: "constructor" or "toString" from a lab's file is not a result.
  return Object.hasOwn(RESULT_WORDS, word) ? RESULT_WORDS[word] : undefined
}

/**
 * A lab's results, in one transaction: each row applied, reported as a duplicate, flagged as a
 * conflict (a different second result that is not a retest), or rejected with its reason.
 * Negative tubes clear their members; positive or abnormal pools put theirs under recheck with
 * one order each and alert their grids; single-tube positives are confirmed once.
 */
export async function ingestResults(tx: Db, lab: string, input: ResultIn[], now = new Date(), uploader?: Actor): Promise<ResultsReport> {
  const report: ResultsReport = { rows: input.length, applied: 0, duplicates: 0, conflicts: 0, rejected: 0, cleared: 0, poolPositiveTubes: 0, rechecksOrdered: 0, confirmed: 0, problems: [] }
  const problem = (p: ResultOut): void => {
    if (report.problems.length < 1000) report.problems.push(p)
  }
  const codes = [...new Set(input.map((r) => r.tubeCode.trim()).filter((c) => TUBE_CODE.test(c)))]
  const tubes = await tubesByCode(tx, codes)
  // A person uploading by hand reports only tubes wholly inside their scope; any other tube reads
  // exactly like an unknown one, so the upload tells nothing about other areas' tubes.
  if (uploader && !isWholeDeployment(uploader)) {
    const beyond = await tubesReachingBeyond(tx, [...tubes.values()].map((t) => t.id), scopeOn(uploader))
    for (const [code, t] of tubes) if (beyond.has(t.id)) tubes.delete(code)
  }
  const applied = new Map<string, AppliedResult>()
  const log: { tubeId: string; result: string; retest: boolean; outcome: string }[] = []
  const conflicts: NewConflict[] = []
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
    const resultedAt = r.resultedAt ? readTime(r.resultedAt) : now
    if (!resultedAt) {
      report.rejected++
      problem({ rowNo, tubeCode: code, outcome: 'rejected', reason: 'resultedAt: not a time (a real date in 2000–2099)' })
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
      const held = (pending?.result ?? t.result) as TubeResultValue
      report.conflicts++
      conflicts.push({ tubeId: t.id, roundId: t.roundId, held, incoming: result, retest: r.retest ?? false })
      problem({
        rowNo,
        tubeCode: code,
        outcome: 'conflict',
        reason: r.retest ? `already ${held}; a retest that is less strict waits for a person to resolve it (the safer result holds)` : `already ${held}; send it again marked as a retest to replace it`,
      })
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
  await insertConflicts(tx, lab, conflicts)
  if (log.length) {
    // Arrays, not a VALUES list: a lab's file has hundreds of thousands of rows (PostgreSQL takes 65,535 parameters).
    await tx.execute(sql`insert into tube_result (tube_id, result, lab, retest, outcome)
      select t, r, ${lab}, x, o from unnest(${sql.param(log.map((l) => l.tubeId))}::uuid[], ${sql.param(log.map((l) => l.result))}::text[],
                                           ${sql.param(log.map((l) => l.retest))}::boolean[], ${sql.param(log.map((l) => l.outcome))}::text[]) as v(t, r, x, o)`)
  }
  // Alerts: one per grid for new rechecks, one per confirmed person, one per conflicting tube.
  const alerts = effectAlerts(effects)
  for (const p of report.problems.filter((x) => x.outcome === 'conflict').slice(0, 50)) {
    const t = tubes.get(p.tubeCode)!
    const [r] = await tx.select({ paths: testRound.scopePaths }).from(testRound).where(eq(testRound.id, t.roundId))
    alerts.push({ scopePath: r?.paths[0] ?? '/', kind: 'testing.result_conflict', severity: 'warning', title: `检测结果冲突：管 ${p.tubeCode}`, detail: { tube: p.tubeCode, lab, reason: p.reason, roundId: t.roundId } })
  }
  await raiseAlerts(tx, alerts)
  await appendAudit(tx, { actorId: null, actorName: `lab:${lab}`, action: 'testing.results', targetType: 'lab', targetId: lab, detail: { rows: report.rows, applied: report.applied, conflicts: report.conflicts, rejected: report.rejected, rechecksOrdered: report.rechecksOrdered, confirmed: report.confirmed } })
  return report
}

/** Alerts for what applied results did: one per grid for new rechecks, one per confirmed person. */
function effectAlerts(effects: Awaited<ReturnType<typeof applyTubeResults>>): NewAlert[] {
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
  return alerts
}

/* ------------------------------------------------------------------ conflicts */

export interface ConflictView {
  id: string
  tubeCode: string
  held: string
  incoming: string
  lab: string
  retest: boolean
  status: 'open' | 'kept' | 'accepted'
  note: string | null
  resolvedBy: string | null
  resolvedAt: string | null
  createdAt: string
  members: number
}

function conflictView(c: ConflictRow): ConflictView {
  return {
    id: c.id,
    tubeCode: c.tubeCode,
    held: c.held,
    incoming: c.incoming,
    lab: c.lab,
    retest: c.retest,
    status: c.status as ConflictView['status'],
    note: c.note,
    resolvedBy: c.resolvedBy,
    resolvedAt: c.resolvedAt ? new Date(c.resolvedAt).toISOString() : null,
    createdAt: new Date(c.createdAt).toISOString(),
    members: c.members,
  }
}

/** The round's result conflicts on tubes with a swab under my scope. */
export async function listConflicts(db: Db, actor: Actor, roundId: string): Promise<ConflictView[]> {
  authorize(actor, 'testing:read')
  const round = await visibleRound(db, actor, roundId)
  return (await conflictsOfRound(db, round.id, scopeOn(actor))).map(conflictView)
}

/**
 * A person resolves a conflict: keep the result that holds, or accept the lab's other one (then
 * applied as a first result would be: a negative clears the pool's members; recheck orders
 * already given stay). Only someone whose scope holds everyone in the tube may decide; audited
 * with their note.
 */
export async function resolveConflict(tx: Db, actor: Actor, roundId: string, id: string, input: { decision: 'keep' | 'accept'; note: string }): Promise<ConflictView> {
  authorize(actor, 'testing:results')
  const round = await visibleRound(tx, actor, roundId)
  const c = await lockConflict(tx, round.id, id, scopeOn(actor))
  if (!c) throw notFound('Conflict')
  assertScopeContains(actor, { type: 'tube', id: c.tubeId, paths: c.gridPaths })
  if (c.status !== 'open') throw new AppError(409, 'CONFLICT', `status: this conflict was already resolved (${c.status})`)
  const status = input.decision === 'keep' ? 'kept' : 'accepted'
  if (status === 'accepted') {
    const incoming = c.incoming as TubeResultValue
    const effects = await applyTubeResults(tx, c.lab, [{ tubeId: c.tubeId, result: incoming, kind: c.tubeKind as AppliedResult['kind'], resultedAt: new Date() }])
    await recordPositiveCases(tx, effects.confirmed)
    await tx.execute(sql`insert into tube_result (tube_id, result, lab, retest, outcome) values (${c.tubeId}, ${incoming}, ${c.lab}, ${c.retest}, 'applied')`)
    await raiseAlerts(tx, effectAlerts(effects))
  }
  const [done] = await tx
    .update(resultConflict)
    .set({ status, note: input.note.trim(), resolvedBy: actor.username, resolvedAt: new Date() })
    .where(eq(resultConflict.id, c.id))
    .returning()
  await appendAudit(tx, {
    actorId: actor.userId,
    actorName: actor.username,
    action: 'testing.conflict_resolve',
    targetType: 'tube',
    targetId: c.tubeId,
    scopePath: round.scopePaths[0] ?? null,
    ip: actor.ip,
    reason: input.note.trim(),
    detail: { conflictId: c.id, tube: c.tubeCode, held: c.held, incoming: c.incoming, lab: c.lab, decision: status },
  })
  return conflictView({ ...c, status: done!.status, note: done!.note, resolvedBy: done!.resolvedBy, resolvedAt: done!.resolvedAt })
}

/** Results uploaded by a person (a file from a lab without API access): same rules, audited as them. */
export async function uploadResults(tx: Db, actor: Actor, lab: string, input: ResultIn[]): Promise<ResultsReport> {
  authorize(actor, 'testing:results')
  const report = await ingestResults(tx, lab, input, new Date(), actor)
  await appendAudit(tx, { actorId: actor.userId, actorName: actor.username, action: 'testing.results_upload', targetType: 'lab', targetId: lab, ip: actor.ip, detail: { rows: report.rows } })
  return report
}

/**
 * Lab accounts are deployment-level: a lab serves many streets and its token is not bound to an
 * area, so only an admin acting on the whole deployment creates, lists or revokes them (a
 * community lead's or a command's `testing:manage` does not suffice).
 */
function authorizeLabs(actor: Actor): void {
  authorize(actor, 'testing:labs')
  if (!isWholeDeployment(actor)) throw forbidden('lab accounts are kept for the whole deployment: switch your scope back to all of it')
}

export async function createLabAccount(db: Db, actor: Actor, name: string): Promise<{ id: string; name: string; token: string }> {
  authorizeLabs(actor)
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
  authorizeLabs(actor)
  const found = await db.select().from(labAccount).orderBy(labAccount.name)
  return found.map((l) => ({ id: l.id, name: l.name, createdAt: l.createdAt.toISOString(), revokedAt: l.revokedAt?.toISOString() ?? null }))
}

export async function revokeLabAccount(db: Db, actor: Actor, id: string): Promise<void> {
  authorizeLabs(actor)
  const [lab] = await db.update(labAccount).set({ revokedAt: new Date() }).where(and(eq(labAccount.id, id), isNull(labAccount.revokedAt))).returning({ id: labAccount.id })
  if (!lab) {
    const [known] = await db.select({ id: labAccount.id }).from(labAccount).where(eq(labAccount.id, id))
    if (!known) throw notFound('Lab')
    return
  }
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.lab_revoke', targetType: 'lab', targetId: id, ip: actor.ip })
}

/** The lab behind a bearer token, or undefined. */
export async function labByToken(db: Db, token: string): Promise<{ id: string; name: string } | undefined> {
  const hash = crypto.createHash('sha256').update(token).digest('hex')
  const [lab] = await db.select().from(labAccount).where(and(eq(labAccount.tokenHash, hash), isNull(labAccount.revokedAt)))
  return lab ? { id: lab.id, name: lab.name } : undefined
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
