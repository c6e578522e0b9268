import { z } from 'zod'

/**
 * The contract of lab results, result conflicts, rechecks and lab accounts: request and response
 * schemas of their endpoints; the services take and return these types.
 */

/** negative clears; invalid (无效 / 样本不合格) and abnormal (异常 / 单基因阳性 / 灰区) mean swab again; positive. */
export const TUBE_RESULTS = ['negative', 'positive', 'abnormal', 'invalid'] as const
export const tubeResult = z.enum(TUBE_RESULTS)
export type TubeResult = z.infer<typeof tubeResult>

export const CONFLICT_STATUSES = ['open', 'kept', 'accepted'] as const
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number]

export const RECHECK_STATUSES = ['ordered', 'sampled', 'negative', 'positive'] as const
export const recheckStatus = z.enum(RECHECK_STATUSES)
export type RecheckStatus = z.infer<typeof recheckStatus>

/** Why a person is to be swabbed alone again. */
export const RECHECK_REASONS = ['pool_positive', 'abnormal', 'invalid'] as const
export type RecheckReason = (typeof RECHECK_REASONS)[number]

/** A single-tube positive: 初筛阳性 until a person confirms it (case, asymptomatic) or excludes it. */
export const CASE_STATUSES = ['screening', 'confirmed', 'asymptomatic', 'excluded'] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

/** What happened to one row of a lab's results. */
export const RESULT_OUTCOMES = ['applied', 'duplicate', 'conflict', 'rejected'] as const

/** Why a row was not applied (codes of results.messages.ts). */
export const RESULT_ROW_CODES = [
  'RESULT_WORD_UNKNOWN',
  'RESULT_TUBE_UNKNOWN',
  'RESULT_NOT_A_TUBE_CODE',
  'RESULT_TIME_INVALID',
  'RESULT_CONFLICT_LESS_STRICT',
  'RESULT_CONFLICT_NOT_RETEST',
  'RESULT_CONFLICT_STRICTER_HELD',
  'RESULT_CT_INVALID',
] as const
export type ResultRowCode = (typeof RESULT_ROW_CODES)[number]

/* ------------------------------------------------------------------ lab results */

/**
 * A Ct value as labs send it: a number, a numeric string, or null / absent for none. Null is
 * read as absent before the union, so the OpenAPI document (3.0) states the union without a
 * `nullable` beside `anyOf`, which 3.0 cannot express.
 */
const ctValue = z.preprocess(
  (v) => (v === null ? undefined : v),
  z.union([z.number(), z.string().max(20)]).optional(),
)

export const resultIn = z.object({
  tubeCode: z.string().max(200),
  result: z.string().max(40),
  retest: z.boolean().optional(),
  resultedAt: z.string().max(40).optional(),
  /** Cycle thresholds of the N and ORF1ab genes (a number, or the lab's text such as "32.5" or "—"). */
  ctN: ctValue,
  ctOrf1ab: ctValue,
})
/** One result as the services take it: from the API, a file (with its row number) or the CLI. */
export type ResultIn = z.infer<typeof resultIn> & { rowNo?: number }

export const labResultsIn = z.object({ results: z.array(resultIn).min(1).max(50_000) })

export const resultProblemOut = z.object({
  rowNo: z.number(),
  tubeCode: z.string(),
  outcome: z.enum(RESULT_OUTCOMES),
  /** The reason as data (rendered by the web app and the CLI from the catalogues). */
  code: z.enum(RESULT_ROW_CODES),
  field: z.enum(['tubeCode', 'result', 'resultedAt', 'ctN', 'ctOrf1ab']),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** The same reason in the requester's language (Chinese by default). */
  reason: z.string(),
})
export type ResultProblem = z.infer<typeof resultProblemOut>

export const resultsReportOut = z.object({
  rows: z.number(),
  applied: z.number(),
  duplicates: z.number(),
  conflicts: z.number(),
  rejected: z.number(),
  cleared: z.number(),
  poolPositiveTubes: z.number(),
  rechecksOrdered: z.number(),
  /** People newly put under temporary control (members of positive or abnormal pools). */
  controlled: z.number(),
  /** Recheck orders whose single tube came back abnormal or invalid: swab again. */
  reswab: z.number(),
  /** New screening positives (初筛阳性), one per person and episode. */
  confirmed: z.number(),
  problems: z.array(resultProblemOut),
})
export type ResultsReport = z.infer<typeof resultsReportOut>

/* ------------------------------------------------------------------ conflicts */

export const conflictOut = z.object({
  id: z.string(),
  tubeCode: z.string(),
  held: tubeResult,
  incoming: tubeResult,
  lab: z.string(),
  retest: z.boolean(),
  status: z.enum(CONFLICT_STATUSES),
  note: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
  members: z.number(),
})
export type ConflictOut = z.infer<typeof conflictOut>

export const resolveConflictIn = z.object({
  decision: z.enum(['keep', 'accept']),
  note: z.string().trim().min(2).max(500),
})
export type ResolveConflictIn = z.infer<typeof resolveConflictIn>

/* ------------------------------------------------------------------ rechecks */

export const recheckQuery = z.object({ status: recheckStatus.optional() })
export type RecheckQuery = z.infer<typeof recheckQuery>

export const recheckOut = z.object({
  id: z.string(),
  residentId: z.string(),
  name: z.string(),
  household: z.string().nullable(),
  phone: z.string().nullable(),
  gridPath: z.string(),
  sourceTube: z.string(),
  status: recheckStatus,
  reason: z.enum(RECHECK_REASONS),
  /** When the door-to-door swab is due, and whether it is late now. */
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.string(),
})
export type RecheckOut = z.infer<typeof recheckOut>

export const reassignRecheckIn = z.object({
  assigneeId: z.string().uuid(),
  note: z.string().trim().max(500).optional(),
})
export type ReassignRecheckIn = z.infer<typeof reassignRecheckIn>

/** Who may be given a recheck order of this grid: users whose scope covers it. */
export const recheckAssigneeOut = z.object({ id: z.string(), name: z.string(), role: z.string() })
export type RecheckAssigneeOut = z.infer<typeof recheckAssigneeOut>

/* ------------------------------------------------------------------ temporary control list */

export const controlListQuery = z.object({ status: z.enum(['open', 'all']).optional() })
export type ControlListQuery = z.infer<typeof controlListQuery>

/** One person of a round's pool-positive tubes: who, where, the recheck clock and the control's state. */
export const controlPersonOut = z.object({
  orderId: z.string(),
  residentId: z.string(),
  name: z.string(),
  household: z.string().nullable(),
  gridPath: z.string(),
  sourceTube: z.string(),
  recheck: recheckStatus,
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Whether the person is under temporary control now (it ends with their negative single tube). */
  controlled: z.boolean(),
})
export type ControlPersonOut = z.infer<typeof controlPersonOut>

/* ------------------------------------------------------------------ positive cases */

export const positiveCaseOut = z.object({
  id: z.string(),
  residentId: z.string(),
  name: z.string(),
  household: z.string().nullable(),
  gridPath: z.string(),
  tubeCode: z.string(),
  episode: z.number(),
  status: z.enum(CASE_STATUSES),
  /** The 2-hour online report clock of a screening positive. */
  reportDueAt: z.string().nullable(),
  reportedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
})
export type PositiveCaseOut = z.infer<typeof positiveCaseOut>

export const decideCaseIn = z.object({
  decision: z.enum(['reported', 'confirmed', 'asymptomatic', 'excluded']),
  note: z.string().trim().min(2).max(500),
})
export type DecideCaseIn = z.infer<typeof decideCaseIn>

/* ------------------------------------------------------------------ lab accounts */

export const createLabIn = z.object({ name: z.string().trim().min(2).max(80) })
export const labOut = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
})
export type LabOut = z.infer<typeof labOut>
export const labCreatedOut = z.object({ id: z.string(), name: z.string(), token: z.string() })
export type LabCreatedOut = z.infer<typeof labCreatedOut>
