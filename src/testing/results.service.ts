import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { isWholeDeployment } from '../core/scope/scope.js'
import { appendAudit, audit } from '../core/audit/audit.service.js'
import { conflict, notFound } from '../core/errors.js'
import { renderMessage, type Lang } from '../core/i18n/messages.js'
import { decryptValue } from '../core/pii/crypto.js'
import { maskPhone } from '../core/pii/mask.js'
import type { Keyring } from '../core/pii/keyring.js'
import { raiseAlerts, type NewAlert } from '../alerts/alerts.service.js'
import {
  applyTubeResults,
  conflictsOfRound,
  insertConflicts,
  lockConflict,
  lockTubesByCode,
  logTubeResults,
  markConflictResolved,
  rechecksOfRound,
  recordPositiveCases,
  roundHomePaths,
  tubesReachingBeyond,
  type AppliedResult,
  type ConflictRow,
  type LoggedResult,
  type NewConflict,
  type ResultEffects,
  type ResultTube,
} from './results.repo.js'
import { judgeResultRow } from './results.rules.js'
import { TUBE_CODE } from './testing.rules.js'
import type {
  ConflictOut,
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
    batch.log.push({
      tubeId: t.id,
      result: decision.result,
      retest,
      outcome: decision.kind === 'apply' ? 'applied' : decision.kind,
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
      })
      report.applied++
    }
  }
  batch.applied = [...applied.values()]
  return batch
}

/** Alerts for what applied results did: one per grid for new rechecks, one per confirmed person. */
function effectAlerts(effects: ResultEffects): NewAlert[] {
  const alerts: NewAlert[] = []
  const byGrid = new Map<string, { tubes: Set<string>; people: number }>()
  for (const p of effects.poolPositive) {
    const g = byGrid.get(p.gridPath) ?? { tubes: new Set(), people: 0 }
    g.tubes.add(p.tubeCode)
    g.people++
    byGrid.set(p.gridPath, g)
  }
  for (const [gridPath, g] of byGrid) {
    alerts.push({
      scopePath: gridPath,
      kind: 'testing.pool_positive',
      severity: 'critical',
      code: 'ALERT_POOL_POSITIVE',
      params: { people: g.people },
      detail: {
        tubes: [...g.tubes].slice(0, 20),
        people: g.people,
        roundId: effects.poolPositive[0]!.roundId,
      },
    })
  }
  for (const c of effects.confirmed) {
    alerts.push({
      scopePath: c.gridPath,
      kind: 'testing.confirmed_positive',
      severity: 'critical',
      code: 'ALERT_CONFIRMED_POSITIVE',
      detail: { tube: c.tubeCode, residentId: c.residentId, roundId: c.roundId },
    })
  }
  return alerts
}

/** One alert per conflicting tube (the first 50), filed where its round is. */
async function conflictAlerts(
  tx: Db,
  lab: string,
  conflicting: JudgedBatch['conflictTubes'],
): Promise<NewAlert[]> {
  const first = conflicting.slice(0, 50)
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
  const tubes = await tubesOfBatch(tx, input, opts.uploader)
  const batch = judgeBatch(input, tubes, opts.now ?? new Date(), opts.lang ?? 'zh-CN')
  const { report } = batch
  const effects = await applyTubeResults(tx, lab, batch.applied)
  report.cleared = effects.cleared
  report.poolPositiveTubes = new Set(effects.poolPositive.map((p) => p.tubeCode)).size
  report.rechecksOrdered = effects.poolPositive.length
  report.confirmed = await recordPositiveCases(tx, effects.confirmed)
  await insertConflicts(tx, lab, batch.conflicts)
  await logTubeResults(tx, lab, batch.log)
  await raiseAlerts(tx, [
    ...effectAlerts(effects),
    ...(await conflictAlerts(tx, lab, batch.conflictTubes)),
  ])
  const { rows, applied, conflicts, rejected, rechecksOrdered, confirmed } = report
  await appendAudit(tx, {
    actorId: null,
    actorName: `lab:${lab}`,
    action: 'testing.results',
    targetType: 'lab',
    targetId: lab,
    detail: { rows, applied, conflicts, rejected, rechecksOrdered, confirmed },
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
    const effects = await applyTubeResults(tx, c.lab, [
      { tubeId: c.tubeId, result: c.incoming, kind: c.tubeKind, resultedAt: new Date() },
    ])
    await recordPositiveCases(tx, effects.confirmed)
    await logTubeResults(tx, c.lab, [
      { tubeId: c.tubeId, result: c.incoming, retest: c.retest, outcome: 'applied' },
    ])
    await raiseAlerts(tx, effectAlerts(effects))
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

export async function listRechecks(
  db: Db,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  q: RecheckQuery,
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
    createdAt: new Date(o.createdAt).toISOString(),
  }))
}
