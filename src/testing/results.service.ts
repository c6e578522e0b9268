import { z } from 'zod'
import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { isWholeDeployment } from '../core/scope/scope.js'
import { appendAudit, audit } from '../core/audit/audit.service.js'
import { conflict, invalid, notFound } from '../core/errors.js'
import { renderMessage, type Lang } from '../core/i18n/messages.js'
import { decryptValue } from '../core/pii/crypto.js'
import { maskPhone } from '../core/pii/mask.js'
import type { Keyring } from '../core/pii/keyring.js'
import { randomUUID } from 'node:crypto'
import {
  raiseAlerts,
  raiseGroupedAlerts,
  type GroupedAlert,
  type NewAlert,
} from '../alerts/alerts.service.js'
import {
  endTemporaryControl,
  measuresOf,
  startTemporaryControl,
} from '../measures/control.service.js'
import { profileSection } from '../policy/policy.service.js'
import {
  applyTubeResults,
  casesInScope,
  conflictsOfRound,
  insertConflicts,
  lockCase,
  lockConflict,
  lockRecheck,
  lockTubesByCode,
  logTubeResults,
  markConflictResolved,
  rechecksOfRound,
  recordPositiveCases,
  roundHomePaths,
  setRecheckAssignee,
  tubesReachingBeyond,
  updateCase,
  usersCovering,
  type AppliedResult,
  type CaseRow,
  type ConflictRow,
  type LoggedResult,
  type NewCase,
  type NewConflict,
  type OrderedPerson,
  type ResultEffects,
  type ResultTube,
} from './results.repo.js'
import { judgeResultRow, recheckAlertText, screeningAlertText } from './results.rules.js'
import { TUBE_CODE } from './testing.rules.js'
import type {
  ConflictOut,
  ControlPersonOut,
  DecideCaseIn,
  PositiveCaseOut,
  ReassignRecheckIn,
  RecheckAssigneeOut,
  RecheckOut,
  RecheckQuery,
  ResolveConflictIn,
  ResultIn,
  ResultProblem,
  ResultsReport,
} from './results.schema.js'
import { visibleRound } from './testing.service.js'

export { readResultWord } from './results.rules.js'
export type { ResultIn, ResultsReport } from './results.schema.js'
export { createLabAccount, labByToken, listLabAccounts, revokeLabAccount } from './labs.service.js'

/* ------------------------------------------------------------------ lab results */

const MAX_PROBLEMS = 1000

export interface IngestOptions {
  now?: Date
  /** A person uploading by hand: only tubes wholly inside their scope are theirs to report. */
  uploader?: Actor
  /** The language of the report's reasons (the requester's; Chinese by default). */
  lang?: Lang
}

/** The tubes a batch names, locked; for a person uploading by hand, only those wholly inside their scope. */
async function tubesOfBatch(
  tx: Db,
  input: readonly ResultIn[],
  uploader: Actor | undefined,
): Promise<Map<string, ResultTube>> {
  const codes = [...new Set(input.map((r) => r.tubeCode.trim()).filter((c) => TUBE_CODE.test(c)))]
  const tubes = await lockTubesByCode(tx, codes)
  // Any other tube reads exactly like an unknown one, so the upload tells nothing about other areas' tubes.
  if (uploader && !isWholeDeployment(uploader)) {
    const beyond = await tubesReachingBeyond(
      tx,
      [...tubes.values()].map((t) => t.id),
      uploader,
    )
    for (const [code, t] of tubes) if (beyond.has(t.id)) tubes.delete(code)
  }
  return tubes
}

interface JudgedBatch {
  report: ResultsReport
  applied: AppliedResult[]
  log: LoggedResult[]
  conflicts: NewConflict[]
  /** Conflicting rows (tube code, round), for their alerts. */
  conflictTubes: { tubeCode: string; roundId: string; problem: ResultProblem }[]
}

/** Every row judged against its tube (an earlier row of the same batch counts as what the tube holds). */
function judgeBatch(
  input: readonly ResultIn[],
  tubes: Map<string, ResultTube>,
  now: Date,
  lang: Lang,
): JudgedBatch {
  const report: ResultsReport = {
    rows: input.length,
    applied: 0,
    duplicates: 0,
    conflicts: 0,
    rejected: 0,
    cleared: 0,
    poolPositiveTubes: 0,
    rechecksOrdered: 0,
    controlled: 0,
    reswab: 0,
    confirmed: 0,
    problems: [],
  }
  const applied = new Map<string, AppliedResult>()
  const batch: JudgedBatch = { report, applied: [], log: [], conflicts: [], conflictTubes: [] }
  const problem = (p: Omit<ResultProblem, 'reason'>): ResultProblem => {
    const full = { ...p, reason: renderMessage(lang, p.code, p.params) }
    if (report.problems.length < MAX_PROBLEMS) report.problems.push(full)
    return full
  }
  for (const [i, r] of input.entries()) {
    const rowNo = r.rowNo ?? i + 1
    const code = r.tubeCode.trim()
    const t = tubes.get(code)
    const decision = judgeResultRow(
      r,
      { known: t !== undefined, held: t ? (applied.get(t.id)?.result ?? t.result) : null },
      now,
    )
    if (decision.kind === 'rejected' || !t) {
      report.rejected++
      if (decision.kind === 'rejected')
        problem({ rowNo, tubeCode: code, outcome: 'rejected', ...decision.reason })
      continue
    }
    const retest = r.retest ?? false
    const cts = decision.kind === 'apply' ? decision.cts : { ctN: null, ctOrf1ab: null }
    batch.log.push({
      tubeId: t.id,
      result: decision.result,
      retest,
      outcome: decision.kind === 'apply' ? 'applied' : decision.kind,
      resultWord: r.result.trim().slice(0, 40),
      ...cts,
    })
    if (decision.kind === 'duplicate') {
      report.duplicates++
    } else if (decision.kind === 'conflict') {
      report.conflicts++
      batch.conflicts.push({
        tubeId: t.id,
        roundId: t.roundId,
        held: decision.held,
        incoming: decision.result,
        retest,
      })
      batch.conflictTubes.push({
        tubeCode: code,
        roundId: t.roundId,
        problem: problem({ rowNo, tubeCode: code, outcome: 'conflict', ...decision.reason }),
      })
    } else {
      applied.set(t.id, {
        tubeId: t.id,
        result: decision.result,
        kind: t.kind,
        resultedAt: decision.resultedAt,
        resultWord: r.result.trim().slice(0, 40),
        ...decision.cts,
      })
      report.applied++
      if (decision.disputes) {
        // 从严: the stricter result holds now; the one it replaced waits for a person.
        report.conflicts++
        batch.conflicts.push({
          tubeId: t.id,
          roundId: t.roundId,
          held: decision.result,
          incoming: decision.disputes,
          retest,
        })
        batch.conflictTubes.push({
          tubeCode: code,
          roundId: t.roundId,
          problem: problem({
            rowNo,
            tubeCode: code,
            outcome: 'conflict',
            code: 'RESULT_CONFLICT_STRICTER_HELD',
            field: 'result',
            params: { held: decision.disputes, incoming: decision.result },
          }),
        })
      }
    }
  }
  batch.applied = [...applied.values()]
  return batch
}

/**
 * Alerts for what applied results did, filed at each person's grid (its workers and those above
 * read them), one per grid, round and kind of a result file, however many tubes it holds (a
 * burst of 2,500 positive pools raises one alert a grid, not one a tube): new rechecks name
 * who and where (name and household, never an ID number), the deadline and the assignee; new
 * screening positives name the people and the 2-hour report clock. Expanding an alert lists
 * every person (its items).
 */
function effectAlerts(
  rechecks: readonly OrderedPerson[],
  cases: readonly NewCase[],
  groupKey: string,
): GroupedAlert[] {
  const groups = new Map<string, OrderedPerson[]>()
  for (const p of rechecks) {
    if (!p.ordered) continue
    const key = `${p.gridPath}|${p.roundId}|${p.reason === 'invalid' ? 'i' : 'p'}`
    groups.set(key, [...(groups.get(key) ?? []), p])
  }
  const alerts: GroupedAlert[] = []
  for (const people of groups.values()) {
    const first = people[0]!
    const invalidTube = first.reason === 'invalid'
    alerts.push({
      scopePath: first.gridPath,
      kind: invalidTube ? 'testing.reswab' : 'testing.pool_positive',
      severity: invalidTube ? 'warning' : 'critical',
      groupKey,
      items: people.map((p) => ({
        name: p.name,
        household: p.household,
        tube: p.tubeCode,
        deadline: p.deadline ? new Date(p.deadline).toISOString() : null,
        assignee: p.assigneeName,
      })),
      render: (items) => recheckAlertText(items, invalidTube),
      detail: {
        tubes: [...new Set(people.map((p) => p.tubeCode))],
        people: people.length,
        residents: people.map((p) => p.residentId),
        roundId: first.roundId,
      },
    })
  }
  const byGrid = new Map<string, NewCase[]>()
  for (const c of cases) {
    const key = `${c.gridPath}|${c.roundId}`
    byGrid.set(key, [...(byGrid.get(key) ?? []), c])
  }
  for (const found of byGrid.values()) {
    const first = found[0]!
    alerts.push({
      scopePath: first.gridPath,
      kind: 'testing.confirmed_positive',
      severity: 'critical',
      groupKey,
      items: found.map((c) => ({
        name: c.name,
        household: c.household,
        tube: c.tubeCode,
        deadline: new Date(c.reportDueAt).toISOString(),
      })),
      render: screeningAlertText,
      detail:
        found.length === 1
          ? {
              tube: first.tubeCode,
              residentId: first.residentId,
              roundId: first.roundId,
              episode: first.episode,
            }
          : {
              tubes: found.map((c) => c.tubeCode),
              residents: found.map((c) => c.residentId),
              roundId: first.roundId,
            },
    })
  }
  return alerts
}

/** The hours a recheck swab is due after its pool's result (the profile's testing.recheckHours, 6 h if it has none). */
const recheckSetting = z.object({ recheckHours: z.number().positive().optional() })
const DEFAULT_RECHECK_HOURS = 6

async function recheckHours(db: Db): Promise<number> {
  const { settings } = await profileSection(db, 'testing', recheckSetting)
  return settings.recheckHours ?? DEFAULT_RECHECK_HOURS
}

/**
 * What applied results do beyond the tubes, in the result's transaction: members of positive or
 * abnormal pools go under temporary control; a negative single tube ends it; screening positives
 * are recorded once per person and episode; alerts name who and where.
 */
async function applyEffects(
  tx: Tx,
  lab: string,
  applied: readonly AppliedResult[],
  at: Date,
): Promise<{ effects: ResultEffects; cases: NewCase[]; controlled: number }> {
  const effects = await applyTubeResults(tx, lab, applied, await recheckHours(tx))
  const by = `lab:${lab}`
  const controlled = await startTemporaryControl(
    tx,
    effects.rechecks
      .filter((p) => p.reason === 'pool_positive')
      .map((p) => ({ residentId: p.residentId, tubeId: p.tubeId })),
    { at, by },
  )
  await endTemporaryControl(tx, [...new Set(effects.singleNegative)], { at, by })
  const cases = await recordPositiveCases(tx, effects.positives, at)
  // One group per call: a result file (or a resolved conflict) is one burst.
  await raiseGroupedAlerts(tx, effectAlerts(effects.rechecks, cases, `results:${randomUUID()}`))
  return { effects, cases, controlled: controlled.length }
}

/** One alert per conflicting tube (the first 50), filed where its round is. */
async function conflictAlerts(
  tx: Db,
  lab: string,
  conflicting: JudgedBatch['conflictTubes'],
): Promise<NewAlert[]> {
  const first = [...new Map(conflicting.map((c) => [c.tubeCode, c])).values()].slice(0, 50)
  const homes = await roundHomePaths(tx, [...new Set(first.map((c) => c.roundId))])
  return first.map((c) => ({
    scopePath: homes.get(c.roundId) ?? '/',
    kind: 'testing.result_conflict',
    severity: 'warning' as const,
    code: 'ALERT_RESULT_CONFLICT' as const,
    params: { tube: c.tubeCode },
    detail: {
      tube: c.tubeCode,
      lab,
      code: c.problem.code,
      reason: renderMessage('zh-CN', c.problem.code, c.problem.params),
      roundId: c.roundId,
    },
  }))
}

/**
 * A lab's results, in one transaction: each row applied, reported as a duplicate, flagged as a
 * conflict (a different second result that is not a retest), or rejected with its reason.
 * Negative tubes clear their members; positive or abnormal pools put theirs under recheck with
 * one order each and alert their grids; single-tube positives are confirmed once.
 */
export async function ingestResults(
  tx: Tx,
  lab: string,
  input: ResultIn[],
  opts: IngestOptions = {},
): Promise<ResultsReport> {
  const now = opts.now ?? new Date()
  const tubes = await tubesOfBatch(tx, input, opts.uploader)
  const batch = judgeBatch(input, tubes, now, opts.lang ?? 'zh-CN')
  const { report } = batch
  const { effects, cases, controlled } = await applyEffects(tx, lab, batch.applied, now)
  report.cleared = effects.cleared
  const poolPositive = effects.rechecks.filter((p) => p.reason === 'pool_positive')
  report.poolPositiveTubes = new Set(poolPositive.map((p) => p.tubeId)).size
  report.rechecksOrdered = effects.rechecks.filter((p) => p.ordered).length
  report.controlled = controlled
  report.reswab = effects.reswab
  report.confirmed = cases.length
  await insertConflicts(tx, lab, batch.conflicts)
  await logTubeResults(tx, lab, batch.log)
  await raiseAlerts(tx, await conflictAlerts(tx, lab, batch.conflictTubes))
  const { rows, applied, conflicts, rejected, rechecksOrdered, confirmed } = report
  await appendAudit(tx, {
    actorId: null,
    actorName: `lab:${lab}`,
    action: 'testing.results',
    targetType: 'lab',
    targetId: lab,
    detail: { rows, applied, conflicts, rejected, rechecksOrdered, confirmed, controlled },
  })
  return report
}

/** Results uploaded by a person (a file from a lab without API access): same rules, audited as them. */
export async function uploadResults(
  tx: Tx,
  actor: Actor,
  lab: string,
  input: ResultIn[],
  lang: Lang = 'zh-CN',
): Promise<ResultsReport> {
  requireAccess(actor, 'testing:results')
  const report = await ingestResults(tx, lab, input, { uploader: actor, lang })
  await audit(
    tx,
    actor,
    'testing.results_upload',
    { type: 'lab', id: lab },
    { detail: { rows: report.rows } },
  )
  return report
}

/* ------------------------------------------------------------------ conflicts */

function conflictView(c: ConflictRow): ConflictOut {
  return {
    id: c.id,
    tubeCode: c.tubeCode,
    held: c.held,
    incoming: c.incoming,
    lab: c.lab,
    retest: c.retest,
    status: c.status,
    note: c.note,
    resolvedBy: c.resolvedBy,
    resolvedAt: c.resolvedAt ? new Date(c.resolvedAt).toISOString() : null,
    createdAt: new Date(c.createdAt).toISOString(),
    members: c.members,
  }
}

/** The round's result conflicts on tubes with a swab under my scope. */
export async function listConflicts(db: Db, actor: Actor, roundId: string): Promise<ConflictOut[]> {
  requireAccess(actor, 'testing:read')
  const round = await visibleRound(db, actor, roundId)
  return (await conflictsOfRound(db, round.id, actor)).map(conflictView)
}

/**
 * A person resolves a conflict: keep the result that holds, or accept the lab's other one (then
 * applied as a first result would be: a negative clears the pool's members; recheck orders
 * already given stay). Only someone whose scope holds everyone in the tube may decide; audited
 * with their note.
 */
export async function resolveConflict(
  tx: Tx,
  actor: Actor,
  roundId: string,
  id: string,
  input: ResolveConflictIn,
): Promise<ConflictOut> {
  requireAccess(actor, 'testing:results')
  const round = await visibleRound(tx, actor, roundId)
  const c = await lockConflict(tx, round.id, id, actor)
  if (!c) throw notFound('CONFLICT_NOT_FOUND')
  requireAccess(actor, 'testing:results', { type: 'tube', id: c.tubeId, paths: c.gridPaths })
  if (c.status !== 'open') throw conflict('CONFLICT_ALREADY_RESOLVED', { status: c.status })
  const status = input.decision === 'keep' ? 'kept' : 'accepted'
  const note = input.note.trim()
  if (status === 'accepted') {
    await applyEffects(
      tx,
      c.lab,
      [{ tubeId: c.tubeId, result: c.incoming, kind: c.tubeKind, resultedAt: new Date() }],
      new Date(),
    )
    await logTubeResults(tx, c.lab, [
      { tubeId: c.tubeId, result: c.incoming, retest: c.retest, outcome: 'applied' },
    ])
  }
  const done = await markConflictResolved(tx, c.id, { status, note, resolvedBy: actor.username })
  await audit(
    tx,
    actor,
    'testing.conflict_resolve',
    { type: 'tube', id: c.tubeId, path: round.scopePaths[0] ?? null },
    {
      reason: note,
      detail: {
        conflictId: c.id,
        tube: c.tubeCode,
        held: c.held,
        incoming: c.incoming,
        lab: c.lab,
        decision: status,
      },
    },
  )
  return conflictView({ ...c, ...done })
}

/* ------------------------------------------------------------------ rechecks */

const assigneeOf = (o: { assigneeId: string | null; assigneeName: string | null }) =>
  o.assigneeId ? { id: o.assigneeId, name: o.assigneeName ?? '' } : null

const OPEN_RECHECK = new Set(['ordered', 'sampled'])

/** A round's recheck orders under my scope, with their deadline and assignee. */
export async function listRechecks(
  db: Db,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  q: RecheckQuery,
  now = new Date(),
): Promise<RecheckOut[]> {
  requireAccess(actor, 'testing:read')
  const round = await visibleRound(db, actor, roundId)
  const found = await rechecksOfRound(db, round.id, actor, q.status)
  return found.map((o) => ({
    id: o.id,
    residentId: o.residentId,
    name: o.name,
    household: o.household,
    phone: o.phoneEnc ? maskPhone(decryptValue(ring, o.phoneEnc)) : null,
    gridPath: o.gridPath,
    sourceTube: o.sourceTube,
    status: o.status,
    reason: o.reason,
    deadline: o.deadline ? new Date(o.deadline).toISOString() : null,
    overdue: OPEN_RECHECK.has(o.status) && !!o.deadline && new Date(o.deadline) < now,
    assignee: assigneeOf(o),
    createdAt: new Date(o.createdAt).toISOString(),
  }))
}

/**
 * The round's temporary-control list: everyone of its positive or abnormal pools, where they
 * live, their recheck's deadline and assignee, and whether they are under control now.
 */
export async function listTemporaryControl(
  db: Db,
  actor: Actor,
  roundId: string,
  now = new Date(),
): Promise<ControlPersonOut[]> {
  requireAccess(actor, 'testing:read')
  const round = await visibleRound(db, actor, roundId)
  const found = (await rechecksOfRound(db, round.id, actor)).filter(
    (o) => o.reason === 'pool_positive',
  )
  const measures = await measuresOf(
    db,
    found.map((o) => o.residentId),
  )
  return found.map((o) => ({
    orderId: o.id,
    residentId: o.residentId,
    name: o.name,
    household: o.household,
    gridPath: o.gridPath,
    sourceTube: o.sourceTube,
    recheck: o.status,
    deadline: o.deadline ? new Date(o.deadline).toISOString() : null,
    overdue: OPEN_RECHECK.has(o.status) && !!o.deadline && new Date(o.deadline) < now,
    assignee: assigneeOf(o),
    controlled: measures.get(o.residentId)?.includes('temporary_control') ?? false,
  }))
}

/** Who may be given the round's recheck orders, grid by grid (of my scope): enabled users whose scope covers it. */
export async function recheckAssignees(
  db: Db,
  actor: Actor,
  roundId: string,
): Promise<{ gridPath: string; users: RecheckAssigneeOut[] }[]> {
  requireAccess(actor, 'testing:read')
  const round = await visibleRound(db, actor, roundId)
  const grids = [...new Set((await rechecksOfRound(db, round.id, actor)).map((o) => o.gridPath))]
  const out = []
  for (const gridPath of grids.slice(0, 50))
    out.push({ gridPath, users: await usersCovering(db, gridPath) })
  return out
}

async function lockRecheckRead(
  db: Db,
  roundId: string,
  orderId: string,
  actor: Actor,
): Promise<NonNullable<Awaited<ReturnType<typeof lockRecheck>>>> {
  const o = await lockRecheck(db, roundId, orderId, actor)
  if (!o) throw notFound('RECHECK_NOT_FOUND')
  return o
}

/** Gives a recheck order to another user whose scope covers the person's grid (audited). */
export async function reassignRecheck(
  tx: Tx,
  actor: Actor,
  roundId: string,
  orderId: string,
  input: ReassignRecheckIn,
): Promise<RecheckAssigneeOut> {
  requireAccess(actor, 'testing:results')
  const round = await visibleRound(tx, actor, roundId)
  const o = await lockRecheckRead(tx, round.id, orderId, actor)
  requireAccess(actor, 'testing:results', { type: 'recheck_order', id: o.id, path: o.gridPath })
  if (!OPEN_RECHECK.has(o.status)) throw conflict('RECHECK_ALREADY_DONE', { status: o.status })
  const to = (await usersCovering(tx, o.gridPath)).find((u) => u.id === input.assigneeId)
  if (!to) throw invalid('assigneeId', 'RECHECK_ASSIGNEE_NOT_ELIGIBLE')
  await setRecheckAssignee(tx, o.id, to)
  await audit(
    tx,
    actor,
    'testing.recheck_reassign',
    { type: 'recheck_order', id: o.id, path: o.gridPath },
    {
      ...(input.note ? { reason: input.note } : {}),
      detail: { from: o.assigneeName, to: to.name, toId: to.id },
    },
  )
  return to
}

/* ------------------------------------------------------------------ positive cases */

function caseView(c: CaseRow): PositiveCaseOut {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)
  return {
    id: c.id,
    residentId: c.residentId,
    name: c.name,
    household: c.household,
    gridPath: c.gridPath,
    tubeCode: c.tubeCode,
    episode: c.episode,
    status: c.status,
    reportDueAt: iso(c.reportDueAt),
    reportedAt: iso(c.reportedAt),
    decidedBy: c.decidedBy,
    decidedAt: iso(c.decidedAt),
    createdAt: new Date(c.createdAt).toISOString(),
  }
}

/** Single-tube positives under my scope: screening positives first, with their report clocks. */
export async function listPositiveCases(db: Db, actor: Actor): Promise<PositiveCaseOut[]> {
  requireAccess(actor, 'testing:read')
  return (await casesInScope(db, actor)).map(caseView)
}

/**
 * A person records what became of a screening positive: reported online (the 2-hour clock
 * stops), confirmed as a case or an asymptomatic infection, or excluded (audited, with a note).
 */
export async function decidePositiveCase(
  tx: Tx,
  actor: Actor,
  id: string,
  input: DecideCaseIn,
): Promise<PositiveCaseOut> {
  requireAccess(actor, 'testing:results')
  const c = await lockCase(tx, id, actor)
  if (!c) throw notFound('CASE_NOT_FOUND')
  requireAccess(actor, 'testing:results', { type: 'positive_case', id: c.id, path: c.gridPath })
  const now = new Date()
  if (input.decision === 'reported') {
    if (c.reportedAt)
      throw conflict('CASE_DECISION_NOT_ALLOWED', { status: c.status, decision: input.decision })
    await updateCase(tx, c.id, { reportedAt: now })
  } else {
    if (c.status !== 'screening')
      throw conflict('CASE_DECISION_NOT_ALLOWED', { status: c.status, decision: input.decision })
    await updateCase(tx, c.id, {
      status: input.decision,
      decidedBy: actor.username,
      decidedAt: now,
      ...(c.reportedAt ? {} : { reportedAt: now }),
    })
  }
  await audit(
    tx,
    actor,
    'testing.case_decide',
    { type: 'positive_case', id: c.id, path: c.gridPath },
    {
      reason: input.note,
      detail: { decision: input.decision, tube: c.tubeCode, episode: c.episode },
    },
  )
  return caseView((await lockCase(tx, c.id, actor)) ?? c)
}
