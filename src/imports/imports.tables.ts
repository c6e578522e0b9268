import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, boolean } from 'drizzle-orm/pg-core'

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
  error: text('error'),
  startedAt: ts('started_at').notNull().defaultNow(),
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
    /** The row as read, so the error file gives it back to fix. Deleted with the job. */
    cells: jsonb('cells').$type<unknown[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNo] })],
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
