import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm'
import type { Db } from '../db/db.js'
import { rows } from '../db/db.js'
import {
  isWholeDeployment,
  likeContains,
  scopeCondition,
  type ScopedActor,
} from '../scope/scope.js'
import { division } from '../tree/tree.tables.js'
import { appUser, loginThrottle, userScope, userSession } from './auth.tables.js'

export type UserRow = typeof appUser.$inferSelect
export type SessionRow = typeof userSession.$inferSelect

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(appUser)
    .where(eq(appUser.username, username.toLowerCase()))
    .limit(1)
  return row
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(appUser).where(eq(appUser.id, id)).limit(1)
  return row
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Users' names with the paths of the nodes they are bound to (an admin bound to none: the root). */
export async function usernamesByIds(
  db: Db,
  ids: string[],
): Promise<Map<string, { label: string; paths: string[] }>> {
  const valid = ids.filter((id) => UUID.test(id))
  if (valid.length === 0) return new Map()
  const found = await rows<{
    id: string
    username: string
    displayName: string
    paths: string[] | null
  }>(
    db,
    sql`select u.id, u.username, u.display_name as "displayName", array_agg(d.path) filter (where d.path is not null) as paths
        from app_user u left join user_scope s on s.user_id = u.id left join division d on d.id = s.division_id
        where u.id = any(${sql.param(valid)}::uuid[]) group by u.id`,
  )
  return new Map(
    found.map((u) => [
      u.id,
      { label: `${u.displayName} (${u.username})`, paths: u.paths?.length ? u.paths : ['/'] },
    ]),
  )
}

/** Whether any account is an administrator or is named `admin` (enabled or not). */
export async function adminExists(db: Db): Promise<boolean> {
  const found = await db
    .select({ id: appUser.id })
    .from(appUser)
    .where(sql`${appUser.role} = 'admin' or ${appUser.username} = 'admin'`)
    .limit(1)
  return found.length > 0
}

export async function insertUser(db: Db, values: typeof appUser.$inferInsert): Promise<UserRow> {
  const [row] = await db.insert(appUser).values(values).returning()
  return row!
}

export async function updateUser(
  db: Db,
  id: string,
  values: Partial<typeof appUser.$inferInsert>,
): Promise<void> {
  // An edit of the scope alone changes no column here (Drizzle refuses an empty SET).
  if (Object.values(values).every((v) => v === undefined)) return
  await db.update(appUser).set(values).where(eq(appUser.id, id))
}

export interface ScopeNode {
  id: string
  code: string
  name: string
  level: string
  path: string
}

export async function scopeNodesOf(db: Db, userId: string): Promise<ScopeNode[]> {
  return db
    .select({
      id: division.id,
      code: division.code,
      name: division.name,
      level: division.level,
      path: division.path,
    })
    .from(userScope)
    .innerJoin(division, eq(division.id, userScope.divisionId))
    .where(eq(userScope.userId, userId))
    .orderBy(asc(division.path))
}

export async function replaceUserScope(
  db: Db,
  userId: string,
  divisionIds: string[],
): Promise<void> {
  await db.delete(userScope).where(eq(userScope.userId, userId))
  if (divisionIds.length)
    await db.insert(userScope).values(divisionIds.map((divisionId) => ({ userId, divisionId })))
}

export interface UserListRow {
  id: string
  username: string
  displayName: string
  role: string
  disabled: boolean
  mustChangePassword: boolean
  totpEnabled: boolean
  phoneEnc: string | null
  createdAt: Date
  scope: { id: string; code: string; name: string }[]
}

/**
 * Users whose every scope node lies inside the reader's scope, keyset by username.
 * Deployment-wide users (no scope rows) are visible only to a deployment-wide reader.
 */
export async function listUsersInScope(
  db: Db,
  f: {
    reader: Pick<ScopedActor, 'scopePaths'>
    q?: string | undefined
    role?: string | undefined
    after?: string | undefined
    limit: number
  },
): Promise<UserListRow[]> {
  const conds: SQL[] = []
  if (!isWholeDeployment(f.reader)) {
    conds.push(sql`exists (select 1 from user_scope s where s.user_id = ${appUser.id})`)
    conds.push(sql`not exists (select 1 from user_scope s join division on division.id = s.division_id
                 where s.user_id = ${appUser.id} and not (${scopeCondition(division.path, f.reader)}))`)
  }
  if (f.q) {
    const p = likeContains(f.q.toLowerCase())
    conds.push(sql`(${appUser.username} like ${p} or lower(${appUser.displayName}) like ${p})`)
  }
  if (f.role) conds.push(eq(appUser.role, f.role))
  if (f.after) conds.push(gt(appUser.username, f.after))
  const users = await db
    .select({
      id: appUser.id,
      username: appUser.username,
      displayName: appUser.displayName,
      role: appUser.role,
      disabled: appUser.disabled,
      mustChangePassword: appUser.mustChangePassword,
      totpEnabled: appUser.totpEnabled,
      phoneEnc: appUser.phoneEnc,
      createdAt: appUser.createdAt,
    })
    .from(appUser)
    .where(and(...conds))
    .orderBy(asc(appUser.username))
    .limit(f.limit)
  if (users.length === 0) return []
  const ids = users.map((u) => u.id)
  const scopes = await rows<{ user_id: string; id: string; code: string; name: string }>(
    db,
    sql`select s.user_id, d.id, d.code, d.name from user_scope s join division d on d.id = s.division_id
        where s.user_id in ${ids} order by d.code`,
  )
  return users.map((u) => ({
    ...u,
    scope: scopes
      .filter((s) => s.user_id === u.id)
      .map((s) => ({ id: s.id, code: s.code, name: s.name })),
  }))
}

// Sessions

export async function insertSession(
  db: Db,
  values: typeof userSession.$inferInsert,
): Promise<void> {
  await db.insert(userSession).values(values)
}

export interface SessionWithUser {
  session: SessionRow
  user: UserRow
}

export async function findLiveSession(
  db: Db,
  id: string,
  idleCutoff: Date,
  now: Date,
): Promise<SessionWithUser | undefined> {
  const [row] = await db
    .select({ session: userSession, user: appUser })
    .from(userSession)
    .innerJoin(appUser, eq(appUser.id, userSession.userId))
    .where(
      and(
        eq(userSession.id, id),
        gt(userSession.expiresAt, now),
        gt(userSession.lastSeenAt, idleCutoff),
        eq(appUser.disabled, false),
      ),
    )
    .limit(1)
  return row
}

export async function touchSession(db: Db, id: string, now: Date): Promise<void> {
  await db.update(userSession).set({ lastSeenAt: now }).where(eq(userSession.id, id))
}

export async function setSessionDivision(
  db: Db,
  id: string,
  divisionId: string | null,
): Promise<void> {
  await db.update(userSession).set({ selectedDivisionId: divisionId }).where(eq(userSession.id, id))
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(userSession).where(eq(userSession.id, id))
}

export async function deleteUserSessions(db: Db, userId: string, exceptId?: string): Promise<void> {
  await db
    .delete(userSession)
    .where(
      exceptId
        ? and(eq(userSession.userId, userId), sql`${userSession.id} <> ${exceptId}`)
        : eq(userSession.userId, userId),
    )
}

// Login throttle

export async function findThrottle(
  db: Db,
  key: string,
): Promise<typeof loginThrottle.$inferSelect | undefined> {
  const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).limit(1)
  return row
}

/**
 * Counts one failure atomically (failures before `windowStart` no longer count); locks the key
 * when `max` is reached. Returns the lock end, if locked.
 */
export async function recordLoginFailure(
  db: Db,
  key: string,
  max: number,
  lockUntil: Date,
  now: Date,
  windowStart: Date,
): Promise<Date | null> {
  const [row] = await rows<{ failures: number; locked_until: string | null }>(
    db,
    sql`insert into login_throttle (key, failures, updated_at) values (${key}, 1, ${now.toISOString()})
        on conflict (key) do update set
          failures = case when login_throttle.updated_at < ${windowStart.toISOString()} then 1 else login_throttle.failures + 1 end,
          updated_at = excluded.updated_at
        returning failures, locked_until`,
  )
  if (row && row.failures >= max) {
    await db
      .update(loginThrottle)
      .set({ failures: 0, lockedUntil: lockUntil })
      .where(eq(loginThrottle.key, key))
    return lockUntil
  }
  return null
}

/** Records a TOTP step as used, if it is later than the last one accepted; false for a replay (or a race lost to it). */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const claimed = await db
    .update(appUser)
    .set({ totpLastStep: step })
    .where(
      and(
        eq(appUser.id, userId),
        sql`(${appUser.totpLastStep} is null or ${appUser.totpLastStep} < ${step})`,
      ),
    )
    .returning({ id: appUser.id })
  return claimed.length === 1
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key))
}
