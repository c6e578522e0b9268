import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type { SQL } from 'drizzle-orm'
import { acquireDataDirLock } from './lock.js'
import { createPgBulkLoader, createPgliteBulkLoader, type BulkLoader } from './bulk.js'

/** The database or a transaction: every repository function takes one first. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>

/**
 * An open transaction: what inTransaction hands out. A function that must run inside one
 * (appendAudit, whose advisory lock is held to commit) says so by taking `tx: Tx`, and passing
 * it the bare database is a compile error (the database has no `rollback`, so it is not a Tx).
 * It is Drizzle's own transaction type rather than a phantom brand, so the tx of a
 * `db.transaction(async (tx) => …)` not yet moved to inTransaction is one too. A Tx is a Db:
 * repository functions take either.
 */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/** The one way routes and CLI commands open a transaction. Inside one already, it nests (a savepoint). */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn)
}

export type EngineKind = 'pglite' | 'postgres'

export interface Database {
  readonly kind: EngineKind
  readonly db: Db
  readonly bulk: BulkLoader
  /** Present for the embedded engine: backups and tests need the raw instance. */
  readonly pglite: PGlite | undefined
  /** A raw query outside Drizzle, for EXPLAIN in benchmarks. */
  raw<T>(text: string, params?: unknown[]): Promise<T[]>
  close(): Promise<void>
}

// PGlite parses int8 as a JS number and pg as a string; counts and ids must look the same on
// both engines, so pg is told to do what PGlite does. Values beyond 2^53 are an error, not a
// silent rounding.
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v)
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} exceeds the safe integer range`)
  return n
})

export interface OpenOptions {
  databaseUrl?: string | undefined
  /** Directory for the embedded engine; undefined = in memory. */
  dataDir?: string | undefined
  /** A tarball produced by dumpDataDir, to start from (tests clone a migrated template). */
  loadDataDir?: Blob | undefined
  poolSize?: number
  /** Sees every query Drizzle sends (benchmarks capture SQL to explain it). */
  logQuery?: (query: string, params: unknown[]) => void
  /**
   * The embedded engine's shared buffers: 'small' (16 MB) for the many short-lived databases of
   * the tests, whose start-up is most of their cost (1.2 s → 0.8 s); the default (128 MB) for a
   * deployment.
   */
  memory?: 'default' | 'small'
}

/**
 * PGlite's engine compiled once per process: every instance after the first starts from it
 * instead of compiling the 9 MB module again (tests open one per file).
 */
let compiledEngine: Promise<WebAssembly.Module> | undefined
function pgliteEngine(): Promise<WebAssembly.Module> {
  compiledEngine ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
    const wasm = await fs.promises.readFile(path.join(path.dirname(entry), 'pglite.wasm'))
    // The server's lib has WebAssembly's types but not its value (that is declared with the DOM's).
    const wasmApi = (
      globalThis as unknown as {
        WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> }
      }
    ).WebAssembly
    return wasmApi.compile(wasm)
  })()
  return compiledEngine
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: '-c TimeZone=UTC',
    })
    // An idle pooled connection the server closes (a restart, pg_terminate_backend, a dropped
    // database) is an 'error' event of the pool: unheard, it is an uncaught exception that ends
    // the process. The pool has already discarded the client and opens a new one when asked.
    pool.on('error', (err: Error & { code?: string }) => {
      process.stderr.write(
        `database: an idle connection was closed by the server (${err.code ?? err.message}); the pool opens a new one\n`,
      )
    })
    // Fail fast with a clear message if the server is not reachable.
    const client = await pool.connect()
    client.release()
    const db = drizzlePg({
      client: pool,
      logger: opts.logQuery ? { logQuery: opts.logQuery } : false,
    }) as unknown as Db
    if (!opts.logQuery)
      hotReaders.set(db, {
        rows: async (name, text, values) =>
          (await pool.query<unknown[]>({ name, text, values, rowMode: 'array' })).rows,
      })
    return {
      kind: 'postgres',
      db,
      bulk: createPgBulkLoader(pool),
      pglite: undefined,
      raw: async <T>(text: string, params: unknown[] = []) =>
        (await pool.query(text, params)).rows as T[],
      close: () => pool.end(),
    }
  }
  const engine = await pgliteEngine()
  const release = opts.dataDir ? acquireDataDirLock(opts.dataDir) : () => {}
  const client = new PGlite({
    dataDir: opts.dataDir ? path.join(opts.dataDir, 'pgdata') : undefined,
    loadDataDir: opts.loadDataDir,
    pgliteWasmModule: engine,
    // The embedded engine runs with fsync off; a small WAL keeps the data directory small and
    // start-up replay short after a crash.
    postgresqlconf: [
      'max_wal_size = 64MB',
      'min_wal_size = 32MB',
      "timezone = 'UTC'",
      ...(opts.memory === 'small' ? ['shared_buffers = 16MB'] : []),
    ],
  })
  try {
    await client.waitReady
  } catch (err) {
    release()
    throw err
  }
  const db = drizzlePglite({
    client,
    logger: opts.logQuery ? { logQuery: opts.logQuery } : false,
  }) as unknown as Db
  if (!opts.logQuery)
    hotReaders.set(db, {
      rows: async (_name, text, values) =>
        (await client.query<unknown[]>(text, values, { rowMode: 'array' })).rows,
    })
  return {
    kind: 'pglite',
    db,
    bulk: createPgliteBulkLoader(client),
    pglite: client,
    raw: async <T>(text: string, params: unknown[] = []) =>
      (await client.query<T>(text, params)).rows,
    close: async () => {
      if (!client.closed) await client.close()
      release()
    },
  }
}

/**
 * The driver itself, for the few hottest reads (bench/http): a named statement that PostgreSQL
 * parses once per connection, rows as arrays, no query building and no row mapping. Only the
 * deployment's own handle has one: inside a transaction (a Tx) there is none, and the caller
 * uses Drizzle. On PGlite the query waits for any open transaction, as Drizzle's own would.
 */
export interface HotReader {
  rows(name: string, text: string, values: unknown[]): Promise<unknown[][]>
}
const hotReaders = new WeakMap<object, HotReader>()

export function hotReaderOf(db: Db | Tx): HotReader | undefined {
  return hotReaders.get(db)
}

/** Runs a raw query and returns its rows; the two drivers wrap results differently. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

/** The SQLSTATE of a failed query, whichever driver threw it (Drizzle wraps it as the cause). */
export function sqlState(err: unknown): string | undefined {
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 4;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code
  }
  return undefined
}

/**
 * Runs `fn` in a transaction, once more if it lost a race on a unique key (23505) or a
 * serialization check (40001): an idempotent write retried sees the winner's rows the second time.
 */
export async function transactionWithRetry<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, fn)
  } catch (err) {
    const state = sqlState(err)
    if (state !== '23505' && state !== '40001') throw err
    return inTransaction(db, fn)
  }
}
