/**
 * bench/import: import N residents (default 1,000,000) from a CSV roster (validation,
 * encryption, blind indexes, all indexes live) against a raw COPY of the same rows into an
 * index-free table of the same engine, in one run.
 *   npx tsx bench/import/import.bench.ts                        (PGlite)
 *   DATABASE_URL=postgres://…/empty_db npx tsx bench/import/import.bench.ts
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { sql } from 'drizzle-orm'
import { openDatabase, rows } from '../../src/core/db/db.js'
import { installPermissions } from '../../src/permissions.js'
import { runMigrations } from '../../src/core/db/migrate.js'
import { keyringFromMasters } from '../../src/core/pii/keyring.js'
import { decryptValue } from '../../src/core/pii/crypto.js'
import { systemActor } from '../../src/core/auth/actor.js'
import { generateDemoCity } from '../../src/demo/demo.service.js'
import { importResidents } from '../../src/imports/imports.service.js'
import { RESIDENT_COLUMNS } from '../../src/registry/registry.repo.js'

const N = Number(process.env.BENCH_RESIDENTS ?? 1_000_000)
const engine = process.env.DATABASE_URL ? 'postgres' : 'pglite'
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wg-bench-import-'))
installPermissions()
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: engine === 'pglite' ? path.join(tmp, 'data') : undefined,
})
await runMigrations(database)
const ring = keyringFromMasters([crypto.randomBytes(32)], 'bench')
const db = database.db

// The places and people of the demo city; the people become the roster, then leave the registry.
process.stderr.write('generating the demo city…\n')
await generateDemoCity(database, ring, { residents: N, seed: 7 })
const csvFile = path.join(tmp, 'roster.csv')
const out = fs.createWriteStream(csvFile)
out.write('姓名,身份证号,联系电话,性别,出生日期,网格,楼栋,单元,房号,户主关系,人员类型\n')
const REL: Record<string, string> = { head: '户主', spouse: '配偶', child: '子女', parent: '父母' }
const RES: Record<string, string> = {
  registered: '户籍',
  permanent: '常住',
  floating: '流动',
  tenant: '租户',
}
let after = '00000000-0000-0000-0000-000000000000'
for (;;) {
  const page = await rows<{
    id: string
    name: string
    id_enc: string
    phone_enc: string | null
    sex: string
    birth_date: string
    grid: string
    building: string
    unit: string
    room: string
    relation: string
    residence_type: string
  }>(
    db,
    sql`select r.id, r.name, r.id_enc, r.phone_enc, r.sex, r.birth_date, d.code as grid, b.code as building, u.code as unit, h.room, r.relation, r.residence_type
        from resident r join household h on h.id = r.household_id join unit u on u.id = h.unit_id join building b on b.id = h.building_id join division d on d.id = h.grid_id
        where r.id > ${after}::uuid order by r.id limit 20000`,
  )
  if (page.length === 0) break
  for (const r of page) {
    const cells = [
      r.name,
      decryptValue(ring, r.id_enc),
      r.phone_enc ? decryptValue(ring, r.phone_enc) : '',
      r.sex === 'male' ? '男' : '女',
      r.birth_date,
      r.grid,
      r.building,
      r.unit,
      r.room,
      REL[r.relation] ?? '其他',
      RES[r.residence_type]!,
    ]
    out.write(cells.join(',') + '\n')
  }
  after = page[page.length - 1]!.id
}
await new Promise<void>((r) => out.end(r))
await db.execute(sql`delete from resident_code`)
await db.execute(sql`delete from resident_tag`)
await db.execute(sql`delete from resident_event`)
await db.execute(sql`delete from resident`)
await db.execute(sql`vacuum analyze resident`)

// Baseline: the engine's own bulk-load speed for the same rows.
await db.execute(
  sql.raw(
    `create table bench_raw_copy (name text, id_number text, phone text, sex text, birth_date text, grid text, building text, unit text, room text, relation text, residence_type text)`,
  ),
)
const c0 = performance.now()
// The file itself, COPYed as CSV by the engine (no parsing in JS): the database's own bulk-load speed.
const copySql = `COPY bench_raw_copy FROM ${engine === 'postgres' ? 'STDIN' : "'/dev/blob'"} WITH (FORMAT csv, HEADER true)`
if (engine === 'postgres') {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  await pipeline(fs.createReadStream(csvFile), client.query(copyFrom(copySql)))
  await client.end()
} else {
  await database.pglite!.query(copySql, [], { blob: new Blob([fs.readFileSync(csvFile)]) })
}
const copySecs = (performance.now() - c0) / 1000

const [street] = await rows<{ id: string }>(db, sql`select id from division where level = 'street'`)
process.stderr.write('importing…\n')
// Memory of the import itself: the process's resident set when it starts and at its largest.
global.gc?.()
const rssBefore = process.memoryUsage().rss
let rssPeak = rssBefore
const i0 = performance.now()
const report = await importResidents(db, ring, systemActor('bench'), csvFile, {
  divisionId: street!.id,
  fileName: 'roster.csv',
  dryRun: false,
  createMissing: false,
  onProgress: (p) => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    if (p.rows % 20_000 < 1000 && process.env.BENCH_GC) global.gc?.()
    if (p.rows % 20_000 < 1000)
      process.stderr.write(
        `  ${p.rows} rows, ${Math.round(p.rowsPerSecond)}/s, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB, external ${Math.round(process.memoryUsage().external / 1e6)} MB\n`,
      )
  },
})
const importSecs = (performance.now() - i0) / 1000
const [count] = await rows<{ n: number }>(db, sql`select count(*)::int as n from resident`)

// Second baseline: the imported (encrypted, keyed) rows copied straight back into the real
// table with all its indexes: the floor for any import of this table on this engine.
const columns = RESIDENT_COLUMNS
const encrypted: (string | null)[][] = []
for (let last = ''; ;) {
  const page = await rows<Record<string, string | null>>(
    db,
    sql`select ${sql.raw(columns.map((c) => `${c}::text as ${c}`).join(', '))} from resident where id::text > ${last} order by id::text limit 50000`,
  )
  if (page.length === 0) break
  for (const r of page) encrypted.push(columns.map((c) => r[c] ?? null))
  last = String(page[page.length - 1]!.id)
}
await db.execute(sql`delete from resident_code`)
await db.execute(sql`delete from resident_tag`)
await db.execute(sql`delete from resident_event`)
await db.execute(sql`delete from resident`)
await db.execute(sql`vacuum analyze resident`)
const t0 = performance.now()
await database.bulk.copyRows('resident', columns, encrypted)
const tableCopySecs = (performance.now() - t0) / 1000

const copyRate = N / copySecs
const importRate = report.rows / importSecs
console.log(
  `bench/import ${new Date().toISOString()} ${os.cpus().length}× ${os.cpus()[0]?.model} node ${process.version} engine ${engine === 'postgres' ? 'PostgreSQL 15' : 'PGlite'}`,
)
console.log(`| run | rows | seconds | rows/s |`)
console.log(`| --- | ---: | ---: | ---: |`)
console.log(
  `| raw COPY of the CSV file by the engine, 11 text columns, no indexes | ${N} | ${copySecs.toFixed(1)} | ${Math.round(copyRate)} |`,
)
console.log(
  `| raw COPY of the imported rows back into \`resident\` (all its indexes) | ${encrypted.length} | ${tableCopySecs.toFixed(1)} | ${Math.round(encrypted.length / tableCopySecs)} |`,
)
console.log(
  `| roster import (validate, encrypt, index, history) | ${report.rows} | ${importSecs.toFixed(1)} | ${Math.round(importRate)} |`,
)
console.log(
  `ratio ${((importRate / copyRate) * 100).toFixed(1)}% of raw COPY (target ≥ 30%), ${((importRate / (encrypted.length / tableCopySecs)) * 100).toFixed(1)}% of COPY into the indexed table; created ${report.created}, rejected ${report.rejected}; residents now ${count!.n}; rss during the import ${Math.round(rssBefore / 1e6)} → peak ${Math.round(rssPeak / 1e6)} MB`,
)
await database.close()
fs.rmSync(tmp, { recursive: true, force: true })
