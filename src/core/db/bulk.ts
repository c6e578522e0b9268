import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { PGlite } from '@electric-sql/pglite'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

export type CopyValue =
  string | number | boolean | Date | null | undefined | Record<string, unknown> | unknown[]

/** One small interface for every bulk path: rows go in through COPY on either engine. */
export interface BulkLoader {
  /** Loads rows into table(columns) with COPY; returns the number of rows written. */
  copyRows(
    table: string,
    columns: readonly string[],
    rows: AsyncIterable<CopyValue[]> | Iterable<CopyValue[]>,
  ): Promise<number>
}

const IDENT = /^[a-z_][a-z0-9_]*$/

function copyStatement(table: string, columns: readonly string[], source: string): string {
  for (const name of [table, ...columns]) {
    if (!IDENT.test(name)) throw new Error(`bulk load: "${name}" is not a plain identifier`)
  }
  return `COPY ${table} (${columns.join(', ')}) FROM ${source}`
}

/** Encodes one value in COPY's text format. */
export function encodeCopyValue(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N'
  if (v instanceof Date) return v.toISOString()
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v)
  return s.replace(/[\\\n\r\t]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  )
}

export function encodeCopyRow(row: readonly CopyValue[]): string {
  return row.map(encodeCopyValue).join('\t') + '\n'
}

const CHUNK_ROWS = 50_000

export function createPgliteBulkLoader(client: PGlite): BulkLoader {
  return {
    async copyRows(table, columns, rows) {
      const statement = copyStatement(table, columns, `'/dev/blob'`)
      let total = 0
      let lines: string[] = []
      const flush = async (): Promise<void> => {
        if (lines.length === 0) return
        await client.query(statement, [], { blob: new Blob(lines) })
        total += lines.length
        lines = []
      }
      for await (const row of rows) {
        lines.push(encodeCopyRow(row))
        if (lines.length >= CHUNK_ROWS) await flush()
      }
      await flush()
      return total
    },
  }
}

export function createPgBulkLoader(pool: pg.Pool): BulkLoader {
  return {
    async copyRows(table, columns, rows) {
      const client = await pool.connect()
      let total = 0
      try {
        const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')))
        const source = Readable.from(
          (async function* () {
            for await (const row of rows) {
              total++
              yield encodeCopyRow(row)
            }
          })(),
        )
        await pipeline(source, stream)
        return total
      } finally {
        client.release()
      }
    },
  }
}

/** The driver connection under a Drizzle transaction (Drizzle keeps it on the session). */
function clientOf(tx: unknown): { query: (...args: unknown[]) => unknown; release?: unknown } {
  const client = (tx as { session?: { client?: unknown } }).session?.client
  if (!client || typeof (client as { query?: unknown }).query !== 'function')
    throw new Error('copyRowsWithin: not a transaction of this application')
  return client as { query: (...args: unknown[]) => unknown; release?: unknown }
}

/**
 * COPY inside an open transaction, on the transaction's own connection: the rows commit or
 * roll back with everything else the transaction did (imports need that to be re-runnable).
 */
export async function copyRowsWithin(
  tx: unknown,
  table: string,
  columns: readonly string[],
  rows: readonly CopyValue[][],
): Promise<number> {
  if (rows.length === 0) return 0
  const client = clientOf(tx)
  const text = rows.map(encodeCopyRow).join('')
  if (typeof client.release === 'function') {
    // node-postgres PoolClient
    const stream = (client as unknown as pg.PoolClient).query(
      copyFrom(copyStatement(table, columns, 'STDIN')),
    )
    await pipeline(Readable.from([text]), stream)
  } else {
    // PGlite transaction
    await (
      client as unknown as {
        query: (q: string, p: unknown[], o: { blob: Blob }) => Promise<unknown>
      }
    ).query(copyStatement(table, columns, `'/dev/blob'`), [], { blob: new Blob([text]) })
  }
  return rows.length
}
