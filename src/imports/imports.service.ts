import { and, eq, isNotNull, lt, or, isNull, sql } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { AppError, invalid, notFound, type ErrorCode } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import { isWholeDeployment, pathInScope, type Actor } from '../core/auth/actor.js'
import type { Keyring } from '../core/pii/keyring.js'
import { decryptValue, encryptValue } from '../core/pii/crypto.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { applyRosterBatch, checkRosterPerson, loadPlaceIndex, prepareRosterPerson, resolvePlace, type CheckedPerson, type Outcome } from '../registry/roster.service.js'
import { recogniseHeaders, type ColumnMapping, type HeaderGuess } from './imports.headers.js'
import { LABELS, parseRosterRow, type Cell, type Rejection, type RowContext } from './imports.rows.js'
import { formatOf, readSheet, type SheetRow } from './imports.read.js'
import { importJob, importMapping, importRejection } from './imports.tables.js'

export interface ImportOptions {
  divisionId: string
  fileName: string
  dryRun: boolean
  createMissing: boolean
  mapping?: ColumnMapping | undefined
  batchSize?: number
  onProgress?: (p: ImportProgress) => void
  /** Called once the job row exists (the HTTP route answers with its id). */
  onJob?: (jobId: string) => void
  /** Aborting stops the run after the batch in flight; the job ends `interrupted`. */
  signal?: AbortSignal
}

/** A running job's heartbeat is refreshed this often; one silent for HEARTBEAT_STALE_MS was interrupted. */
export const HEARTBEAT_MS = 10_000
export const HEARTBEAT_STALE_MS = 60_000

/** What a failed job keeps: a stable code and the field, never an SQL text, parameters or cells. */
export function jobErrorOf(err: unknown): { code: ErrorCode | 'INTERRUPTED'; field: string | null } {
  if (err instanceof AppError) {
    const field = /^([\w.]+): /.exec(err.message)?.[1] ?? null
    return { code: err.code, field }
  }
  if ((err as Error | undefined)?.name === 'AbortError') return { code: 'INTERRUPTED', field: null }
  return { code: 'INTERNAL', field: null }
}

/**
 * What may be logged of an error that stopped an import: the class and the database's own
 * code and message. Drizzle's message carries the SQL and its parameters (cells, ID numbers).
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (err instanceof AppError) return { code: err.code, msg: err.message }
  const e = err as { name?: string; code?: unknown; cause?: { code?: unknown; message?: unknown; name?: unknown } } | undefined
  const cause = e?.cause
  return { name: e?.name ?? typeof err, code: typeof e?.code === 'string' ? e.code : undefined, dbCode: cause?.code, dbMessage: typeof cause?.message === 'string' ? cause.message.slice(0, 200) : undefined }
}

function sealCells(ring: Keyring, cells: Cell[]): string {
  return encryptValue(ring, JSON.stringify(cells.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : c ?? null))))
}

export interface ImportProgress {
  rows: number
  rowsPerSecond: number
}

export interface ImportReport {
  jobId: string
  dryRun: boolean
  headers: string[]
  mapping: ColumnMapping
  unknownColumns: string[]
  rows: number
  emptyRows: number
  created: number
  moved: number
  updated: number
  unchanged: number
  rejected: number
  /** Rows of people registered outside the caller's scope for which a transfer request was filed. */
  transfersRequested: number
  repaired: { rowNo: number; notes: string[] }[]
  rejections: Rejection[]
  seconds: number
  rowsPerSecond: number
}

const SHOWN = 1000

function headerSignature(headers: string[]): string {
  return headers.map((h) => h.trim()).join('\u0001')
}

/** The header row is the one of the first ten that names the most roster columns (titles sit above it); -1 if none. */
function pickHeaderRow(rows: SheetRow[]): number {
  let best = -1
  let bestScore = 0
  rows.slice(0, 10).forEach((r, i) => {
    const score = Object.keys(recogniseHeaders(r.cells.map((c) => String(c ?? ''))).mapping).length
    if (score > bestScore) {
      best = i
      bestScore = score
    }
  })
  return best
}

async function findHeader(
  rows: AsyncIterator<SheetRow>,
  saved: (headers: string[]) => Promise<ColumnMapping | undefined>,
  explicit: ColumnMapping | undefined,
): Promise<{ headers: string[]; guess: HeaderGuess; pending: SheetRow[] }> {
  const seen: SheetRow[] = []
  for (let i = 0; i < 10; i++) {
    const r = await rows.next()
    if (r.done) break
    seen.push(r.value)
  }
  const best = pickHeaderRow(seen)
  if (best < 0) throw invalid('file', 'no header row found (expected columns such as 姓名, 身份证号, 楼栋, 单元, 房号)')
  const headers = seen[best]!.cells.map((c) => String(c ?? '').trim())
  // Headers are stored and looked up (saved mappings): NUL cannot go into PostgreSQL text.
  if (headers.some((h) => h.includes('\u0000'))) throw invalid('file', 'the header row contains a NUL character (\\0); delete it and upload again')
  const guess = recogniseHeaders(headers, explicit ?? (await saved(headers)))
  if (guess.missing.length) throw invalid('mapping', `columns not found: ${guess.missing.map((f) => LABELS[f]).join(', ')}; map them by hand`)
  return { headers, guess, pending: seen.slice(best + 1) }
}

/**
 * Imports a resident roster (.xlsx or .csv, UTF-8 or GBK) under one division. Streams the
 * file; validates, repairs what is unambiguous and rejects the rest with row, column and
 * reason; commits each batch in its own transaction, so a rejected row never blocks the good
 * ones and an interrupted run, run again, ends in the same state.
 */
export async function importResidents(db: Db, ring: Keyring, actor: Actor, path: string, opts: ImportOptions): Promise<ImportReport> {
  authorize(actor, 'registry:write')
  const started = performance.now()
  const format = formatOf(opts.fileName)
  const index = await loadPlaceIndex(db, actor, opts.divisionId)
  const iterator = readSheet(path, format)[Symbol.asyncIterator]()
  const savedMapping = async (headers: string[]): Promise<ColumnMapping | undefined> => {
    if (!actor.userId) return undefined
    const [m] = await db.select().from(importMapping).where(and(eq(importMapping.ownerId, actor.userId), eq(importMapping.signature, headerSignature(headers))))
    return m?.mapping as ColumnMapping | undefined
  }
  const { headers, guess, pending } = await findHeader(iterator, savedMapping, opts.mapping)
  if (opts.mapping && actor.userId) {
    await db
      .insert(importMapping)
      .values({ ownerId: actor.userId, signature: headerSignature(headers), mapping: opts.mapping as Record<string, number> })
      .onConflictDoUpdate({ target: [importMapping.ownerId, importMapping.signature], set: { mapping: opts.mapping as Record<string, number>, savedAt: new Date() } })
  }
  const [job] = await db
    .insert(importJob)
    .values({ kind: 'residents', fileName: opts.fileName, divisionId: opts.divisionId, actorId: actor.userId, actorName: actor.username, dryRun: opts.dryRun, headers, heartbeatAt: new Date() })
    .returning({ id: importJob.id })
  const jobId = job!.id
  opts.onJob?.(jobId)
  // While this process lives the job says so; after kill -9 the heartbeat stops and the job reads as interrupted.
  const heartbeat = setInterval(() => {
    db.update(importJob).set({ heartbeatAt: new Date() }).where(and(eq(importJob.id, jobId), eq(importJob.status, 'running'))).catch(() => {})
  }, HEARTBEAT_MS)
  heartbeat.unref()
  const report: ImportReport = {
    jobId,
    dryRun: opts.dryRun,
    headers,
    mapping: guess.mapping,
    unknownColumns: guess.unknown,
    rows: 0,
    emptyRows: 0,
    created: 0,
    moved: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    transfersRequested: 0,
    repaired: [],
    rejections: [],
    seconds: 0,
    rowsPerSecond: 0,
  }
  const batchSize = opts.batchSize ?? 1000
  const ctx: RowContext = { lastBuilding: undefined, lastUnit: undefined }
  const firstRow = new Map<string, number>()
  let batch: CheckedPerson[] = []
  let batchCells: Cell[][] = []
  let rejects: { rejection: Rejection; cells: Cell[] }[] = []

  const reject = (rejection: Rejection, cells: Cell[]): void => {
    report.rejected++
    if (report.rejections.length < SHOWN) report.rejections.push(rejection)
    rejects.push({ rejection, cells })
  }
  const flush = async (): Promise<void> => {
    // Every row read so far is in this batch or its rejects: once it commits, these rows are done.
    const rowsCommitted = report.rows
    const people = batch
    const cells = batchCells
    const bad = rejects
    batch = []
    batchCells = []
    rejects = []
    const outcomes: Outcome[] = await db.transaction(async (tx) => {
      const out = await applyRosterBatch(tx, ring, actor, people, { dryRun: opts.dryRun, source: jobId })
      report.transfersRequested += out.transfers?.size ?? 0
      for (const [i, conflict] of out.conflicts) {
        const rejection: Rejection = { rowNo: people[i]!.rowNo, column: LABELS.idNumber, reason: conflict.reason, code: conflict.code }
        report.rejected++
        if (report.rejections.length < SHOWN) report.rejections.push(rejection)
        bad.push({ rejection, cells: cells[i]! })
      }
      if (bad.length) {
        await tx
          .insert(importRejection)
          .values(bad.map((b) => ({ jobId, rowNo: b.rejection.rowNo, column: b.rejection.column, reason: b.rejection.reason, code: b.rejection.code ?? null, cellsEnc: sealCells(ring, b.cells) })))
          .onConflictDoNothing()
      }
      await tx.update(importJob).set({ rowsDone: rowsCommitted, heartbeatAt: new Date() }).where(eq(importJob.id, jobId))
      return out.outcomes
    })
    for (const o of outcomes) if (o !== 'conflict') report[o]++
    const secs = (performance.now() - started) / 1000
    opts.onProgress?.({ rows: report.rows, rowsPerSecond: report.rows / secs })
  }

  const handle = async (r: SheetRow): Promise<void> => {
    opts.signal?.throwIfAborted()
    const parsed = parseRosterRow(r.cells, guess.mapping, r.rowNo, ctx, headers)
    if (parsed.ok === 'empty') {
      report.emptyRows++
      return
    }
    report.rows++
    if (parsed.ok === false) return reject(parsed.rejection, parsed.cells)
    const row = parsed.row
    const where = await resolvePlace(db, index, row, opts.createMissing, opts.dryRun)
    if ('reason' in where) return reject({ rowNo: r.rowNo, column: LABELS[where.field], reason: where.reason }, parsed.cells)
    const checked = checkRosterPerson({ ...row, place: where.place })
    if (!checked.ok) {
      const column = LABELS[checked.field as keyof typeof LABELS] ?? checked.field
      return reject({ rowNo: r.rowNo, column, reason: checked.reason }, parsed.cells)
    }
    const dup = firstRow.get(checked.person.idNumber)
    if (dup !== undefined) return reject({ rowNo: r.rowNo, column: LABELS.idNumber, reason: `the same person as row ${dup}` }, parsed.cells)
    firstRow.set(checked.person.idNumber, r.rowNo)
    const notes = [...parsed.repairs, ...checked.person.repairs]
    if (notes.length && report.repaired.length < SHOWN) report.repaired.push({ rowNo: r.rowNo, notes })
    batch.push(prepareRosterPerson(ring, checked.person))
    batchCells.push(parsed.cells)
    // Parsed rows arrive through promises alone; let the database's replies in now and then so
    // the batch in flight keeps moving while this one is prepared.
    if (batch.length % 100 === 0) await new Promise<void>((resolve) => setImmediate(resolve))
    if (batch.length >= batchSize) {
      // One batch in the database while the next is read and encrypted.
      await inFlight
      inFlight = flush()
      inFlight.catch(() => {})
    }
  }

  let inFlight: Promise<void> = Promise.resolve()
  try {
    for (const r of pending) await handle(r)
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) await handle(r.value)
    await inFlight
    await flush()
  } catch (err) {
    clearInterval(heartbeat)
    await inFlight.catch(() => {})
    const e = jobErrorOf(opts.signal?.aborted ? opts.signal.reason ?? err : err)
    const status = e.code === 'INTERRUPTED' ? 'interrupted' : 'failed'
    await db.update(importJob).set({ status, error: e.code, errorField: e.field, finishedAt: new Date() }).where(eq(importJob.id, jobId))
    throw err
  }
  clearInterval(heartbeat)
  report.seconds = Math.round((performance.now() - started) / 100) / 10
  report.rowsPerSecond = Math.round(report.rows / Math.max(report.seconds, 0.001))
  await db.update(importJob).set({ status: 'done', rowsDone: report.rows, report: report as unknown as Record<string, unknown>, finishedAt: new Date() }).where(eq(importJob.id, jobId))
  return report
}

export interface RosterPreview {
  headers: string[]
  mapping: ColumnMapping
  missing: string[]
  sample: string[][]
}

/** The header row as recognised (or as saved last time) and three rows, for the mapping screen. */
export async function previewRoster(db: Db, actor: Actor, path: string, fileName: string): Promise<RosterPreview> {
  authorize(actor, 'registry:write')
  const iterator = readSheet(path, formatOf(fileName))[Symbol.asyncIterator]()
  const seen: SheetRow[] = []
  for (let i = 0; i < 13; i++) {
    const r = await iterator.next()
    if (r.done) break
    seen.push(r.value)
  }
  await iterator.return?.(undefined)
  const best = Math.max(0, pickHeaderRow(seen))
  const headers = (seen[best]?.cells ?? []).map((c) => String(c ?? '').trim())
  if (headers.some((h) => h.includes('\u0000'))) throw invalid('file', 'the header row contains a NUL character (\\0); delete it and upload again')
  let saved: ColumnMapping | undefined
  if (actor.userId) {
    const [m] = await db.select().from(importMapping).where(and(eq(importMapping.ownerId, actor.userId), eq(importMapping.signature, headerSignature(headers))))
    saved = m?.mapping as ColumnMapping | undefined
  }
  const guess = recogniseHeaders(headers, saved)
  const text = (c: Cell): string => (c instanceof Date ? c.toISOString().slice(0, 10) : c === null || c === undefined ? '' : String(c))
  const sample = seen
    .slice(best + 1)
    .map((r) => r.cells.map(text))
    .filter((cells) => cells.some((c) => c.trim() !== ''))
    .slice(0, 3)
  return { headers, mapping: guess.mapping, missing: guess.missing, sample }
}

export interface JobView {
  id: string
  status: string
  fileName: string
  dryRun: boolean
  rowsDone: number
  report: ImportReport | null
  /** A stable code: INTERNAL, INTERRUPTED, VALIDATION, ... */
  error: string | null
  errorField: string | null
  startedAt: string
}

/**
 * Run at start: jobs still `running` whose heartbeat stopped (the process was killed) become
 * `interrupted` (run the file again: committed rows come back unchanged), and rejected rows
 * stored in plaintext by an older version are sealed.
 */
export async function recoverImports(db: Db, ring: Keyring, opts: { exclusive?: boolean; now?: Date } = {}): Promise<{ interrupted: number; sealed: number }> {
  const now = opts.now ?? new Date()
  // Embedded PGlite has one process: at its start, every running job is a dead one.
  const stale = opts.exclusive ? now : new Date(now.getTime() - HEARTBEAT_STALE_MS)
  const marked = await db
    .update(importJob)
    .set({ status: 'interrupted', error: 'INTERRUPTED', finishedAt: now })
    .where(and(eq(importJob.status, 'running'), or(isNull(importJob.heartbeatAt), lt(importJob.heartbeatAt, stale))))
    .returning({ id: importJob.id })
  let sealed = 0
  for (;;) {
    const legacy = await db.select({ id: importRejection.id, cells: importRejection.cells }).from(importRejection).where(isNotNull(importRejection.cells)).limit(500)
    if (legacy.length === 0) break
    await db.transaction(async (tx) => {
      for (const r of legacy) await tx.update(importRejection).set({ cellsEnc: sealCells(ring, (r.cells ?? []) as Cell[]), cells: null }).where(eq(importRejection.id, r.id))
    })
    sealed += legacy.length
  }
  return { interrupted: marked.length, sealed }
}

/** A job the actor may see: their own, or any under their scope. */
export async function getImportJob(db: Db, ring: Keyring, actor: Actor, id: string): Promise<JobView & { headers: string[]; divisionPath: string | null }> {
  authorize(actor, 'registry:write')
  const [job] = await db.select().from(importJob).where(eq(importJob.id, id))
  if (!job) throw notFound('Import')
  const d = await findDivisionById(db, job.divisionId)
  if (job.actorId !== actor.userId && !isWholeDeployment(actor)) {
    if (!d || !pathInScope(actor, d.path)) throw notFound('Import')
  }
  // Another instance (or this one before a kill -9) stopped beating: say so instead of `running` forever.
  const stale = job.status === 'running' && (job.heartbeatAt ?? job.startedAt).getTime() < Date.now() - HEARTBEAT_STALE_MS
  if (stale) await recoverImports(db, ring, { now: new Date() })
  return {
    id: job.id,
    status: stale ? 'interrupted' : job.status,
    fileName: job.fileName,
    dryRun: job.dryRun,
    rowsDone: job.rowsDone,
    report: (job.report as unknown as ImportReport | null) ?? null,
    error: stale ? 'INTERRUPTED' : job.error,
    errorField: job.errorField,
    startedAt: job.startedAt.toISOString(),
    headers: job.headers ?? [],
    divisionPath: d?.path ?? null,
  }
}

export interface RejectedRow {
  rowNo: number
  column: string
  reason: string
  code: string | null
  cells: unknown[]
}

/** The rejected rows of a job, cells decrypted (for the error file only). */
export async function rejectedRows(db: Db, ring: Keyring, jobId: string): Promise<RejectedRow[]> {
  const found = await db.select().from(importRejection).where(eq(importRejection.jobId, jobId)).orderBy(importRejection.rowNo)
  return found.map((r) => {
    let cells: unknown[] = r.cells ?? []
    if (r.cellsEnc) {
      try {
        cells = JSON.parse(decryptValue(ring, r.cellsEnc)) as unknown[]
      } catch {
        cells = [] // a key pruned before the file was fetched: the row, column and reason remain
      }
    }
    return { rowNo: r.rowNo, column: r.column, reason: r.reason, code: r.code, cells }
  })
}

export async function countJobs(db: Db): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(importJob)
  return r?.n ?? 0
}

