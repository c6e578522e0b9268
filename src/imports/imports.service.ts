import { inTransaction, type Db } from '../core/db/db.js'
import { AppError, invalid, notFound, type ErrorCode } from '../core/errors.js'
import { authorize } from '../core/auth/authorize.js'
import type { Actor } from '../core/auth/actor.js'
import { isWholeDeployment, pathInScope } from '../core/scope/scope.js'
import type { Lang } from '../core/i18n/messages.js'
import type { Keyring } from '../core/pii/keyring.js'
import { decryptValue, encryptValue } from '../core/pii/crypto.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import {
  applyRosterBatch,
  buildingRepeats,
  checkRosterPerson,
  createPlace,
  creationAllowed,
  loadPlaceIndex,
  locate,
  prepareRosterPerson,
  type CheckedPerson,
  type Outcome,
  type PlaceIndex,
} from '../registry/roster.service.js'
import { recogniseHeaders, type ColumnMapping, type HeaderGuess } from './imports.headers.js'
import {
  cellText,
  headerSignature,
  LABELS,
  parseRosterRow,
  pickHeaderRow,
  type Cell,
  type RowContext,
} from './imports.rules.js'
import { importText, repairedRowOf, toRejection } from './imports.text.js'
import { formatOf, readSheet, type SheetRow } from './imports.read.js'
import {
  findImportJob,
  findSavedMapping,
  finishImportJob,
  insertImportJob,
  insertRejections,
  interruptStaleJobs,
  plaintextRejections,
  rejectionsOfJob,
  saveMapping,
  sealRejection,
  setImportProgress,
  touchImportJob,
} from './imports.repo.js'
import type {
  ImportJobOut,
  ImportReport,
  JobStatus,
  Rejection,
  RosterPreview,
  RowReason,
} from './imports.schema.js'

export type { ImportReport, Rejection, RosterPreview } from './imports.schema.js'

export interface ImportOptions {
  divisionId: string
  fileName: string
  dryRun: boolean
  createMissing: boolean
  mapping?: ColumnMapping | undefined
  batchSize?: number
  /** The language the report's texts are written in (the requester's); Chinese by default. */
  lang?: Lang
  onProgress?: (p: ImportProgress) => void
  /** Called once the job row exists (the HTTP route answers with its id). */
  onJob?: (jobId: string) => void
  /** Aborting stops the run after the batch in flight; the job ends `interrupted`. */
  signal?: AbortSignal
}

export interface ImportProgress {
  rows: number
  rowsPerSecond: number
}

/** A running job's heartbeat is refreshed this often; one silent for HEARTBEAT_STALE_MS was interrupted. */
export const HEARTBEAT_MS = 10_000
export const HEARTBEAT_STALE_MS = 60_000
/** At most this many rejections and repairs are listed in a report (the error file has them all). */
const SHOWN = 1000

/** What a failed job keeps: a stable code and the field, never an SQL text, parameters or cells. */
export function jobErrorOf(err: unknown): {
  code: ErrorCode | 'INTERRUPTED'
  field: string | null
} {
  if (err instanceof AppError) return { code: err.code, field: err.field ?? null }
  if ((err as Error | undefined)?.name === 'AbortError') return { code: 'INTERRUPTED', field: null }
  return { code: 'INTERNAL', field: null }
}

/**
 * What may be logged of an error that stopped an import: the class and the database's own
 * code and message. Drizzle's message carries the SQL and its parameters (cells, ID numbers).
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (err instanceof AppError) return { code: err.code, msg: err.message }
  const e = err as
    | {
        name?: string
        code?: unknown
        cause?: { code?: unknown; message?: unknown; name?: unknown }
      }
    | undefined
  const cause = e?.cause
  return {
    name: e?.name ?? typeof err,
    code: typeof e?.code === 'string' ? e.code : undefined,
    dbCode: cause?.code,
    dbMessage: typeof cause?.message === 'string' ? cause.message.slice(0, 200) : undefined,
  }
}

function sealCells(ring: Keyring, cells: Cell[]): string {
  return encryptValue(
    ring,
    JSON.stringify(
      cells.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : (c ?? null))),
    ),
  )
}

function refuseNulHeaders(headers: string[]): void {
  // Headers are stored and looked up (saved mappings): NUL cannot go into PostgreSQL text.
  if (headers.some((h) => h.includes('\u0000'))) throw invalid('file', 'IMPORT_HEADER_NUL')
}

/** Step: the header row among the first ten, its mapping (given, saved, or recognised), and the rows read past it. */
async function readHeader(
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
  if (best < 0) throw invalid('file', 'IMPORT_NO_HEADER_ROW')
  const headers = seen[best]!.cells.map((c) => String(c ?? '').trim())
  refuseNulHeaders(headers)
  const guess = recogniseHeaders(headers, explicit ?? (await saved(headers)))
  if (guess.missing.length)
    throw invalid('mapping', 'IMPORT_COLUMNS_MISSING', {
      columns: guess.missing.map((f) => LABELS[f]).join('、'),
    })
  return { headers, guess, pending: seen.slice(best + 1) }
}

/** Step: the job row (and the mapping the user corrected, kept for the next file with these headers). */
async function startJob(
  db: Db,
  actor: Actor,
  opts: ImportOptions,
  headers: string[],
): Promise<string> {
  if (opts.mapping && actor.userId)
    await saveMapping(
      db,
      actor.userId,
      headerSignature(headers),
      opts.mapping as Record<string, number>,
    )
  const jobId = await insertImportJob(db, {
    kind: 'residents',
    fileName: opts.fileName,
    divisionId: opts.divisionId,
    actorId: actor.userId,
    actorName: actor.username,
    dryRun: opts.dryRun,
    headers,
  })
  opts.onJob?.(jobId)
  return jobId
}

/** Step: while this process lives the job says so; after kill -9 the heartbeat stops and the job reads as interrupted. */
function startHeartbeat(db: Db, jobId: string): () => void {
  const timer = setInterval(() => {
    touchImportJob(db, jobId).catch(() => {})
  }, HEARTBEAT_MS)
  timer.unref()
  return () => clearInterval(timer)
}

function emptyReport(
  jobId: string,
  opts: ImportOptions,
  headers: string[],
  guess: HeaderGuess,
): ImportReport {
  return {
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
    buildingsCreated: 0,
    repaired: [],
    rejections: [],
    notices: [],
    seconds: 0,
    rowsPerSecond: 0,
  }
}

/** A run's state between rows: the batch being filled, its rejects, and what the file has seen. */
interface Run {
  db: Db
  ring: Keyring
  actor: Actor
  opts: ImportOptions
  lang: Lang
  jobId: string
  headers: string[]
  mapping: ColumnMapping
  index: PlaceIndex
  report: ImportReport
  started: number
  ctx: RowContext
  /** ID number → the first row that had it. */
  firstRow: Map<string, number>
  /** Building codes that repeat across grids and that rows named (said once in the report). */
  repeated: Set<string>
  createdBuildings: string[]
  batch: CheckedPerson[]
  batchCells: Cell[][]
  rejects: { rejection: Rejection; cells: Cell[] }[]
  inFlight: Promise<void>
}

function reject(
  run: Run,
  rowNo: number,
  reasons: RowReason[],
  cells: Cell[],
  into = run.rejects,
): void {
  const rejection = toRejection(run.lang, rowNo, reasons, run.mapping, run.headers)
  run.report.rejected++
  if (run.report.rejections.length < SHOWN) run.report.rejections.push(rejection)
  into.push({ rejection, cells })
}

/**
 * Step: one sheet row through every check (the row's cells, its place, the registration
 * rules, a repeated person), every problem collected; a clean row gets its household (created
 * when allowed) and joins the batch.
 */
async function checkRow(run: Run, r: SheetRow): Promise<void> {
  const parsed = parseRosterRow(r.cells, run.mapping, r.rowNo, run.ctx)
  if (parsed.ok === 'empty') {
    run.report.emptyRows++
    return
  }
  run.report.rows++
  const { row, bad } = parsed
  const reasons = [...parsed.reasons]
  const addressOk = !bad.has('building') && !bad.has('unit') && !bad.has('room')
  const located = addressOk ? locate(run.index, row) : undefined
  if (located && buildingRepeats(run.index, row.building) && !row.grid && !run.index.defaultGrid)
    run.repeated.add(row.building)
  const placeReason = located
    ? creationAllowed(located, row, run.opts.createMissing, run.index.target.name)
    : undefined
  if (placeReason) reasons.push(placeReason)
  let checkedRepairs: RowReason[] = []
  let person: CheckedPerson | undefined
  if (!bad.has('idNumber')) {
    // The place is a stand-in until the row is clean: the rules do not look at it.
    const stand =
      located?.kind === 'found'
        ? located.place
        : { householdId: '', gridId: '', gridPath: '', sortKey: '', label: '' }
    const checked = checkRosterPerson({ ...row, place: stand })
    if (!checked.ok) reasons.push(...checked.reasons.filter((x) => !bad.has(x.field as never)))
    else {
      person = checked.person
      checkedRepairs = checked.person.repairs
      const dup = run.firstRow.get(person.idNumber)
      if (dup !== undefined)
        reasons.push({ code: 'ROW_DUPLICATE', field: 'idNumber', params: { row: dup } })
    }
  }
  if (reasons.length || !person || !located || located.kind === 'rejected')
    return reject(run, r.rowNo, reasons, parsed.cells)
  if (located.kind === 'found') person.place = located.place
  else {
    const made = await createPlace(run.db, run.index, located, row, run.opts.dryRun)
    person.place = made.place
    if (made.buildingCreated) run.createdBuildings.push(row.building)
  }
  run.firstRow.set(person.idNumber, r.rowNo)
  const repairs = [...parsed.repairs, ...checkedRepairs]
  if (repairs.length && run.report.repaired.length < SHOWN)
    run.report.repaired.push(repairedRowOf(run.lang, r.rowNo, repairs, run.mapping, run.headers))
  run.batch.push(prepareRosterPerson(run.ring, person))
  run.batchCells.push(parsed.cells)
}

/** Step: one batch and its rejected rows in one transaction, with the job's progress. */
async function commitBatch(run: Run): Promise<void> {
  // Every row read so far is in this batch or its rejects: once it commits, these rows are done.
  const rowsCommitted = run.report.rows
  const people = run.batch
  const cells = run.batchCells
  const bad = run.rejects
  run.batch = []
  run.batchCells = []
  run.rejects = []
  const outcomes: Outcome[] = await inTransaction(run.db, async (tx) => {
    const out = await applyRosterBatch(tx, run.ring, run.actor, people, {
      dryRun: run.opts.dryRun,
      source: run.jobId,
    })
    run.report.transfersRequested += out.transfers?.size ?? 0
    for (const [i, c] of out.conflicts)
      reject(
        run,
        people[i]!.rowNo,
        [{ code: c.code, field: 'idNumber', ...(c.params ? { params: c.params } : {}) }],
        cells[i]!,
        bad,
      )
    await insertRejections(
      tx,
      bad.map((b) => ({
        jobId: run.jobId,
        rowNo: b.rejection.rowNo,
        column: b.rejection.column,
        reason: b.rejection.reason,
        code: b.rejection.code,
        reasons: b.rejection.reasons,
        cellsEnc: sealCells(run.ring, b.cells),
      })),
    )
    await setImportProgress(tx, run.jobId, rowsCommitted)
    return out.outcomes
  })
  for (const o of outcomes) if (o !== 'conflict') run.report[o]++
  const secs = (performance.now() - run.started) / 1000
  run.opts.onProgress?.({ rows: run.report.rows, rowsPerSecond: run.report.rows / secs })
}

/** Step: a full batch goes to the database while the next one is read and encrypted. */
async function afterRow(run: Run, batchSize: number): Promise<void> {
  // Parsed rows arrive through promises alone; let the database's replies in now and then so
  // the batch in flight keeps moving while this one is prepared.
  if (run.batch.length > 0 && run.batch.length % 100 === 0)
    await new Promise<void>((resolve) => setImmediate(resolve))
  if (run.batch.length >= batchSize) {
    await run.inFlight
    run.inFlight = commitBatch(run)
    run.inFlight.catch(() => {})
  }
}

/** Step: what is said once per job (building numbers that repeat across grids, buildings created). */
function noticesOf(run: Run): ImportReport['notices'] {
  const out: ImportReport['notices'] = []
  if (run.repeated.size)
    out.push({
      code: 'IMPORT_NOTICE_AMBIGUOUS_BUILDINGS',
      params: { buildings: [...run.repeated].slice(0, 20).join('、') },
    })
  if (run.createdBuildings.length)
    out.push({
      code: 'IMPORT_NOTICE_BUILDINGS_CREATED',
      params: {
        count: run.createdBuildings.length,
        buildings: run.createdBuildings.slice(0, 20).join('、'),
      },
    })
  return out
}

/**
 * Imports a resident roster (.xlsx or .csv, UTF-8 or GBK) under one division. Streams the
 * file; validates, repairs what is unambiguous and rejects the rest with row, column and
 * every reason; commits each batch in its own transaction, so a rejected row never blocks the
 * good ones and an interrupted run, run again, ends in the same state.
 */
export async function importResidents(
  db: Db,
  ring: Keyring,
  actor: Actor,
  path: string,
  opts: ImportOptions,
): Promise<ImportReport> {
  authorize(actor, 'registry:write')
  const started = performance.now()
  const index = await loadPlaceIndex(db, actor, opts.divisionId)
  const iterator = readSheet(path, formatOf(opts.fileName))[Symbol.asyncIterator]()
  const saved = async (headers: string[]): Promise<ColumnMapping | undefined> =>
    actor.userId ? findSavedMapping(db, actor.userId, headerSignature(headers)) : undefined
  const { headers, guess, pending } = await readHeader(iterator, saved, opts.mapping)
  const jobId = await startJob(db, actor, opts, headers)
  const stopHeartbeat = startHeartbeat(db, jobId)
  const run: Run = {
    db,
    ring,
    actor,
    opts,
    lang: opts.lang ?? 'zh-CN',
    jobId,
    headers,
    mapping: guess.mapping,
    index,
    started,
    report: emptyReport(jobId, opts, headers, guess),
    ctx: { lastBuilding: undefined, lastUnit: undefined, houses: guess.houses },
    firstRow: new Map(),
    repeated: new Set(),
    createdBuildings: [],
    batch: [],
    batchCells: [],
    rejects: [],
    inFlight: Promise.resolve(),
  }
  const batchSize = opts.batchSize ?? 1000
  const handle = async (r: SheetRow): Promise<void> => {
    opts.signal?.throwIfAborted()
    await checkRow(run, r)
    await afterRow(run, batchSize)
  }
  try {
    for (const r of pending) await handle(r)
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) await handle(r.value)
    await run.inFlight
    await commitBatch(run)
  } catch (err) {
    stopHeartbeat()
    await run.inFlight.catch(() => {})
    const e = jobErrorOf(opts.signal?.aborted ? (opts.signal.reason ?? err) : err)
    await finishImportJob(db, jobId, {
      status: e.code === 'INTERRUPTED' ? 'interrupted' : 'failed',
      error: e.code,
      errorField: e.field,
    })
    throw err
  }
  stopHeartbeat()
  const report = run.report
  report.notices = noticesOf(run)
  report.buildingsCreated = run.createdBuildings.length
  report.seconds = Math.round((performance.now() - started) / 100) / 10
  report.rowsPerSecond = Math.round(report.rows / Math.max(report.seconds, 0.001))
  await finishImportJob(db, jobId, {
    status: 'done',
    rowsDone: report.rows,
    report: report as unknown as Record<string, unknown>,
  })
  return report
}

/** The header row as recognised (or as saved last time) and three rows, for the mapping screen. */
export async function previewRoster(
  db: Db,
  actor: Actor,
  path: string,
  fileName: string,
): Promise<RosterPreview> {
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
  refuseNulHeaders(headers)
  const saved = actor.userId
    ? await findSavedMapping(db, actor.userId, headerSignature(headers))
    : undefined
  const guess = recogniseHeaders(headers, saved)
  const sample = seen
    .slice(best + 1)
    .map((r) =>
      r.cells.map((c) =>
        c instanceof Date ? c.toISOString().slice(0, 10) : cellText(c) === '' ? '' : String(c),
      ),
    )
    .filter((cells) => cells.some((c) => c.trim() !== ''))
    .slice(0, 3)
  return { headers, mapping: guess.mapping, missing: guess.missing, sample }
}

/**
 * Run at start: jobs still `running` whose heartbeat stopped (the process was killed) become
 * `interrupted` (run the file again: committed rows come back unchanged), and rejected rows
 * stored in plaintext by an older version are sealed.
 */
export async function recoverImports(
  db: Db,
  ring: Keyring,
  opts: { exclusive?: boolean; now?: Date } = {},
): Promise<{ interrupted: number; sealed: number }> {
  const now = opts.now ?? new Date()
  // Embedded PGlite has one process: at its start, every running job is a dead one.
  const stale = opts.exclusive ? now : new Date(now.getTime() - HEARTBEAT_STALE_MS)
  const interrupted = await interruptStaleJobs(db, stale, now)
  let sealed = 0
  for (;;) {
    const legacy = await plaintextRejections(db, 500)
    if (legacy.length === 0) break
    await inTransaction(db, async (tx) => {
      for (const r of legacy)
        await sealRejection(tx, r.id, sealCells(ring, (r.cells ?? []) as Cell[]))
    })
    sealed += legacy.length
  }
  return { interrupted, sealed }
}

/** A job the actor may see: their own, or any under their scope. */
export async function getImportJob(
  db: Db,
  actor: Actor,
  id: string,
): Promise<
  ImportJobOut & { headers: string[]; divisionPath: string | null; mapping: ColumnMapping }
> {
  authorize(actor, 'registry:write')
  const job = await findImportJob(db, id)
  if (!job) throw notFound('IMPORT_JOB_NOT_FOUND')
  const d = await findDivisionById(db, job.divisionId)
  if (job.actorId !== actor.userId && !isWholeDeployment(actor)) {
    if (!d || !pathInScope(actor, d.path)) throw notFound('IMPORT_JOB_NOT_FOUND')
  }
  // Another instance (or this one before a kill -9) stopped beating: say so instead of `running`
  // forever. Reading writes nothing (a GET never does): the next start records it (recoverImports).
  const stale =
    job.status === 'running' &&
    (job.heartbeatAt ?? job.startedAt).getTime() < Date.now() - HEARTBEAT_STALE_MS
  const report = (job.report as unknown as ImportReport | null) ?? null
  return {
    id: job.id,
    status: stale ? 'interrupted' : (job.status as JobStatus),
    fileName: job.fileName,
    dryRun: job.dryRun,
    rowsDone: job.rowsDone,
    report,
    error: stale ? 'INTERRUPTED' : job.error,
    errorField: job.errorField,
    startedAt: job.startedAt.toISOString(),
    headers: job.headers ?? [],
    divisionPath: d?.path ?? null,
    mapping: report?.mapping ?? recogniseHeaders(job.headers ?? []).mapping,
  }
}

export interface RejectedRow {
  rowNo: number
  column: string
  reason: string
  code: string | null
  /** Every reason as data (null for rows stored before reasons were). */
  reasons: RowReason[] | null
  cells: unknown[]
}

/** The rejected rows of a job, cells decrypted (for the error file only). */
export async function rejectedRows(db: Db, ring: Keyring, jobId: string): Promise<RejectedRow[]> {
  const found = await rejectionsOfJob(db, jobId)
  return found.map((r) => {
    let cells: unknown[] = r.cells ?? []
    if (r.cellsEnc) {
      try {
        cells = JSON.parse(decryptValue(ring, r.cellsEnc)) as unknown[]
      } catch {
        cells = [] // a key pruned before the file was fetched: the row, column and reason remain
      }
    }
    return {
      rowNo: r.rowNo,
      column: r.column,
      reason: r.reason,
      code: r.code,
      reasons: (r.reasons as RowReason[] | null) ?? null,
      cells,
    }
  })
}

export { importText }
