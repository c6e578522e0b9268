import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openDatabase } from '../src/core/db/db.js'
import { runMigrations } from '../src/core/db/migrate.js'

const TMP = path.resolve(import.meta.dirname, '../.tmp')

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string
    pgTemplateDb: string | null
  }
}

/**
 * Migrates one database per run and lets every test file clone it: a PGlite data-dir tarball,
 * and on PostgreSQL (TEST_ENGINE=postgres) a template database.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  fs.mkdirSync(TMP, { recursive: true })
  const file = path.join(TMP, `pglite-template-${process.pid}.tar`)
  const database = await openDatabase({})
  await runMigrations(database)
  const dump = await database.pglite!.dumpDataDir('none')
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  await database.close()
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
    fs.rmSync(file, { force: true })
    if (templateDb && url) {
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query(`drop database if exists ${templateDb}`)
      await admin.end()
    }
  }
}
