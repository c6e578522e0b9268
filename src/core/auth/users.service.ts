import { inTransaction, type Db } from '../db/db.js'
import { conflict, forbidden, invalid, notFound, outOfScope } from '../errors.js'
import { audit, registerAuditTargetLabeler } from '../audit/audit.service.js'
import { decryptValue, sealField } from '../pii/crypto.js'
import type { Keyring } from '../pii/keyring.js'
import { maskPhone } from '../pii/mask.js'
import { parseMobile } from '../pii/identifiers.js'
import { resolveScopeDivisions } from '../tree/tree.service.js'
import type { Actor } from './actor.js'
import { assertScopeContains, isWholeDeployment } from '../scope/scope.js'
import { authorize, permissionsOf } from './authorize.js'
import { ASSIGNABLE_ROLES } from './auth.policy.js'
import {
  deleteUserSessions,
  findUserById,
  findUserByUsername,
  insertUser,
  listUsersInScope,
  replaceUserScope,
  scopeNodesOf,
  updateUser,
  type UserListRow,
} from './auth.repo.js'
import type { CreateUserIn, UpdateUserIn, UserOut } from './auth.schema.js'
import { checkNewPassword, generatePassword, hashPassword } from './passwords.js'
import { ROLES, type Role } from './roles.js'
import { usernamesByIds } from './auth.repo.js'

registerAuditTargetLabeler('user', usernamesByIds)

function toUserOut(ring: Keyring, u: UserListRow, revealPhone: boolean): UserOut {
  const phone = u.phoneEnc ? decryptValue(ring, u.phoneEnc) : null
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role as Role,
    disabled: u.disabled,
    mustChangePassword: u.mustChangePassword,
    totpEnabled: u.totpEnabled,
    phone: phone === null ? null : revealPhone ? phone : maskPhone(phone),
    phoneRevealed: revealPhone && phone !== null,
    scope: u.scope,
    createdAt: u.createdAt.toISOString(),
  }
}

function assertMayAssign(actor: Actor, role: Role): void {
  if (!(ASSIGNABLE_ROLES[actor.role] ?? []).includes(role))
    throw forbidden('ROLE_NOT_ASSIGNABLE', { role })
}

function normalisePhone(phone: string | null | undefined): string | null {
  if (phone === undefined || phone === null || phone === '') return null
  const r = parseMobile(phone)
  if (!r.ok) throw invalid('phone', r.code, r.params)
  return r.value
}

export async function listUsers(
  db: Db,
  ring: Keyring,
  actor: Actor,
  q: {
    q?: string | undefined
    role?: string | undefined
    after?: string | undefined
    limit: number
  },
): Promise<{ items: UserOut[]; next: string | null }> {
  authorize(actor, 'users:read')
  const items = await listUsersInScope(db, { ...q, reader: actor })
  return {
    items: items.map((u) => toUserOut(ring, u, false)),
    next: items.length === q.limit ? items[items.length - 1]!.username : null,
  }
}

/** Reads one user; the scope check covers every node the user is bound to. */
async function loadUserInScope(
  db: Db,
  actor: Actor,
  id: string,
): Promise<UserListRow & { scopePath: string }> {
  const user = await findUserById(db, id)
  if (!user) throw notFound('USER_NOT_FOUND')
  const nodes = await scopeNodesOf(db, id)
  const paths = nodes.length ? nodes.map((n) => n.path) : ['/']
  assertScopeContains(actor, { type: 'user', id, paths })
  return {
    ...user,
    scope: nodes.map((n) => ({ id: n.id, code: n.code, name: n.name })),
    scopePath: paths[0]!,
  }
}

/** Reads one user; `revealPhone` needs pii:reveal and writes an audit entry. */
export async function getUser(
  db: Db,
  ring: Keyring,
  actor: Actor,
  id: string,
  revealPhone: boolean,
): Promise<UserOut> {
  authorize(actor, 'users:read')
  const user = await loadUserInScope(db, actor, id)
  if (revealPhone) {
    authorize(actor, 'pii:reveal')
    await inTransaction(db, (tx) =>
      audit(
        tx,
        actor,
        'pii.reveal',
        { type: 'user', id, path: user.scopePath },
        { detail: { field: 'phone' } },
      ),
    )
  }
  return toUserOut(ring, user, revealPhone)
}

export async function createUser(
  db: Db,
  ring: Keyring,
  actor: Actor,
  input: CreateUserIn,
): Promise<{ user: UserOut; temporaryPassword: string | null }> {
  authorize(actor, 'users:manage')
  assertMayAssign(actor, input.role)
  if (input.role !== 'admin' && input.scopeDivisionIds.length === 0) {
    throw invalid('scopeDivisionIds', 'USER_SCOPE_REQUIRED')
  }
  if (input.role === 'admin' && input.scopeDivisionIds.length === 0 && !isWholeDeployment(actor)) {
    throw outOfScope('USER_ADMIN_WHOLE_ONLY')
  }
  const nodes = await resolveScopeDivisions(db, actor, input.scopeDivisionIds)
  if (await findUserByUsername(db, input.username))
    throw conflict('USERNAME_TAKEN', { username: input.username })
  const phone = normalisePhone(input.phone)
  const temporary = input.password ? null : generatePassword()
  if (input.password) checkNewPassword(input.password, input.username, 'password')
  const passwordHash = await hashPassword(input.password ?? temporary!)
  const sealed = phone ? sealField(ring, phone) : null
  const created = await inTransaction(db, async (tx) => {
    const u = await insertUser(tx, {
      username: input.username.toLowerCase(),
      displayName: input.displayName,
      role: input.role,
      passwordHash,
      mustChangePassword: true,
      phoneEnc: sealed?.enc ?? null,
      phoneBidx: sealed?.bidx ?? null,
      phoneLast4: sealed?.last4 ?? null,
    })
    await replaceUserScope(
      tx,
      u.id,
      nodes.map((n) => n.id),
    )
    await audit(
      tx,
      actor,
      'user.create',
      { type: 'user', id: u.id, path: nodes[0]?.path ?? '/' },
      { detail: { username: u.username, role: u.role, scope: nodes.map((n) => n.code) } },
    )
    return u
  })
  const out = toUserOut(
    ring,
    { ...created, scope: nodes.map((n) => ({ id: n.id, code: n.code, name: n.name })) },
    false,
  )
  return { user: out, temporaryPassword: temporary }
}

export async function editUser(
  db: Db,
  ring: Keyring,
  actor: Actor,
  id: string,
  input: UpdateUserIn,
): Promise<UserOut> {
  authorize(actor, 'users:manage')
  const before = await loadUserInScope(db, actor, id)
  if (input.role) assertMayAssign(actor, input.role)
  assertMayAssign(actor, before.role as Role)
  const nodes = input.scopeDivisionIds
    ? await resolveScopeDivisions(db, actor, input.scopeDivisionIds)
    : undefined
  const role = input.role ?? (before.role as Role)
  if (nodes && nodes.length === 0 && role !== 'admin')
    throw invalid('scopeDivisionIds', 'USER_SCOPE_REQUIRED')
  if (id === actor.userId && input.disabled) throw invalid('disabled', 'USER_CANNOT_DISABLE_SELF')
  const phone = input.phone === undefined ? undefined : normalisePhone(input.phone)
  const sealed = phone ? sealField(ring, phone) : null
  await inTransaction(db, async (tx) => {
    await updateUser(tx, id, {
      displayName: input.displayName,
      role: input.role,
      disabled: input.disabled,
      ...(phone === undefined
        ? {}
        : {
            phoneEnc: sealed?.enc ?? null,
            phoneBidx: sealed?.bidx ?? null,
            phoneLast4: sealed?.last4 ?? null,
          }),
    })
    if (nodes)
      await replaceUserScope(
        tx,
        id,
        nodes.map((n) => n.id),
      )
    // A changed role, scope or a disabled account must not live on in open sessions.
    if (input.role || nodes || input.disabled) await deleteUserSessions(tx, id)
    await audit(
      tx,
      actor,
      'user.update',
      { type: 'user', id, path: nodes?.[0]?.path ?? before.scopePath },
      {
        detail: {
          ...input,
          phone: input.phone === undefined ? undefined : 'changed',
          scopeDivisionIds: nodes?.map((n) => n.code),
        },
      },
    )
  })
  return getUser(db, ring, actor, id, false)
}

export async function resetUserPassword(db: Db, actor: Actor, id: string): Promise<string> {
  authorize(actor, 'users:manage')
  const user = await loadUserInScope(db, actor, id)
  assertMayAssign(actor, user.role as Role)
  const password = generatePassword()
  const passwordHash = await hashPassword(password)
  await inTransaction(db, async (tx) => {
    await updateUser(tx, id, {
      passwordHash,
      mustChangePassword: true,
      passwordChangedAt: new Date(),
    })
    await deleteUserSessions(tx, id)
    await audit(tx, actor, 'user.reset_password', { type: 'user', id, path: user.scopePath })
  })
  return password
}

/** The permission table, for the role screen. */
export function describeRoles(
  actor: Actor,
): { role: Role; permissions: string[]; assignable: boolean }[] {
  authorize(actor, 'users:read')
  const assignable = ASSIGNABLE_ROLES[actor.role] ?? []
  return ROLES.map((role) => ({
    role,
    permissions: permissionsOf(role),
    assignable: assignable.includes(role),
  }))
}
