import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { cloneTestDatabase, engine } from '../../../test/helpers.js'
import pg from 'pg'
import { openDatabase, rows, type Database } from './db.js'
import { copyRowsWithin, encodeCopyRow } from './bulk.js'

let database: Database
beforeAll(async () => {
  database = await cloneTestDatabase()
})
afterAll(async () => database?.close())

describe(`database on ${engine}`, () => {
  it('returns the same JavaScript values on both engines', async () => {
    const [r] = await rows<Record<string, unknown>>(
      database.db,
      sql`select count(*) as n, 1::int8 as big, '2026-11-29'::date as d, 1.5::numeric as num, '{"a":1}'::jsonb as j,
                 '2026-11-29T08:00:00Z'::timestamptz as ts, current_setting('TimeZone') as tz`,
    )
    expect(r).toEqual({
      n: 1,
      big: 1,
      d: '2026-11-29',
      num: '1.5',
      j: { a: 1 },
      ts: '2026-11-29 08:00:00+00',
      tz: 'UTC',
    })
  })

  it('bulk-loads with COPY, escaping tabs, newlines, backslashes and NULLs', async () => {
    await database.db.execute(sql`create table bulk_probe (id int, label text, note text)`)
    const input: [number, string, string | null][] = [
      [1, 'tab\there', null],
      [2, 'line\nbreak', 'back\\slash'],
      [3, '网格', ''],
    ]
    function* gen(): Generator<(string | number | null)[]> {
      yield* input
      for (let i = 4; i <= 60_010; i++) yield [i, `row ${i}`, null]
    }
    const n = await database.bulk.copyRows('bulk_probe', ['id', 'label', 'note'], gen())
    expect(n).toBe(60_010)
    const back = await rows<{ id: number; label: string; note: string | null }>(
      database.db,
      sql`select id, label, note from bulk_probe where id <= 3 order by id`,
    )
    expect(back.map((r) => [r.id, r.label, r.note])).toEqual(input)
    const [c] = await rows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from bulk_probe`,
    )
    expect(c!.n).toBe(60_010)
  })

  it('copies inside a transaction: the rows roll back with it', async () => {
    await database.db.execute(sql`create table tx_probe (id int, doc jsonb)`)
    await expect(
      database.db.transaction(async (tx) => {
        await copyRowsWithin(tx, 'tx_probe', ['id', 'doc'], [[1, { a: 'tab\there' }]])
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    await database.db.transaction((tx) =>
      copyRowsWithin(
        tx,
        'tx_probe',
        ['id', 'doc'],
        [
          [2, { a: 'x' }],
          [3, null],
        ],
      ),
    )
    const back = await rows<{ id: number; doc: unknown }>(
      database.db,
      sql`select id, doc from tx_probe order by id`,
    )
    expect(back).toEqual([
      { id: 2, doc: { a: 'x' } },
      { id: 3, doc: null },
    ])
  })

  it('refuses identifiers that are not plain names', async () => {
    await expect(database.bulk.copyRows('bulk_probe; drop table x', ['id'], [])).rejects.toThrow(
      /plain identifier/,
    )
    expect(encodeCopyRow([null, 'a\tb'])).toBe('\\N\ta\\tb\n')
  })
})

describe.skipIf(engine !== 'postgres')(
  'a PostgreSQL pool whose idle connection the server closes',
  () => {
    it('keeps the process alive and answers the next query on a new connection', async () => {
      const own = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL!, poolSize: 1 })
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL! })
      await admin.connect()
      try {
        // The pool's one connection, idle after this query: the server ends it (as a restart would).
        const [before] = await rows<{ pid: number }>(own.db, sql`select pg_backend_pid() as pid`)
        await admin.query('select pg_terminate_backend($1)', [before!.pid])
        // Unheard, the pool's error event would be an uncaught exception failing this run.
        await new Promise((r) => setTimeout(r, 300))
        const [after] = await rows<{ pid: number }>(own.db, sql`select pg_backend_pid() as pid`)
        expect(after!.pid).not.toBe(before!.pid)
      } finally {
        await admin.end()
        await own.close()
      }
    })
  },
)
