import { verifyAuditChain } from '../../core/audit/audit.service.js'
import {
  appendCheckpoint,
  checkpointLine,
  readCheckpointFile,
  readHeadArgument,
  takeCheckpoint,
} from '../../core/audit/audit.head.js'
import { act, CliFailure, type Cli, type RegisterCommands } from '../context.js'

/** Exit code of `audit verify` when entries were changed, removed or re-chained (or not anchored). */
export const EXIT_AUDIT_PROBLEMS = 1
const SHOWN = 200

/** `audit verify`: the keyed hash chain against the signed heads in the head file and on the command line. */
export async function auditVerify(cli: Cli, o: { head: string[] }): Promise<number> {
  return cli.withPlatform(async ({ database, config, auditKey }) => {
    const fromFile = readCheckpointFile(config.auditHeadFile)
    const given = o.head.map((h) => ({ arg: h, parsed: readHeadArgument(h) }))
    for (const g of given) {
      if (g.parsed.checkpoints.length === 0)
        throw new CliFailure('CLI_BAD_HEAD', { value: g.arg.slice(0, 80) })
    }
    const checkpoints = [...fromFile.checkpoints, ...given.flatMap((g) => g.parsed.checkpoints)]
    const r = await verifyAuditChain(database.db, { key: auditKey, checkpoints })
    cli.out(
      cli.t('CLI_AUDIT_SOURCES', {
        key: auditKey.id,
        file: config.auditHeadFile,
        count: fromFile.checkpoints.length,
        given: given.reduce((n, g) => n + g.parsed.checkpoints.length, 0),
      }) +
        (fromFile.unreadable.length
          ? cli.t('CLI_AUDIT_UNREADABLE', { lines: fromFile.unreadable.join(',') })
          : ''),
    )
    const latest = r.checkpoints.latest
    if (r.problems.length === 0) {
      cli.out(
        cli.t('CLI_AUDIT_INTACT', {
          checked: r.checked,
          head: r.head.lastId,
          valid: r.checkpoints.valid,
          latest: latest?.lastId ?? '-',
          at: latest?.at ?? '-',
        }),
      )
      return 0
    }
    const unanchored = r.problems.every((p) => p.problem === 'no_checkpoint')
    cli.out(
      cli.t(unanchored ? 'CLI_AUDIT_NOT_ANCHORED' : 'CLI_AUDIT_TAMPERED', {
        count: r.problems.length,
        checked: r.checked,
      }),
    )
    // The problem names (hash_mismatch, …) stay as they are: they are what the operations guide explains.
    for (const p of r.problems.slice(0, SHOWN))
      cli.out(`  ${cli.t('CLI_AUDIT_ENTRY', { id: p.id })}: ${p.problem}: ${p.detail}`)
    if (r.problems.length > SHOWN)
      cli.out(cli.t('CLI_AND_MORE', { count: r.problems.length - SHOWN }))
    return EXIT_AUDIT_PROBLEMS
  })
}

/** `audit head`: signs the current head, appends it to the head file and prints it (to keep elsewhere). */
export async function auditHead(cli: Cli): Promise<number> {
  return cli.withPlatform(async ({ database, config, auditKey }) => {
    const c = await takeCheckpoint(database.db, auditKey)
    appendCheckpoint(config.auditHeadFile, c)
    cli.err(
      cli.t('CLI_AUDIT_HEAD_TAKEN', {
        id: c.lastId,
        count: c.count,
        key: c.key,
        file: config.auditHeadFile,
      }),
    )
    cli.err(cli.t('CLI_AUDIT_HEAD_KEEP'))
    cli.out(checkpointLine(c))
    return 0
  })
}

export const registerAuditCommands: RegisterCommands = (parent, cli, exit) => {
  const audit = parent.command('audit').description(cli.t('CLI_DESC_AUDIT'))
  audit
    .command('verify')
    .description(cli.t('CLI_DESC_AUDIT_VERIFY'))
    .option(
      '--head <file-or-json>',
      cli.t('CLI_OPT_HEAD'),
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .action(act(exit, (o: { head: string[] }) => auditVerify(cli, o)))
  audit
    .command('head')
    .description(cli.t('CLI_DESC_AUDIT_HEAD'))
    .action(act(exit, () => auditHead(cli)))
}
