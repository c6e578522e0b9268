import { and, asc, eq, isNotNull, isNull, lt, or } from 'drizzle-orm'
import type { Db, Tx } from '../core/db/db.js'
import { importJob, importMapping, importRejection } from './imports.tables.js'

export type ImportJobRow = typeof importJob.$inferSelect
export type ImportRejectionRow = typeof importRejection.$inferSelect
export type ImportRejectionInsert = typeof importRejection.$inferInsert

/** The mapping this user saved for a header row (by its signature), if any. */
export async function findSavedMapping(
  db: Db,
  ownerId: string,
  signature: string,
): Promise<Record<string, number> | undefined> {
  const [m] = await db
    .select()
    .from(importMapping)
    .where(and(eq(importMapping.ownerId, ownerId), eq(importMapping.signature, signature)))
  return m?.mapping
}

export async function saveMapping(
  db: Db,
  ownerId: string,
  signature: string,
  mapping: Record<string, number>,
): Promise<void> {
  await db
    .insert(importMapping)
    .values({ ownerId, signature, mapping })
    .onConflictDoUpdate({
      target: [importMapping.ownerId, importMapping.signature],
      set: { mapping, savedAt: new Date() },
    })
}

export async function insertImportJob(
  db: Db,
  job: {
    kind: string
    fileName: string
    divisionId: string
    actorId: string | null
    actorName: string
    dryRun: boolean
    headers: string[]
  },
): Promise<string> {
  const [row] = await db
    .insert(importJob)
    .values({ ...job, heartbeatAt: new Date() })
    .returning({ id: importJob.id })
  return row!.id
}

/** The job is alive: refreshed while it runs (a job whose heartbeat stopped was interrupted). */
export async function touchImportJob(db: Db, jobId: string): Promise<void> {
  await db
    .update(importJob)
    .set({ heartbeatAt: new Date() })
    .where(and(eq(importJob.id, jobId), eq(importJob.status, 'running')))
}

/** The rows committed so far (with the batch that committed them). */
export async function setImportProgress(tx: Tx, jobId: string, rowsDone: number): Promise<void> {
  await tx
    .update(importJob)
    .set({ rowsDone, heartbeatAt: new Date() })
    .where(eq(importJob.id, jobId))
}

export async function insertRejections(tx: Tx, rows: ImportRejectionInsert[]): Promise<void> {
  if (rows.length) await tx.insert(importRejection).values(rows).onConflictDoNothing()
}

export async function finishImportJob(
  db: Db,
  jobId: string,
  end:
    | { status: 'done'; rowsDone: number; report: Record<string, unknown> }
    | { status: 'failed' | 'interrupted'; error: string; errorField: string | null },
): Promise<void> {
  await db
    .update(importJob)
    .set({ ...end, finishedAt: new Date() })
    .where(eq(importJob.id, jobId))
}

/** Jobs still `running` whose heartbeat is older than `stale` become `interrupted`; returns how many. */
export async function interruptStaleJobs(db: Db, stale: Date, now: Date): Promise<number> {
  const marked = await db
    .update(importJob)
    .set({ status: 'interrupted', error: 'INTERRUPTED', finishedAt: now })
    .where(
      and(
        eq(importJob.status, 'running'),
        or(isNull(importJob.heartbeatAt), lt(importJob.heartbeatAt, stale)),
      ),
    )
    .returning({ id: importJob.id })
  return marked.length
}

/** Rejected rows an older version stored in plaintext, a page at a time. */
export async function plaintextRejections(
  db: Db,
  limit: number,
): Promise<{ id: string; cells: unknown[] | null }[]> {
  return db
    .select({ id: importRejection.id, cells: importRejection.cells })
    .from(importRejection)
    .where(isNotNull(importRejection.cells))
    .limit(limit)
}

export async function sealRejection(tx: Tx, id: string, cellsEnc: string): Promise<void> {
  await tx.update(importRejection).set({ cellsEnc, cells: null }).where(eq(importRejection.id, id))
}

export async function findImportJob(db: Db, id: string): Promise<ImportJobRow | undefined> {
  const [job] = await db.select().from(importJob).where(eq(importJob.id, id))
  return job
}

export async function rejectionsOfJob(db: Db, jobId: string): Promise<ImportRejectionRow[]> {
  return db
    .select()
    .from(importRejection)
    .where(eq(importRejection.jobId, jobId))
    .orderBy(asc(importRejection.rowNo))
}
