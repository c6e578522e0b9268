import { Option } from 'commander'
import { ROLES, type Role } from '../../core/auth/roles.js'
import { createUser, listUsers, resetUserPassword } from '../../core/auth/users.service.js'
import { findUserByUsername, updateUser } from '../../core/auth/auth.repo.js'
import { hashPassword, checkNewPassword } from '../../core/auth/passwords.js'
import { recordAudit } from '../../core/audit/audit.service.js'
import {
  act,
  CliFailure,
  divisionByCode,
  roleName,
  type Cli,
  type RegisterCommands,
} from '../context.js'
import { printTable, readPassword } from '../io.js'

export interface UserCreateOptions {
  username: string
  role: Role
  scope: string
  displayName?: string
  phone?: string
}

/** `user create`: an account whose password comes from WEIGUANG_PASSWORD or standard input. */
export async function userCreate(cli: Cli, o: UserCreateOptions): Promise<number> {
  return cli.withPlatform(async ({ database, ring }) => {
    const codes = o.scope
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    const ids: string[] = []
    for (const code of codes) ids.push((await divisionByCode(database.db, '--scope', code)).id)
    const password = await readPassword(cli.io, cli.t('CLI_PASSWORD_PROMPT'))
    if (!password) throw new CliFailure('CLI_NO_PASSWORD')
    const { user } = await createUser(database.db, ring, cli.actor, {
      username: o.username,
      displayName: o.displayName ?? o.username,
      role: o.role,
      scopeDivisionIds: ids,
      password,
      phone: o.phone,
    })
    const scope = user.scope.map((s) => s.code).join(', ') || cli.t('CLI_WHOLE_DEPLOYMENT')
    cli.out(
      cli.t('CLI_USER_CREATED', { username: user.username, role: roleName(cli, user.role), scope }),
    )
    return 0
  })
}

/** `user reset-password`: a new password from WEIGUANG_PASSWORD / stdin, or a generated one-time one. */
export async function userResetPassword(
  cli: Cli,
  o: { username: string; generate?: boolean },
): Promise<number> {
  return cli.withPlatform(async ({ database }) => {
    const u = await findUserByUsername(database.db, o.username)
    if (!u) throw new CliFailure('CLI_NO_USER', { username: o.username })
    if (o.generate) {
      cli.out(
        cli.t('CLI_ONE_TIME_PASSWORD', {
          username: u.username,
          password: await resetUserPassword(database.db, cli.actor, u.id),
        }),
      )
      return 0
    }
    const password = await readPassword(cli.io, cli.t('CLI_NEW_PASSWORD_PROMPT'))
    if (!password) throw new CliFailure('CLI_NO_PASSWORD')
    checkNewPassword(password, u.username, 'password')
    await updateUser(database.db, u.id, {
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      passwordChangedAt: new Date(),
      disabled: false,
    })
    await recordAudit(database.db, {
      actorId: null,
      actorName: 'cli',
      action: 'user.reset_password',
      targetType: 'user',
      targetId: u.id,
    })
    cli.out(cli.t('CLI_PASSWORD_RESET', { username: u.username }))
    return 0
  })
}

/** `user list`: every account, phones masked. */
export async function userList(cli: Cli): Promise<number> {
  return cli.withPlatform(async ({ database, ring }) => {
    const all = []
    let after: string | undefined
    for (;;) {
      const page = await listUsers(database.db, ring, cli.actor, { limit: 200, after })
      all.push(...page.items)
      if (!page.next) break
      after = page.next
    }
    const columns = {
      username: cli.t('CLI_COL_USERNAME'),
      name: cli.t('CLI_COL_NAME'),
      role: cli.t('CLI_COL_ROLE'),
      scope: cli.t('CLI_COL_SCOPE'),
      disabled: cli.t('CLI_COL_DISABLED'),
      phone: cli.t('CLI_COL_PHONE'),
    }
    const rows = all.map((u) => ({
      username: u.username,
      name: u.displayName,
      role: roleName(cli, u.role),
      scope: u.scope.map((s) => s.code).join(',') || cli.t('CLI_ALL'),
      disabled: u.disabled ? cli.t('CLI_YES') : '',
      phone: u.phone ?? '',
    }))
    printTable(cli.out, columns, rows, cli.t('CLI_NONE'))
    return 0
  })
}

export const registerUserCommands: RegisterCommands = (parent, cli, exit) => {
  const user = parent.command('user').description(cli.t('CLI_DESC_USER'))
  user
    .command('create')
    .description(cli.t('CLI_DESC_USER_CREATE'))
    .requiredOption('--username <name>')
    .addOption(new Option('--role <role>').choices(ROLES).makeOptionMandatory())
    .option('--scope <codes>', cli.t('CLI_OPT_USER_SCOPE'), '')
    .option('--display-name <name>')
    .option('--phone <mobile>')
    .action(act(exit, (o: UserCreateOptions) => userCreate(cli, o)))
  user
    .command('reset-password')
    .description(cli.t('CLI_DESC_USER_RESET'))
    .requiredOption('--username <name>')
    .option('--generate', cli.t('CLI_OPT_GENERATE'))
    .action(act(exit, (o: { username: string; generate?: boolean }) => userResetPassword(cli, o)))
  user
    .command('list')
    .description(cli.t('CLI_DESC_USER_LIST'))
    .action(act(exit, () => userList(cli)))
}
