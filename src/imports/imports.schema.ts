import { z } from 'zod'
import { ROSTER_FIELDS } from './imports.headers.js'

/**
 * The contract of the import endpoints: what a roster upload takes, what its job reports and
 * what a preview shows. The services return these types and the web import page imports them.
 */

const params = z.record(z.string(), z.union([z.string(), z.number()]))

/** One problem or repair of a row, as data: a catalogue code (imports.messages.ts), the field, the file's own column header and params. */
export const rowReason = z.object({
  code: z.string(),
  field: z.string(),
  /** The file's own header of the column (证件号码, 门牌号), or the usual label when it has none. */
  column: z.string().optional(),
  params: params.optional(),
})
export type RowReason = z.infer<typeof rowReason>

export const rejection = z.object({
  rowNo: z.number().int(),
  /** The columns at fault (the file's headers), joined by 、. */
  column: z.string(),
  /** The code of the first reason (filters, tests); `reasons` has them all. */
  code: z.string(),
  /** Every reason in the language the job was started in (the CLI prints it; screens render `reasons`). */
  reason: z.string(),
  reasons: z.array(rowReason),
})
export type Rejection = z.infer<typeof rejection>

export const repairedRow = z.object({
  rowNo: z.number().int(),
  /** The repairs in the language the job was started in. */
  notes: z.array(z.string()),
  repairs: z.array(rowReason),
})

/** Said once per job, not on every row (building numbers that repeat across grids, buildings created). */
export const importNotice = z.object({ code: z.string(), params: params.optional() })

export const columnMapping = z.partialRecord(
  z.enum(ROSTER_FIELDS),
  z.number().int().min(0).max(200),
)

export const importReport = z.object({
  jobId: z.string(),
  dryRun: z.boolean(),
  headers: z.array(z.string()),
  mapping: columnMapping,
  unknownColumns: z.array(z.string()),
  rows: z.number().int(),
  emptyRows: z.number().int(),
  created: z.number().int(),
  moved: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  /** Rows of people registered outside the caller's scope for which a transfer request was filed. */
  transfersRequested: z.number().int(),
  buildingsCreated: z.number().int(),
  repaired: z.array(repairedRow),
  rejections: z.array(rejection),
  notices: z.array(importNotice),
  seconds: z.number(),
  rowsPerSecond: z.number(),
})
export type ImportReport = z.infer<typeof importReport>

export const jobStatus = z.enum(['running', 'done', 'failed', 'interrupted'])
export type JobStatus = z.infer<typeof jobStatus>

export const importJobOut = z.object({
  id: z.string(),
  status: jobStatus,
  fileName: z.string(),
  dryRun: z.boolean(),
  rowsDone: z.number().int(),
  /** Null while running; reports of jobs from before this contract may lack the newer fields. */
  report: importReport
    .partial()
    .extend({ rows: z.number().int(), rejected: z.number().int() })
    .nullable(),
  /** A stable code (INTERNAL, INTERRUPTED, VALIDATION, IMPORT_COLUMNS_MISSING, ...), never SQL or cells. */
  error: z.string().nullable(),
  errorField: z.string().nullable(),
  startedAt: z.string(),
})
export type ImportJobOut = z.infer<typeof importJobOut>

export const rosterPreview = z.object({
  headers: z.array(z.string()),
  mapping: columnMapping,
  missing: z.array(z.enum(ROSTER_FIELDS)),
  sample: z.array(z.array(z.string())),
})
export type RosterPreview = z.infer<typeof rosterPreview>

export const importStarted = z.object({ jobId: z.string() })

/** The multipart text fields of an upload (the file travels beside them). */
export const importUploadFields = z.object({
  divisionId: z.uuid(),
  dryRun: z.enum(['true', 'false']).default('false'),
  createMissing: z.enum(['true', 'false']).default('false'),
  /** A column mapping as JSON ({"idNumber": 2, ...}), kept for the next file with these headers. */
  mapping: z.string().optional(),
})

export const importJobParams = z.object({ id: z.uuid() })

export const rejectedFileQuery = z.object({
  unmasked: z.enum(['true', 'false']).optional(),
  reason: z.string().trim().max(200).optional(),
  lang: z.enum(['zh-CN', 'en']).optional(),
})
