import path from 'node:path'
import { inTransaction } from '../../core/db/db.js'
import { issueCodesUnder } from '../../testing/codes.service.js'
import { createLabAccount, ingestResults } from '../../testing/results.service.js'
import { readLabResults, type LabResultRow } from '../../imports/labresults.service.js'
import { sweepOverdue } from '../../testing/overdue.service.js'
import { act, divisionByCode, type Cli, type RegisterCommands } from '../context.js'

/** Exit code of a result file with rejected or conflicting rows. */
export const EXIT_RESULTS_REFUSED = 3

/** `codes issue`: a sampling code for every active resident under a division who has none. */
export async function codesIssue(cli: Cli, o: { division: string }): Promise<number> {
  return cli.withPlatform(async ({ database }) => {
    const d = await divisionByCode(database.db, '--division', o.division)
    const n = await inTransaction(database.db, (tx) => issueCodesUnder(tx, cli.actor, d.id))
    cli.out(cli.t('CLI_CODES_ISSUED', { count: n, name: d.name, code: d.code }))
    return 0
  })
}

/** `lab create <name>`: a lab API account; its bearer token is printed once. */
export async function labCreate(cli: Cli, name: string): Promise<number> {
  return cli.withPlatform(async ({ database }) => {
    const created = await inTransaction(database.db, (tx) => createLabAccount(tx, cli.actor, name))
    cli.out(cli.t('CLI_LAB_CREATED', { name: created.name, token: created.token }))
    cli.out(
      `  curl -H 'Authorization: Bearer ${created.token}' -H 'content-type: application/json' -d '{"results":[{"tubeCode":"T-0001","result":"negative"}]}' http://127.0.0.1:3000/api/lab/results`,
    )
    return 0
  })
}

/** `results import <file>`: a lab's result file under the same rules as the upload; exit 3 on rejected or conflicting rows. */
export async function resultsImport(cli: Cli, file: string, o: { lab: string }): Promise<number> {
  return cli.withPlatform(async ({ database }) => {
    const rows: LabResultRow[] = []
    for await (const r of readLabResults(file, path.basename(file))) rows.push(r)
    const r = await inTransaction(database.db, (tx) =>
      ingestResults(tx, o.lab, rows, { lang: cli.lang }),
    )
    cli.out(cli.t('CLI_RESULTS_SUMMARY', { ...r, problems: r.problems.length }))
    for (const p of r.problems.slice(0, 30)) {
      const outcome = cli.t(`CLI_OUTCOME_${p.outcome}`)
      cli.out(
        cli.t(p.reason ? 'CLI_RESULTS_ROW_REASON' : 'CLI_RESULTS_ROW', {
          row: p.rowNo,
          tube: p.tubeCode,
          outcome,
          reason: p.reason ?? '',
        }),
      )
    }
    return r.rejected || r.conflicts ? EXIT_RESULTS_REFUSED : 0
  })
}

/** `testing sweep-overdue`: the server's overdue sweep once, now (tubes past their target, rechecks past their deadline). */
export async function testingSweepOverdue(cli: Cli): Promise<number> {
  return cli.withPlatform(async ({ database }) => {
    const r = await inTransaction(database.db, (tx) => sweepOverdue(tx))
    cli.out(cli.t('CLI_SWEEP_OVERDUE_SUMMARY', { ...r }))
    return 0
  })
}

export const registerTestingCommands: RegisterCommands = (parent, cli, exit) => {
  parent
    .command('codes')
    .description(cli.t('CLI_DESC_CODES'))
    .command('issue')
    .description(cli.t('CLI_DESC_CODES_ISSUE'))
    .requiredOption('--division <code>', cli.t('CLI_OPT_DIVISION'))
    .action(act(exit, (o: { division: string }) => codesIssue(cli, o)))

  parent
    .command('lab')
    .description(cli.t('CLI_DESC_LAB'))
    .command('create <name>')
    .description(cli.t('CLI_DESC_LAB_CREATE'))
    .action(act(exit, (name: string) => labCreate(cli, name)))

  parent
    .command('results')
    .description(cli.t('CLI_DESC_RESULTS'))
    .command('import <file>')
    .description(cli.t('CLI_DESC_RESULTS_IMPORT'))
    .requiredOption('--lab <name>', cli.t('CLI_OPT_LAB'))
    .action(act(exit, (file: string, o: { lab: string }) => resultsImport(cli, file, o)))

  parent
    .command('testing')
    .description(cli.t('CLI_DESC_TESTING'))
    .command('sweep-overdue')
    .description(cli.t('CLI_DESC_SWEEP_OVERDUE'))
    .action(act(exit, () => testingSweepOverdue(cli)))
}
