import { DEMO_PASSWORD, generateDemoCity } from '../../demo/demo.service.js'
import { act, CliFailure, roleName, type Cli, type RegisterCommands } from '../context.js'
import { printTable } from '../io.js'

/** `demo`: a synthetic street of Nanjing in an empty database, and one demo account per role. */
export async function demo(cli: Cli, o: { residents: string; seed: string }): Promise<number> {
  const residents = Number(o.residents)
  if (!Number.isInteger(residents) || residents < 100 || residents > 5_000_000)
    throw new CliFailure('CLI_DEMO_RESIDENTS')
  return cli.withPlatform(async ({ database, ring }) => {
    const t0 = performance.now()
    const s = await generateDemoCity(database, ring, {
      residents,
      seed: Number(o.seed),
      onProgress: (stage, done) =>
        cli.err(
          `  ${cli.t(`CLI_DEMO_STAGE_${stage as 'tree' | 'households' | 'residents'}`)}: ${done}`,
        ),
    })
    const seconds = ((performance.now() - t0) / 1000).toFixed(1)
    cli.out(
      cli.t('CLI_DEMO_READY', {
        seconds,
        communities: s.communities,
        grids: s.grids,
        buildings: s.buildings,
        households: s.households,
        residents: s.residents,
      }),
    )
    cli.out(cli.t('CLI_DEMO_ACCOUNTS', { password: DEMO_PASSWORD }))
    printTable(
      cli.out,
      {
        username: cli.t('CLI_COL_USERNAME'),
        role: cli.t('CLI_COL_ROLE'),
        scope: cli.t('CLI_COL_SCOPE'),
      },
      s.accounts.map((a) => ({ ...a, role: roleName(cli, a.role) })),
      cli.t('CLI_NONE'),
    )
    return 0
  })
}

export const registerDemoCommands: RegisterCommands = (parent, cli, exit) => {
  parent
    .command('demo')
    .description(cli.t('CLI_DESC_DEMO'))
    .option('--residents <n>', cli.t('CLI_OPT_RESIDENTS'), '20000')
    .option('--seed <n>', cli.t('CLI_OPT_SEED'), '1')
    .action(act(exit, (o: { residents: string; seed: string }) => demo(cli, o)))
}
