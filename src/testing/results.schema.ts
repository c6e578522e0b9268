import { z } from 'zod'

/**
 * The contract of lab results, result conflicts, rechecks and lab accounts: request and response
 * schemas of their endpoints; the services take and return these types.
 */

export const TUBE_RESULTS = ['negative', 'positive', 'abnormal'] as const
export const tubeResult = z.enum(TUBE_RESULTS)
export type TubeResult = z.infer<typeof tubeResult>

export const CONFLICT_STATUSES = ['open', 'kept', 'accepted'] as const
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number]

export const RECHECK_STATUSES = ['ordered', 'sampled', 'negative', 'positive'] as const
export const recheckStatus = z.enum(RECHECK_STATUSES)
export type RecheckStatus = z.infer<typeof recheckStatus>

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
] as const
export type ResultRowCode = (typeof RESULT_ROW_CODES)[number]

/* ------------------------------------------------------------------ lab results */

export const resultIn = z.object({
  tubeCode: z.string().max(200),
  result: z.string().max(40),
  retest: z.boolean().optional(),
  resultedAt: z.string().max(40).optional(),
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
  field: z.enum(['tubeCode', 'result', 'resultedAt']),
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
  createdAt: z.string(),
})
export type RecheckOut = z.infer<typeof recheckOut>

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
