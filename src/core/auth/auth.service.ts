import crypto from 'node:crypto'
import QRCode from 'qrcode'
import { inTransaction, type Db } from '../db/db.js'
import { AppError, badRequest, invalid, lockedOut, unauthenticated } from '../errors.js'
import { appendAudit, audit, recordAudit } from '../audit/audit.service.js'
import { decryptValue, encryptValue } from '../pii/crypto.js'
import type { Keyring } from '../pii/keyring.js'
import { findDivisionById } from '../tree/tree.repo.js'
import type { Actor } from './actor.js'
import { pathUnderAny, ROOT_PATH } from '../scope/scope.js'
import { permissionsOf } from './authorize.js'
import {
  claimTotpStep,
  clearThrottle,
  adminExists,
  deleteSession,
  deleteUserSessions,
  findLiveSession,
  findThrottle,
  findUserById,
  findUserByUsername,
  insertSession,
  insertUser,
  recordLoginFailure,
  scopeNodesOf,
  setSessionDivision,
  touchSession,
  updateUser,
  type UserRow,
} from './auth.repo.js'
import type { LoginIn, MeOut } from './auth.schema.js'
import {
  checkNewPassword,
  generatePassword,
  hashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords.js'
import { TOTP_ROLES, isRole, type Role } from './roles.js'
import { generateTotpSecret, matchTotpStep, otpauthUrl, verifyTotp } from './totp.js'

export interface SessionSettings {
  sessionIdleMinutes: number
  sessionAbsoluteHours: number
  loginMaxFailures: number
  loginAccountMaxFailures: number
  loginLockMinutes: number
}

/** The account's own ceiling counts failures over this many lock windows (slower than the per-address one). */
const ACCOUNT_WINDOW_FACTOR = 4

export const hashToken = (token: string): string =>
  crypto.createHash('sha256').update(token).digest('hex')

/** On an empty database: one admin with a random password, to be changed at first login. */
export async function bootstrapAdmin(
  db: Db,
): Promise<{ username: string; password: string } | null> {
  // Not "no users at all": a database filled by `weiguang demo` (or an import) before the first
  // start has accounts but no administrator, and then nobody could manage it.
  if (await adminExists(db)) return null
  const password = generatePassword()
  await inTransaction(db, async (tx) => {
    const user = await insertUser(tx, {
      username: 'admin',
      displayName: 'Administrator',
      role: 'admin',
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
    })
    await appendAudit(tx, {
      actorId: null,
      actorName: 'system',
      action: 'user.bootstrap_admin',
      targetType: 'user',
      targetId: user.id,
    })
  })
  return { username: 'admin', password }
}

export interface RequestMeta {
  ip: string | null
  userAgent: string | null
}

export interface NewSession {
  token: string
  csrfToken: string
  expiresAt: Date
  user: UserRow
}

/**
 * Checks name, password and (when enabled) TOTP. Failures, a wrong or missing TOTP code after the
 * right password included, count per account name and address (known name or not): at
 * `loginMaxFailures` that name is locked for that address only, so nobody elsewhere can lock
 * an administrator out. The account also has a higher ceiling over a longer window
 * (`loginAccountMaxFailures`) against guessing from many addresses. A locked login answers 429
 * with the time to wait.
 */
export async function login(
  db: Db,
  ring: Keyring,
  s: SessionSettings,
  input: LoginIn,
  meta: RequestMeta,
  now = new Date(),
): Promise<NewSession> {
  const key = input.username.trim().toLowerCase()
  const keys = { pair: `pair:${key}|${meta.ip ?? '-'}`, account: `acct:${key}` }
  for (const k of [keys.pair, keys.account]) {
    const throttle = await findThrottle(db, k)
    if (throttle?.lockedUntil && throttle.lockedUntil > now) {
      throw lockedOut(Math.ceil((throttle.lockedUntil.getTime() - now.getTime()) / 1000))
    }
  }
  const user = await findUserByUsername(db, key)
  let ok = false
  if (user && !user.disabled) ok = await verifyPassword(user.passwordHash, input.password)
  else await verifyAgainstDummy(input.password)

  let totpMissing = false
  if (ok && user?.totpEnabled) {
    if (!input.totp) {
      totpMissing = true
      ok = false
    } else {
      const secret = user.totpSecretEnc ? decryptValue(ring, user.totpSecretEnc) : null
      const step = secret === null ? null : matchTotpStep(secret, input.totp, now.getTime())
      // A step at or before the last accepted one is a replay, even inside the drift window.
      ok = step !== null && (await claimTotpStep(db, user.id, step))
    }
  }
  if (!ok) {
    const lockMs = s.loginLockMinutes * 60_000
    const lockEnd = new Date(now.getTime() + lockMs)
    const pairLocked = await recordLoginFailure(
      db,
      keys.pair,
      s.loginMaxFailures,
      lockEnd,
      now,
      new Date(now.getTime() - lockMs),
    )
    const accountLocked = await recordLoginFailure(
      db,
      keys.account,
      s.loginAccountMaxFailures,
      lockEnd,
      now,
      new Date(now.getTime() - ACCOUNT_WINDOW_FACTOR * lockMs),
    )
    const locked = pairLocked ?? accountLocked
    // Every login with TOTP on starts without the code; only a lock is worth an entry then.
    if (locked || !totpMissing) {
      await recordAudit(db, {
        actorId: user?.id ?? null,
        actorName: key,
        action: locked ? 'auth.locked_out' : 'auth.login_failed',
        targetType: 'user',
        targetId: user?.id,
        ip: meta.ip,
        ...(locked ? { detail: { lock: pairLocked ? 'account_and_address' : 'account' } } : {}),
      })
    }
    if (locked) throw lockedOut(s.loginLockMinutes * 60)
    if (totpMissing) {
      throw new AppError(401, 'TOTP_REQUIRED', undefined, { field: 'totp' })
    }
    throw new AppError(401, 'INVALID_CREDENTIALS')
  }
  await clearThrottle(db, keys.pair)
  await clearThrottle(db, keys.account)
  const token = crypto.randomBytes(32).toString('base64url')
  const csrfToken = crypto.randomBytes(24).toString('base64url')
  const expiresAt = new Date(now.getTime() + s.sessionAbsoluteHours * 3_600_000)
  await inTransaction(db, async (tx) => {
    await insertSession(tx, {
      id: hashToken(token),
      userId: user!.id,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    })
    await appendAudit(tx, {
      actorId: user!.id,
      actorName: user!.username,
      action: 'auth.login',
      targetType: 'user',
      targetId: user!.id,
      ip: meta.ip,
    })
  })
  return { token, csrfToken, expiresAt, user: user! }
}

export interface ResolvedSession {
  actor: Actor
  user: UserRow
  sessionId: string
  csrfToken: string
  scopeNodes: { id: string; code: string; name: string; level: string; path: string }[]
  selected: { id: string; code: string; name: string; level: string; path: string } | null
  lastSeenAt: Date
}

/** Loads the session behind a cookie token, or null if unknown, idle too long, expired or disabled. */
export async function resolveSession(
  db: Db,
  s: SessionSettings,
  token: string,
  ip: string | null,
  now = new Date(),
): Promise<ResolvedSession | null> {
  const id = hashToken(token)
  const idleCutoff = new Date(now.getTime() - s.sessionIdleMinutes * 60_000)
  const found = await findLiveSession(db, id, idleCutoff, now)
  if (!found) return null
  const { session, user } = found
  if (!isRole(user.role)) return null
  const scopeNodes = await scopeNodesOf(db, user.id)
  const ownPaths =
    user.role === 'admin' && scopeNodes.length === 0 ? [ROOT_PATH] : scopeNodes.map((n) => n.path)
  let selected: ResolvedSession['selected'] = null
  if (session.selectedDivisionId) {
    const d = await findDivisionById(db, session.selectedDivisionId)
    if (d && pathUnderAny(d.path, ownPaths))
      selected = { id: d.id, code: d.code, name: d.name, level: d.level, path: d.path }
  }
  return {
    actor: {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      scopePaths: selected ? [selected.path] : ownPaths,
      ip,
      sessionId: id,
      breakGlassReason: null,
    },
    user,
    sessionId: id,
    csrfToken: session.csrfToken,
    scopeNodes,
    selected,
    lastSeenAt: session.lastSeenAt,
  }
}

/** Keeps the idle timer fresh without a write on every request. */
export async function touchIfStale(db: Db, r: ResolvedSession, now = new Date()): Promise<void> {
  if (now.getTime() - r.lastSeenAt.getTime() > 60_000) {
    await touchSession(db, r.sessionId, now)
    r.lastSeenAt = now
  }
}

export function describeMe(r: ResolvedSession): MeOut {
  const role = r.actor.role
  const node = (n: {
    id: string
    code: string
    name: string
    level: string
  }): { id: string; code: string; name: string; level: string } => ({
    id: n.id,
    code: n.code,
    name: n.name,
    level: n.level,
  })
  return {
    id: r.user.id,
    username: r.user.username,
    displayName: r.user.displayName,
    role,
    permissions: permissionsOf(role),
    mustChangePassword: r.user.mustChangePassword,
    totpEnabled: r.user.totpEnabled,
    totpAllowed: TOTP_ROLES.includes(role),
    scope: r.scopeNodes.map(node),
    wholeDeployment: r.scopeNodes.length === 0 && role === 'admin',
    selectedScope: r.selected ? node(r.selected) : null,
    csrfToken: r.csrfToken,
  }
}

export async function logout(db: Db, actor: Actor, everywhere: boolean): Promise<void> {
  if (!actor.sessionId || !actor.userId) throw unauthenticated()
  const userId = actor.userId
  await inTransaction(db, async (tx) => {
    if (everywhere) await deleteUserSessions(tx, userId)
    else await deleteSession(tx, actor.sessionId!)
    await audit(tx, actor, everywhere ? 'auth.logout_everywhere' : 'auth.logout', {
      type: 'user',
      id: userId,
    })
  })
}

/** Changes the caller's password; ends every other session of theirs. */
export async function changePassword(
  db: Db,
  actor: Actor,
  current: string,
  next: string,
): Promise<void> {
  const user = actor.userId ? await findUserById(db, actor.userId) : undefined
  if (!user) throw unauthenticated()
  if (!(await verifyPassword(user.passwordHash, current)))
    throw invalid('currentPassword', 'PASSWORD_NOT_CURRENT')
  checkNewPassword(next, user.username)
  if (current === next) throw invalid('newPassword', 'PASSWORD_UNCHANGED')
  const passwordHash = await hashPassword(next)
  await inTransaction(db, async (tx) => {
    await updateUser(tx, user.id, {
      passwordHash,
      mustChangePassword: false,
      passwordChangedAt: new Date(),
    })
    await deleteUserSessions(tx, user.id, actor.sessionId ?? undefined)
    await audit(tx, actor, 'auth.password_changed', { type: 'user', id: user.id })
  })
}

/** The scope switcher: narrow the session to one node inside the user's own scope, or back (null). */
export async function selectScope(
  db: Db,
  r: ResolvedSession,
  divisionId: string | null,
): Promise<void> {
  if (divisionId) {
    const d = await findDivisionById(db, divisionId)
    if (!d) throw invalid('divisionId', 'DIVISION_NOT_FOUND')
    const own =
      r.actor.role === 'admin' && r.scopeNodes.length === 0
        ? [ROOT_PATH]
        : r.scopeNodes.map((n) => n.path)
    if (!pathUnderAny(d.path, own)) {
      // Audited like every refused out-of-scope access (written by the error handler).
      const err = new AppError(403, 'OUT_OF_SCOPE', undefined, { field: 'divisionId' })
      err.audit = {
        actorId: r.actor.userId,
        actorName: r.actor.username,
        action: 'auth.scope_switch_refused',
        targetType: 'division',
        targetId: d.id,
        scopePath: d.path,
        ip: r.actor.ip,
      }
      throw err
    }
  }
  await setSessionDivision(db, r.sessionId, divisionId)
}

export async function setupTotp(
  db: Db,
  ring: Keyring,
  actor: Actor,
): Promise<{ secret: string; otpauthUrl: string; qrDataUrl: string }> {
  const user = actor.userId ? await findUserById(db, actor.userId) : undefined
  if (!user) throw unauthenticated()
  if (!TOTP_ROLES.includes(user.role as Role)) throw badRequest('TOTP_NOT_OFFERED')
  if (user.totpEnabled) throw badRequest('TOTP_ALREADY_ON')
  const secret = generateTotpSecret()
  await updateUser(db, user.id, { totpSecretEnc: encryptValue(ring, secret) })
  const url = otpauthUrl(secret, user.username)
  return { secret, otpauthUrl: url, qrDataUrl: await QRCode.toDataURL(url) }
}

export async function enableTotp(db: Db, ring: Keyring, actor: Actor, code: string): Promise<void> {
  const user = actor.userId ? await findUserById(db, actor.userId) : undefined
  if (!user?.totpSecretEnc) throw badRequest('TOTP_SETUP_FIRST')
  if (!verifyTotp(decryptValue(ring, user.totpSecretEnc), code))
    throw invalid('code', 'TOTP_CODE_WRONG')
  await inTransaction(db, async (tx) => {
    await updateUser(tx, user.id, { totpEnabled: true })
    await audit(tx, actor, 'auth.totp_enabled', { type: 'user', id: user.id })
  })
}

export async function disableTotp(db: Db, actor: Actor, password: string): Promise<void> {
  const user = actor.userId ? await findUserById(db, actor.userId) : undefined
  if (!user) throw unauthenticated()
  if (!(await verifyPassword(user.passwordHash, password)))
    throw invalid('password', 'PASSWORD_NOT_CURRENT')
  await inTransaction(db, async (tx) => {
    await updateUser(tx, user.id, { totpEnabled: false, totpSecretEnc: null })
    await audit(tx, actor, 'auth.totp_disabled', { type: 'user', id: user.id })
  })
}
