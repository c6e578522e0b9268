import {
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  boolean,
} from 'drizzle-orm/pg-core'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/** One run of an import (dry or real), with its counts; rejected rows kept for the error file. */
export const importJob = pgTable('import_job', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  fileName: text('file_name').notNull(),
  divisionId: uuid('division_id').notNull(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name').notNull(),
  dryRun: boolean('dry_run').notNull(),
  status: text('status').notNull().default('running'),
  headers: jsonb('headers').$type<string[]>(),
  rowsDone: integer('rows_done').notNull().default(0),
  report: jsonb('report').$type<Record<string, unknown>>(),
  /** A stable code (INTERNAL, INTERRUPTED, VALIDATION, ...): never SQL, parameters or cells. */
  error: text('error'),
  /** The field an error names, when it names one. */
  errorField: text('error_field'),
  startedAt: ts('started_at').notNull().defaultNow(),
  /** Refreshed while the run is alive: a running job whose heartbeat stopped was interrupted. */
  heartbeatAt: ts('heartbeat_at'),
  finishedAt: ts('finished_at'),
})

export const importRejection = pgTable(
  'import_rejection',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => importJob.id, { onDelete: 'cascade' }),
    rowNo: integer('row_no').notNull(),
    column: text('column').notNull(),
    reason: text('reason').notNull(),
    /** The first reason's code (ROW_NUL_BYTE, ID_REGISTERED_ELSEWHERE, ...) when the reason has one. */
    code: text('code'),
    /**
     * Every reason of the row as data ({ code, field, column, params }), rendered in the
     * language of whoever downloads the error file; `column` and `reason` are their text as the
     * job wrote it (all that rows from before reasons have).
     */
    reasons: jsonb('reasons').$type<
      {
        code: string
        field?: string
        column?: string
        params?: Record<string, string | number>
      }[]
    >(),
    /** Plaintext cells of rows written before encryption; new rows keep them in `cells_enc` only. */
    cells: jsonb('cells').$type<unknown[]>(),
    /**
     * The row as read, JSON encrypted with the PII keyring (ID numbers and phones are in it), so
     * the error file gives it back to fix. Deleted with the job; `id` lets key rotation find it.
     */
    cellsEnc: text('cells_enc'),
    id: uuid('id').notNull().defaultRandom(),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.rowNo] }),
    uniqueIndex('import_rejection_id_uq').on(t.id),
  ],
)

/** Column mappings a user corrected, by the header row they apply to. */
export const importMapping = pgTable(
  'import_mapping',
  {
    ownerId: uuid('owner_id').notNull(),
    signature: text('signature').notNull(),
    mapping: jsonb('mapping').$type<Record<string, number>>().notNull(),
    savedAt: ts('saved_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.signature] })],
)
