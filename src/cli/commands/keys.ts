import cliProgress from 'cli-progress'
import { addKeyToFile, pruneKeyFile, loadKeyring } from '../../core/pii/keyring.js'
import { reencryptAll } from '../../core/pii/rotate.js'
import { recordAudit } from '../../core/audit/audit.service.js'
import { act, type Cli, type RegisterCommands } from '../context.js'

/** Exit code when the keys come from the environment: the operator changes them there first. */
export const EXIT_KEYS_IN_ENV = 2

export interface KeysRotateOptions {
  continue?: boolean
  prune?: boolean
  batch: string
}

/** `keys rotate`: a new key, every ID number and phone re-encrypted under it (resumable with --continue). */
export async function keysRotate(cli: Cli, o: KeysRotateOptions): Promise<number> {
  return cli.withPlatform(async ({ database, config }) => {
    let ring = loadKeyring(config)
    if (!o.continue) {
      if (ring.source === 'env') {
        cli.out(cli.t('CLI_KEYS_FROM_ENV'))
        return EXIT_KEYS_IN_ENV
      }
      ring = addKeyToFile(config.dataDir)
      cli.out(cli.t('CLI_KEY_ADDED', { key: ring.current.id, file: ring.source }))
    }
    const bar = new cliProgress.SingleBar(
      {
        format: cli.t('CLI_KEYS_PROGRESS'),
        stream: cli.io.stderr,
        noTTYOutput: true,
        notTTYSchedule: 2000,
      },
      cliProgress.Presets.shades_classic,
    )
    bar.start(0, 0, { table: '' })
    const n = await reencryptAll(database.db, ring, {
      batchSize: Number(o.batch),
      onProgress: (p) => bar.update(p.rowsDone, { table: p.table }),
    })
    bar.stop()
    cli.out(cli.t('CLI_KEYS_REENCRYPTED', { count: n, key: ring.current.id }))
    await recordAudit(database.db, {
      actorId: null,
      actorName: 'cli',
      action: 'keys.rotate',
      detail: { key: ring.current.id, rows: n },
    })
    if (o.prune && ring.source !== 'env') {
      pruneKeyFile(config.dataDir)
      cli.out(cli.t('CLI_KEYS_PRUNED'))
    }
    cli.out(cli.t('CLI_KEYS_RESTART'))
    return 0
  })
}

export const registerKeyCommands: RegisterCommands = (parent, cli, exit) => {
  parent
    .command('keys')
    .description(cli.t('CLI_DESC_KEYS'))
    .command('rotate')
    .description(cli.t('CLI_DESC_KEYS_ROTATE'))
    .option('--continue', cli.t('CLI_OPT_CONTINUE'))
    .option('--prune', cli.t('CLI_OPT_PRUNE'))
    .option('--batch <n>', cli.t('CLI_OPT_BATCH'), '1000')
    .action(act(exit, (o: KeysRotateOptions) => keysRotate(cli, o)))
}
