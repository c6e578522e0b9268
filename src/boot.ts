import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { loadConfig, type Config } from './core/config.js'
import { openDatabase, type Database } from './core/db/db.js'
import { runMigrations } from './core/db/migrate.js'
import { loadKeyring, type Keyring } from './core/pii/keyring.js'
import { bootstrapAdmin } from './core/auth/auth.service.js'

export interface Platform {
  config: Config
  database: Database
  ring: Keyring
}

/** Opens the configured database, applies migrations and loads the PII keys. */
export async function openPlatform(config: Config = loadConfig()): Promise<Platform> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await runMigrations(database)
  } catch (err) {
    await database.close()
    throw err
  }
  const ring = loadKeyring(config)
  return { config, database, ring }
}

export interface Started {
  app: FastifyInstance
  platform: Platform
  /** Set on the very first start: the generated admin account. */
  firstAdmin: { username: string; password: string } | null
}

export async function startPlatform(config: Config = loadConfig()): Promise<Started> {
  const platform = await openPlatform(config)
  const firstAdmin = await bootstrapAdmin(platform.database.db)
  const app = await buildApp({ config, database: platform.database, ring: platform.ring })
  return { app, platform, firstAdmin }
}
