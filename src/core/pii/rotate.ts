import { sql } from 'drizzle-orm'
import { inTransaction, rows, type Db } from '../db/db.js'
import { blindIndex, decryptValue, encryptValue } from './crypto.js'
import type { Keyring } from './keyring.js'

interface EncryptedTable {
  table: string
  /** The column rows are walked by: `id`, else the one-column primary key (`resident_id` for a row per resident). */
  key: string
  /** Base names: column `<name>_enc`, and `<name>_bidx` when the table has one. */
  fields: { name: string; hasIndex: boolean }[]
}

/**
 * Every table with `<name>_enc` columns, found from the catalogue, so that core needs to know
 * no domain: a later domain that follows the naming is rotated without registering anything.
 */
export async function findEncryptedTables(db: Db): Promise<EncryptedTable[]> {
  const cols = await rows<{ table_name: string; column_name: string }>(
    db,
    sql`select table_name, column_name from information_schema.columns
        where table_schema = 'public'
          and (column_name like '%\_enc' or column_name like '%\_bidx' or column_name = 'id')
        order by table_name, column_name`,
  )
  const byTable = new Map<string, Set<string>>()
  for (const c of cols) {
    const set = byTable.get(c.table_name) ?? new Set<string>()
    set.add(c.column_name)
    byTable.set(c.table_name, set)
  }
  const keys = new Map(
    (
      await rows<{ table_name: string; column_name: string }>(
        db,
        sql`select c.relname as table_name, a.attname as column_name
            from pg_index i
            join pg_class c on c.oid = i.indrelid
            join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
            where i.indisprimary and i.indnatts = 1 and n.nspname = 'public'`,
      )
    ).map((k) => [k.table_name, k.column_name]),
  )
  const out: EncryptedTable[] = []
  for (const [table, set] of byTable) {
    const fields = [...set]
      .filter((c) => c.endsWith('_enc'))
      .map((c) => c.slice(0, -4))
      .map((name) => ({ name, hasIndex: set.has(`${name}_bidx`) }))
    if (!fields.length) continue
    // Rows are walked by their `id`, or by the one-column primary key of a table without one.
    const key = set.has('id') ? 'id' : keys.get(table)
    // A sealed value must be rotatable: a table without either is a schema mistake.
    if (!key)
      throw new Error(
        `key rotation: table ${table} has encrypted columns but neither an id column nor a one-column primary key`,
      )
    out.push({ table, key, fields })
  }
  return out
}

export interface RotationProgress {
  table: string
  rowsDone: number
}

/**
 * Re-encrypts (and re-indexes) every value not under the current key, in batches of
 * `batchSize` rows, each batch its own transaction. Interrupting it loses nothing: a rerun
 * picks up the rows still carrying an old key id.
 */
export async function reencryptAll(
  db: Db,
  ring: Keyring,
  opts: { batchSize?: number; onProgress?: (p: RotationProgress) => void } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 1000
  const prefix = `${ring.current.id}.%`
  let total = 0
  for (const t of await findEncryptedTables(db)) {
    const table = sql.identifier(t.table)
    const key = sql.identifier(t.key)
    const stale = sql.join(
      t.fields.map(
        (f) =>
          sql`(${sql.identifier(`${f.name}_enc`)} is not null and ${sql.identifier(`${f.name}_enc`)} not like ${prefix})`,
      ),
      sql` or `,
    )
    const selectCols = sql.join(
      t.fields.map((f) => sql.identifier(`${f.name}_enc`)),
      sql`, `,
    )
    let done = 0
    for (;;) {
      const batch = await rows<Record<string, string | null>>(
        db,
        sql`select ${key}::text as id, ${selectCols} from ${table} where ${stale} order by ${key} limit ${batchSize}`,
      )
      if (batch.length === 0) break
      await inTransaction(db, async (tx) => {
        for (const row of batch) {
          const sets = t.fields.flatMap((f) => {
            const stored = row[`${f.name}_enc`]
            if (stored === null || stored === undefined) return []
            const plain = decryptValue(ring, stored)
            const assignments = [
              sql`${sql.identifier(`${f.name}_enc`)} = ${encryptValue(ring, plain)}`,
            ]
            if (f.hasIndex)
              assignments.push(
                sql`${sql.identifier(`${f.name}_bidx`)} = ${blindIndex(ring, plain)}`,
              )
            return assignments
          })
          await tx.execute(
            sql`update ${table} set ${sql.join(sets, sql`, `)} where ${key}::text = ${row.id}`,
          )
        }
      })
      done += batch.length
      total += batch.length
      opts.onProgress?.({ table: t.table, rowsDone: done })
    }
  }
  return total
}
