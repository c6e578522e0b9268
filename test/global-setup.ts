import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../src/core/db/db.js'
import { migrationsFolder, runMigrations } from '../src/core/db/migrate.js'

const TMP = path.resolve(import.meta.dirname, '../.tmp')

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    pgTemplateDb: string | null
  }
}

/** What a migrated template depends on: every migration file and the PGlite version. */
function templateKey(): string {
  const h = crypto.createHash('sha256')
  const walk = (dir: string): void => {
    for (const e of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else
        h.update(path.relative(migrationsFolder, p))
          .update('\0')
          .update(fs.readFileSync(p))
          .update('\0')
    }
  }
  walk(migrationsFolder)
  // The tarball's own layout (template0 and template1 left out).
  h.update('without-template-databases')
  h.update(
    JSON.parse(
      fs.readFileSync(
        path.resolve(import.meta.dirname, '../node_modules/@electric-sql/pglite/package.json'),
        'utf8',
      ),
    ).version,
  )
  return h.digest('hex').slice(0, 16)
}

/**
 * Migrates one database and lets every test file clone it: a PGlite data-dir tarball, and on
 * PostgreSQL (TEST_ENGINE=postgres) a template database. The tarball is kept in .tmp under the
 * hash of the migrations, so later runs (and the `process` project, which uses it to seed data
 * directories) skip migrating until a migration changes.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  fs.mkdirSync(TMP, { recursive: true })
  const key = templateKey()
  const file = path.join(TMP, `pglite-template-${key}.tar`)
  if (!fs.existsSync(file)) {
    const database = await openDatabase({})
    await runMigrations(database)
    const templates = await database.pglite!.query<{ oid: number }>(
      'select oid::int as oid from pg_database where datistemplate',
    )
    const dump = await database.pglite!.dumpDataDir('none')
    await database.close()
    // Written aside and renamed: a run beside this one never reads half a file.
    const partial = `${file}.${process.pid}.partial`
    const unpacked = `${partial}.d`
    fs.mkdirSync(unpacked)
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    // Without template0 and template1 (nothing in a test creates a database): a third less to
    // unpack into every test database, about 200 ms of CPU each (bench/RESULTS.md).
    execFileSync('tar', ['-xf', partial, '-C', unpacked], { stdio: 'pipe' })
    for (const { oid } of templates.rows)
      fs.rmSync(path.join(unpacked, 'base', String(oid)), { recursive: true, force: true })
    execFileSync('tar', ['-cf', partial, '-C', unpacked, '.'], { stdio: 'pipe' })
    fs.rmSync(unpacked, { recursive: true, force: true })
    fs.renameSync(partial, file)
  }
  // Templates of older migration sets (and of the per-run naming before) go after a day.
  for (const name of fs.readdirSync(TMP)) {
    const p = path.join(TMP, name)
    if (
      name.startsWith('pglite-template-') &&
      p !== file &&
      Date.now() - fs.statSync(p).mtimeMs > 86_400_000
    )
      fs.rmSync(p, { force: true })
  }
  project.provide('pgliteTemplate', file)

  let templateDb: string | null = null
  const url = process.env.TEST_DATABASE_URL
  if (process.env.TEST_ENGINE === 'postgres') {
    if (!url) throw new Error('TEST_ENGINE=postgres needs TEST_DATABASE_URL')
    templateDb = `wg_template_${process.pid}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`drop database if exists ${templateDb}`)
    await admin.query(`create database ${templateDb}`)
    await admin.end()
    const u = new URL(url)
    u.pathname = `/${templateDb}`
    const tdb = await openDatabase({ databaseUrl: u.toString(), poolSize: 1 })
    await runMigrations(tdb)
    await tdb.close()
  }
  project.provide('pgTemplateDb', templateDb)

  return async () => {
    if (templateDb && url) {
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`drop database if exists ${templateDb}`)
      await admin.end()
    }
  }
}
