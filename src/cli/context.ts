import type { Command } from 'commander'
import { loadConfig, type Config } from '../core/config.js'
import { openPlatform, type Platform } from '../boot.js'
import { systemActor, type Actor } from '../core/auth/actor.js'
import { appendCheckpoint, readAuditHead, signCheckpoint } from '../core/audit/audit.head.js'
import { AppError } from '../core/errors.js'
import {
  hasMessage,
  renderMessage,
  renderReason,
  toLang,
  type Lang,
  type MessageParams,
} from '../core/i18n/messages.js'
import { findDivisionByCode } from '../core/tree/tree.repo.js'
import { openDatabase, type Database, type Db } from '../core/db/db.js'
import type { CliIo } from './io.js'
import type { CliMessageCode } from './cli.messages.js'

/** The language of everything the CLI prints: `--lang`, else LC_ALL / LC_MESSAGES / LANG, else Chinese. */
export function cliLanguage(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
  const given =
    i < 0
      ? undefined
      : argv[i]!.startsWith('--lang=')
        ? argv[i]!.slice('--lang='.length)
        : argv[i + 1]
  return (
    toLang(given) ?? toLang(env.LC_ALL) ?? toLang(env.LC_MESSAGES) ?? toLang(env.LANG) ?? 'zh-CN'
  )
}

/** A refusal the CLI words itself (a catalogue code), with the exit code it ends with. */
export class CliFailure extends Error {
  constructor(
    readonly code: CliMessageCode,
    readonly params: MessageParams = {},
    readonly exitCode = 1,
  ) {
    super(renderMessage('en', code, params))
    this.name = 'CliFailure'
  }
}

/** What every command gets: the streams, the language, and the platform opened on demand. */
export interface Cli {
  io: CliIo
  lang: Lang
  actor: Actor
  /** A catalogue text in the user's language. */
  t(code: CliMessageCode, params?: MessageParams): string
  /** A line on standard output (results, what a script reads). */
  out(line: string): void
  /** A line on standard error (progress, advice). */
  err(line: string): void
  config(): Config
  /**
   * Opens the configured database (migrating it), runs `fn`, closes it. A command that wrote
   * audit entries leaves a signed head behind, as the server does.
   */
  withPlatform<T>(fn: (p: Platform) => Promise<T>): Promise<T>
  /** The embedded database of the data directory, opened as it is (no migration), closed afterwards. */
  withEmbeddedDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>
}

export interface CliOptions {
  /**
   * An open platform to run every command against, left open afterwards: tests hand one in so
   * that twenty commands cost one database start. Without it each command opens its own.
   */
  platform?: Platform | undefined
}

export function createCli(io: CliIo, lang: Lang, opts: CliOptions = {}): Cli {
  const shared = opts.platform
  const config = (): Config => shared?.config ?? loadConfig(io.env)
  const run = async <T>(p: Platform, fn: (p: Platform) => Promise<T>): Promise<T> => {
    const before = await readAuditHead(p.database.db, 0)
    const result = await fn(p)
    const after = await readAuditHead(p.database.db)
    if (after.lastId !== before.lastId || after.count !== before.count)
      appendCheckpoint(p.config.auditHeadFile, signCheckpoint(p.auditKey, after))
    return result
  }
  return {
    io,
    lang,
    actor: systemActor('cli'),
    t: (code, params) => renderMessage(lang, code, params),
    out: (line) => void io.stdout.write(line + '\n'),
    err: (line) => void io.stderr.write(line + '\n'),
    config,
    withPlatform: async (fn) => {
      if (shared) return run(shared, fn)
      const p = await openPlatform(config())
      try {
        return await run(p, fn)
      } finally {
        await p.database.close()
      }
    },
    withEmbeddedDatabase: async (fn) => {
      if (shared) return fn(shared.database)
      const database = await openDatabase({ dataDir: config().dataDir })
      try {
        return await fn(database)
      } finally {
        await database.close()
      }
    },
  }
}

/** The text of any failure in the user's language: catalogue codes rendered, else the error's own message. */
export function failureText(lang: Lang, err: unknown): string {
  if (err instanceof CliFailure) return renderMessage(lang, err.code, err.params)
  if (err instanceof AppError) {
    // A bare VALIDATION without a rule carries its detail only in the English message.
    const worded = err.code !== 'VALIDATION' || err.params?.rule !== undefined
    const text =
      worded && hasMessage(err.code)
        ? renderReason(lang, { code: err.code, field: err.field, params: err.params })
        : undefined
    return text ?? err.message
  }
  return err instanceof Error ? err.message : String(err)
}

/**
 * Registers a command's action: `fn` returns the exit code (undefined = 0), recorded for
 * `runCli`. Commander passes the positional arguments, then the options.
 */
export function act<A extends unknown[]>(
  exit: { code: number },
  fn: (...args: A) => Promise<number | void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    exit.code = (await fn(...args)) ?? 0
  }
}

/** The commands of one group hang off `parent`; `exit` receives their exit code. */
export type RegisterCommands = (parent: Command, cli: Cli, exit: { code: number }) => void

/** The division a `--<option> <code>` names, or a refusal naming the option. */
export async function divisionByCode(
  db: Db,
  option: string,
  code: string,
): Promise<NonNullable<Awaited<ReturnType<typeof findDivisionByCode>>>> {
  const d = await findDivisionByCode(db, code)
  if (!d) throw new CliFailure('CLI_NO_DIVISION', { option, code })
  return d
}

/** `N` or `N-M` as a pair. */
export function parseRange(option: string, v: string): [number, number] {
  const m = v.match(/^(\d+)(?:-(\d+))?$/)
  if (!m) throw new CliFailure('CLI_BAD_RANGE', { option, value: v })
  return [Number(m[1]), Number(m[2] ?? m[1])]
}

/** A role's readable name when the catalogue has one (ROLE_<role>), else the role. */
export function roleName(cli: Cli, role: string): string {
  return hasMessage(`ROLE_${role}`) ? renderMessage(cli.lang, `ROLE_${role}`) : role
}
