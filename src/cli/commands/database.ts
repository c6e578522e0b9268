import fs from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../../core/config.js'
import { openDatabase } from '../../core/db/db.js'
import { migrateAsOwner } from '../../core/db/migrate.js'
import { loadAuditKey } from '../../core/audit/audit.key.js'
import { verifyAuditChain } from '../../core/audit/audit.service.js'
import { readCheckpointFile } from '../../core/audit/audit.head.js'
import { act, CliFailure, type Cli, type RegisterCommands } from '../context.js'

/** `migrate`: applies pending migrations (opening the platform does; every start does too). */
export async function migrate(cli: Cli): Promise<number> {
  return cli.withPlatform(async (p) => {
    cli.out(cli.t('CLI_MIGRATED', { engine: p.database.kind }))
    return 0
  })
}

/** `backup <file>`: the embedded database as a .tar.gz (the key files are not in it). */
export async function backup(cli: Cli, file: string): Promise<number> {
  const config = cli.config()
  if (config.databaseUrl) throw new CliFailure('CLI_BACKUP_POSTGRES')
  return cli.withEmbeddedDatabase(async (database) => {
    const dump = await database.pglite!.dumpDataDir('gzip')
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
    cli.out(
      cli.t('CLI_BACKUP_WRITTEN', { file: path.resolve(file), bytes: fs.statSync(file).size }),
    )
    cli.out(cli.t('CLI_BACKUP_KEEP_KEYS', { file: path.join(config.dataDir, 'secret-keys.json') }))
    cli.out(
      cli.t('CLI_BACKUP_KEEP_AUDIT_KEY', { file: path.join(config.dataDir, 'audit-key.json') }),
    )
    return 0
  })
}

/** `restore <file>`: replaces the embedded database with a backup (the old one is kept aside with --force). */
export async function restore(cli: Cli, file: string, o: { force?: boolean }): Promise<number> {
  // Never an open platform's directory: the database being replaced must be closed.
  const config = loadConfig(cli.io.env)
  if (config.databaseUrl) throw new CliFailure('CLI_RESTORE_POSTGRES')
  if (!fs.existsSync(file)) throw new CliFailure('CLI_NO_FILE', { file })
  const pgdata = path.join(config.dataDir, 'pgdata')
  if (fs.existsSync(pgdata)) {
    if (!o.force) throw new CliFailure('CLI_RESTORE_EXISTS', { dir: pgdata })
    const aside = `${pgdata}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
    fs.renameSync(pgdata, aside)
    cli.out(cli.t('CLI_RESTORE_MOVED_ASIDE', { dir: aside }))
  }
  // One start of the restored database: migrated (a backup of an older version), then verified.
  const database = await openDatabase({
    dataDir: config.dataDir,
    loadDataDir: new Blob([fs.readFileSync(file)]),
  })
  try {
    await migrateAsOwner(database, config.databaseMigrationUrl)
    const r = await verifyAuditChain(database.db, {
      key: loadAuditKey(config),
      checkpoints: readCheckpointFile(config.auditHeadFile).checkpoints,
    })
    cli.out(
      cli.t(r.problems.length ? 'CLI_RESTORED_PROBLEMS' : 'CLI_RESTORED', {
        file,
        checked: r.checked,
      }),
    )
  } finally {
    await database.close()
  }
  return 0
}

export const registerDatabaseCommands: RegisterCommands = (parent, cli, exit) => {
  parent
    .command('migrate')
    .description(cli.t('CLI_DESC_MIGRATE'))
    .action(act(exit, () => migrate(cli)))
  parent
    .command('backup <file>')
    .description(cli.t('CLI_DESC_BACKUP'))
    .action(act(exit, (file: string) => backup(cli, file)))
  parent
    .command('restore <file>')
    .description(cli.t('CLI_DESC_RESTORE'))
    .option('--force', cli.t('CLI_OPT_FORCE'))
    .action(act(exit, (file: string, o: { force?: boolean }) => restore(cli, file, o)))
}
