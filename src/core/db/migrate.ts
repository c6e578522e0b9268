import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import type { PgliteDatabase } from 'drizzle-orm/pglite'
import type { NodePgDatabase } from 'drizzle-orm/node-postgres'
import { openDatabase, rows, type Database } from './db.js'

export const migrationsFolder = path.resolve(import.meta.dirname, '../../migrations')

/** Applies every pending migration (the drizzle-kit SQL files in src/migrations). */
export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder })
  } else {
    await migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder })
  }
}

/**
 * Migrates as the tables' owner when `migrationUrl` (DATABASE_MIGRATION_URL) is set, so the
 * server's own role (DATABASE_URL) needs no DDL rights and cannot disable the audit trigger.
 */
export async function migrateAsOwner(
  database: Database,
  migrationUrl: string | undefined,
): Promise<void> {
  if (database.kind !== 'postgres') return runMigrations(database)
  if (!migrationUrl) {
    // A server role without DDL rights cannot even run the migrator's CREATE SCHEMA IF NOT EXISTS:
    // when every migration is applied already, there is nothing to run.
    if ((await migrationStatus(database)).current) return
    return runMigrations(database)
  }
  const owner = await openDatabase({ databaseUrl: migrationUrl, poolSize: 1 })
  try {
    await runMigrations(owner)
  } finally {
    await owner.close()
  }
}

export interface MigrationStatus {
  expected: number
  applied: number
  current: boolean
}

export async function migrationStatus(database: Database): Promise<MigrationStatus> {
  const journal = JSON.parse(
    fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'),
  ) as {
    entries: unknown[]
  }
  const expected = journal.entries.length
  const [exists] = await rows<{ present: boolean }>(
    database.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  )
  if (!exists?.present) return { expected, applied: 0, current: expected === 0 }
  const [count] = await rows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  )
  const applied = count?.n ?? 0
  return { expected, applied, current: applied >= expected }
}
