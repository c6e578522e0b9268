import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { loadConfig, type Config } from './core/config.js'
import { openDatabase, type Database } from './core/db/db.js'
import { migrateAsOwner } from './core/db/migrate.js'
import { loadKeyring, type Keyring } from './core/pii/keyring.js'
import { bootstrapAdmin } from './core/auth/auth.service.js'
import { loadAuditKey, useAuditKey, type AuditKey } from './core/audit/audit.key.js'
import { startCheckpointWriter } from './core/audit/audit.head.js'
import { installPermissions } from './permissions.js'
import { installAllMessages } from './messages.js'
import { installProfileSections } from './profile-sections.js'
import { syncBundledProfiles } from './policy/policy.service.js'
import { inTransaction } from './core/db/db.js'
import { startOverdueSweep } from './testing/overdue.service.js'

export interface Platform {
  config: Config
  database: Database
  ring: Keyring
  auditKey: AuditKey
}

/** Opens the configured database, applies migrations and loads the PII keys. */
export async function openPlatform(config: Config = loadConfig()): Promise<Platform> {
  // The permission tables every service checks (the CLI and benches never build the app).
  installPermissions()
  // The texts the CLI prints and the exports write (src/messages.ts).
  installAllMessages()
  // The schema every profile section must pass (src/profile-sections.ts).
  installProfileSections()
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await migrateAsOwner(database, config.databaseMigrationUrl)
  } catch (err) {
    await database.close()
    throw err
  }
  const ring = loadKeyring(config)
  const auditKey = loadAuditKey(config)
  useAuditKey(auditKey)
  // The data migration after the SQL ones: bundled policy profiles whose content changed.
  try {
    await inTransaction(database.db, (tx) => syncBundledProfiles(tx))
  } catch (err) {
    await database.close()
    throw err
  }
  return { config, database, ring, auditKey }
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
  // Signed audit heads outside the table: at start, every few minutes while it grows, at shutdown.
  const checkpoints = startCheckpointWriter(
    platform.database.db,
    platform.auditKey,
    config.auditHeadFile,
    {
      intervalMs: config.auditCheckpointSeconds * 1000,
      onError: (err) => app.log.error({ err }, 'audit checkpoint failed'),
    },
  )
  app.addHook('onClose', () => checkpoints.stop())
  // Overdue tubes and rechecks raise their alerts from a timer, never from a GET.
  const sweep = startOverdueSweep(platform.database.db, {
    intervalMs: config.overdueSweepSeconds * 1000,
    onError: (err) => app.log.error({ err }, 'overdue sweep failed'),
  })
  app.addHook('onClose', () => sweep.stop())
  return { app, platform, firstAdmin }
}
