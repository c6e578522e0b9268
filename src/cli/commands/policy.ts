import { inTransaction } from '../../core/db/db.js'
import { invalid } from '../../core/errors.js'
import { isRealDate } from '../../core/http/dates.js'
import { renderMessage, type MessageCode, type MessageParams } from '../../core/i18n/messages.js'
import { deploymentZone } from '../../core/clock.js'
import {
  activatePolicyProfile,
  diffPolicyProfiles,
  listPolicyProfiles,
  policyInForce,
} from '../../policy/policy.service.js'
import { act, type Cli, type RegisterCommands } from '../context.js'

/** An instant as the deployment's local day and time, `2026-12-03 00:00`. */
function formatLocal(at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: deploymentZone(),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at)
}

const say = (cli: Cli, code: MessageCode, params?: MessageParams): string =>
  renderMessage(cli.lang, code, params)

/** `policy show`: the profile in force, since when, the next switch decided, and every activation. */
export async function policyShow(cli: Cli): Promise<number> {
  return cli.withPlatform(async ({ database }) => {
    const now = await policyInForce(database.db, cli.actor)
    cli.out(
      say(cli, 'POLICY_CLI_IN_FORCE', {
        profile: now.profile.name,
        title: now.profile.title,
        since: formatLocal(new Date(now.since)),
        hash: now.profile.contentHash ?? '-',
        overrides: now.overrides,
      }),
    )
    if (now.next)
      cli.out(
        say(cli, 'POLICY_CLI_NEXT', {
          profile: now.next.profile,
          from: formatLocal(new Date(now.next.effectiveFrom)),
        }),
      )
    const list = await listPolicyProfiles(database.db, cli.actor)
    cli.out(say(cli, 'POLICY_CLI_HISTORY'))
    for (const a of list.activations)
      cli.out(
        say(cli, 'POLICY_CLI_ACTIVATION', {
          from: formatLocal(new Date(a.effectiveFrom)),
          profile: a.profile,
          by: a.createdBy,
          reason: a.reason,
        }),
      )
    return 0
  })
}

/** `policy activate <name> --from <day> --reason <why>`: audited as the CLI. */
export async function policyActivate(
  cli: Cli,
  name: string,
  o: { from?: string; reason: string },
): Promise<number> {
  if (o.from !== undefined && !isRealDate(o.from))
    throw invalid('effectiveFrom', 'VALIDATION_NOT_DATE')
  return cli.withPlatform(async ({ database }) => {
    const a = await inTransaction(database.db, (tx) =>
      activatePolicyProfile(tx, cli.actor, {
        profile: name,
        reason: o.reason,
        ...(o.from ? { effectiveFrom: o.from } : {}),
      }),
    )
    cli.out(
      say(cli, 'POLICY_CLI_ACTIVATED', {
        profile: a.profile,
        from: formatLocal(new Date(a.effectiveFrom)),
      }),
    )
    return 0
  })
}

/** `policy diff <a> <b>`: one line per differing value, `path<TAB>a<TAB>b`. */
export async function policyDiff(cli: Cli, a: string, b: string): Promise<number> {
  return cli.withPlatform(async ({ database }) => {
    const d = await diffPolicyProfiles(database.db, cli.actor, { a, b })
    if (d.rows.length === 0) {
      cli.out(say(cli, 'POLICY_CLI_DIFF_NONE', { a: d.a, b: d.b }))
      return 0
    }
    cli.err(say(cli, 'POLICY_CLI_DIFF_COUNT', { a: d.a, b: d.b, count: d.rows.length }))
    for (const r of d.rows) cli.out(`${r.path}\t${JSON.stringify(r.a)}\t${JSON.stringify(r.b)}`)
    return 0
  })
}

export const registerPolicyCommands: RegisterCommands = (parent, cli, exit) => {
  const t = (code: MessageCode) => say(cli, code)
  const policy = parent.command('policy').description(t('POLICY_CLI_DESC'))
  policy
    .command('show')
    .description(t('POLICY_CLI_DESC_SHOW'))
    .action(act(exit, () => policyShow(cli)))
  policy
    .command('activate <name>')
    .description(t('POLICY_CLI_DESC_ACTIVATE'))
    .option('--from <date>', t('POLICY_CLI_OPT_FROM'))
    .requiredOption('--reason <reason>', t('POLICY_CLI_OPT_REASON'))
    .action(
      act(exit, (name: string, o: { from?: string; reason: string }) =>
        policyActivate(cli, name, o),
      ),
    )
  policy
    .command('diff <a> <b>')
    .description(t('POLICY_CLI_DESC_DIFF'))
    .action(act(exit, (a: string, b: string) => policyDiff(cli, a, b)))
}
