import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command, CommanderError, Option } from 'commander'
import { installAllMessages } from '../messages.js'
import { installMessages, LANGS } from '../core/i18n/messages.js'
import { cliMessages } from './cli.messages.js'
import { commanderErrorText } from './commander-errors.js'
import {
  CliFailure,
  cliLanguage,
  createCli,
  failureText,
  type CliOptions,
  type RegisterCommands,
} from './context.js'
import { processIo, type CliIo } from './io.js'
import { registerAuditCommands } from './commands/audit.js'
import { registerDatabaseCommands } from './commands/database.js'
import { registerDemoCommands } from './commands/demo.js'
import { registerImportCommands } from './commands/import.js'
import { registerKeyCommands } from './commands/keys.js'
import { registerRegistryCommands } from './commands/registry.js'
import { registerTestingCommands } from './commands/testing.js'
import { registerUserCommands } from './commands/users.js'
import { registerPolicyCommands } from './commands/policy.js'

/**
 * The `weiguang` operator CLI: one command group per file in ./commands, composed here. Each
 * group registers its commands on the program; each command is a function of (cli, options)
 * returning its exit code, writing only through the injected streams.
 */
const GROUPS: readonly RegisterCommands[] = [
  registerDatabaseCommands, // migrate, backup, restore
  registerUserCommands, // user create | reset-password | list
  registerRegistryCommands, // tree add, building add
  registerImportCommands, // import residents
  registerDemoCommands, // demo
  registerTestingCommands, // codes issue, lab create, results import
  registerAuditCommands, // audit verify | head
  registerKeyCommands, // keys rotate
  registerPolicyCommands, // policy show | activate | diff
]

/**
 * Runs one command line (`argv` without node and the script) in this process and resolves to
 * its exit code. Output goes to `io`; nothing calls process.exit, so tests call this directly
 * (with `opts.platform`, an open platform every command uses instead of opening its own).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  opts: CliOptions = {},
): Promise<number> {
  installAllMessages()
  installMessages(cliMessages) // also composed in src/messages.ts; installing twice is harmless
  const lang = cliLanguage(argv, io.env)
  const cli = createCli(io, lang, opts)
  const exit = { code: 0 }
  // Set before any subcommand exists: commander copies these settings to each one it creates.
  const program = new Command('weiguang')
    .description(cli.t('CLI_DESC'))
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(commanderErrorText(lang, s)),
    })
    .showHelpAfterError(cli.t('CLI_HELP_AFTER_ERROR'))
    .helpOption('-h, --help', cli.t('CLI_OPT_HELP'))
    .helpCommand('help [command]', cli.t('CLI_DESC_HELP'))
    .addOption(new Option('--lang <lang>', cli.t('CLI_OPT_LANG')).choices(LANGS))
  for (const register of GROUPS) register(program, cli, exit)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return exit.code
  } catch (err) {
    // Commander has already written its message (or the help, exit code 0).
    if (err instanceof CommanderError) return err.exitCode
    cli.err(cli.t('CLI_ERROR', { message: failureText(lang, err) }))
    return err instanceof CliFailure ? err.exitCode : 1
  }
}

/** The process entry (bin/weiguang.js, `npm run weiguang`). */
export async function main(): Promise<void> {
  // `weiguang … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
  process.exitCode = await runCli(process.argv.slice(2), processIo())
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main()
