import { and, eq, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import { assertPathInScope, likePrefix, pathOverlapsScope, scopeCondition, scopeContainsAll, scopeOverlapCondition, type Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import { invalid, notFound } from '../core/errors.js'
import { blindIndexCandidates } from '../core/pii/crypto.js'
import { parseIdNumber } from '../core/pii/identifiers.js'
import type { Keyring } from '../core/pii/keyring.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { keyGroup, keyGroupMember } from './testing.tables.js'
import { testingSettings } from './testing.service.js'

/**
 * Routine testing of key jobs (domain.md §5): groups with a frequency from the profile
 * (daily, every 2 or 3 days, weekly), their members, and who is overdue, by grid.
 */

/** The answer for a number no resident under the caller's scope has (registered elsewhere or nowhere alike). */
export const NOT_IN_MY_REGISTRY = 'not in the registry of your area'

export interface KeyGroupView {
  id: string
  name: string
  kind: string
  frequency: string
  frequencyDays: number
  division: { id: string; name: string }
  members: number
  overdue: number
}

export async function createKeyGroup(db: Db, actor: Actor, input: { name: string; kind: string; frequency: string; divisionId: string }): Promise<KeyGroupView> {
  authorize(actor, 'testing:manage')
  const { settings, profile } = await testingSettings(db)
  // Own keys only: "constructor" or "__proto__" is not a frequency.
  const days = Object.hasOwn(settings.routineFrequencyDays, input.frequency) ? settings.routineFrequencyDays[input.frequency] : undefined
  if (!days) throw invalid('frequency', `one of ${Object.keys(settings.routineFrequencyDays).join(', ')} (profile ${profile})`)
  const d = await findDivisionById(db, input.divisionId)
  if (!d) throw invalid('divisionId', 'no such division')
  assertPathInScope(actor, { type: 'division', id: d.id, path: d.path })
  const [g] = await db.insert(keyGroup).values({ name: input.name.trim(), kind: input.kind, frequencyDays: days, divisionId: d.id, divisionPath: d.path }).returning()
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.key_group_create', targetType: 'key_group', targetId: g!.id, scopePath: d.path, ip: actor.ip, detail: { name: g!.name, days } })
  return (await listKeyGroups(db, actor)).find((x) => x.id === g!.id)!
}

function frequencyName(days: number, table: Record<string, number>): string {
  return Object.entries(table).find(([, d]) => d === days)?.[0] ?? `every_${days}_days`
}

export async function listKeyGroups(db: Db, actor: Actor, now = new Date()): Promise<KeyGroupView[]> {
  authorize(actor, 'testing:read')
  const { settings } = await testingSettings(db)
  const found = await rows<{ id: string; name: string; kind: string; frequency_days: number; division_id: string; division_name: string; members: number; overdue: number }>(
    db,
    sql`select g.id, g.name, g.kind, g.frequency_days, g.division_id, d.name as division_name,
          (select count(*)::int from key_group_member m join resident r on r.id = m.resident_id where m.group_id = g.id and ${scopeCondition(sql`r.grid_path`, actor)}) as members,
          (select count(*)::int from key_group_member m join resident r on r.id = m.resident_id
             where m.group_id = g.id and ${scopeCondition(sql`r.grid_path`, actor)}
               and not exists (select 1 from specimen s where s.resident_id = r.id and s.scanned_at >= ${now.toISOString()}::timestamptz - make_interval(days => g.frequency_days))) as overdue
        from key_group g join division d on d.id = g.division_id
        where ${scopeOverlapCondition(sql`g.division_path`, actor)}
        order by g.name`,
  )
  return found.map((g) => ({
    id: g.id,
    name: g.name,
    kind: g.kind,
    frequency: frequencyName(g.frequency_days, settings.routineFrequencyDays),
    frequencyDays: g.frequency_days,
    division: { id: g.division_id, name: g.division_name },
    members: g.members,
    overdue: g.overdue,
  }))
}

async function groupInScope(db: Db, actor: Actor, id: string): Promise<typeof keyGroup.$inferSelect> {
  const [g] = await db.select().from(keyGroup).where(eq(keyGroup.id, id))
  if (!g) throw notFound('Key group')
  if (!pathOverlapsScope(actor, g.divisionPath)) assertPathInScope(actor, { type: 'key_group', id, path: g.divisionPath })
  return g
}

/** Adds members by ID number (as a list arrives from an employer); each line is added or rejected with its reason. */
export async function addKeyGroupMembers(
  db: Db,
  ring: Keyring,
  actor: Actor,
  groupId: string,
  idNumbers: string[],
  now = new Date(),
): Promise<{ added: number; already: number; rejected: { line: number; value: string; reason: string }[] }> {
  authorize(actor, 'testing:manage')
  const g = await groupInScope(db, actor, groupId)
  const out = { added: 0, already: 0, rejected: [] as { line: number; value: string; reason: string }[] }
  for (const [i, raw] of idNumbers.entries()) {
    const value = raw.trim()
    if (!value) continue
    const parsed = parseIdNumber(value, now)
    if (!parsed.ok) {
      out.rejected.push({ line: i + 1, value, reason: parsed.reason })
      continue
    }
    // Looked up under the caller's scope only: a number registered elsewhere gets the same answer as one registered nowhere.
    const [r] = await rows<{ id: string; grid_path: string }>(
      db,
      sql`select id, grid_path from resident where id_bidx = any(${sql.param(blindIndexCandidates(ring, parsed.value.number))}::text[]) and status = 'active' and ${scopeCondition(sql`grid_path`, actor)}`,
    )
    if (!r) {
      out.rejected.push({ line: i + 1, value, reason: NOT_IN_MY_REGISTRY })
      continue
    }
    if (!r.grid_path.startsWith(g.divisionPath)) {
      out.rejected.push({ line: i + 1, value, reason: 'lives outside the group’s area' })
      continue
    }
    const inserted = await db.insert(keyGroupMember).values({ groupId, residentId: r.id, addedBy: actor.username }).onConflictDoNothing().returning({ id: keyGroupMember.residentId })
    if (inserted.length) out.added++
    else out.already++
  }
  return out
}

export async function removeKeyGroupMember(db: Db, actor: Actor, groupId: string, residentId: string): Promise<void> {
  authorize(actor, 'testing:manage')
  const g = await groupInScope(db, actor, groupId)
  // A caller who holds only part of a wider group removes only the members who live in their part.
  if (!scopeContainsAll(actor, [g.divisionPath])) {
    const [r] = await rows<{ grid_path: string }>(db, sql`select grid_path from resident where id = ${residentId}`)
    if (!r) throw notFound('Member')
    assertPathInScope(actor, { type: 'resident', id: residentId, path: r.grid_path })
  }
  await db.delete(keyGroupMember).where(and(eq(keyGroupMember.groupId, groupId), eq(keyGroupMember.residentId, residentId)))
}

export interface OverdueItem {
  residentId: string
  name: string
  household: string | null
  gridPath: string
  group: string
  frequencyDays: number
  lastSampledAt: string | null
  daysOverdue: number | null
}

/** Members whose last swab is older than their group's frequency (or who never had one), by grid and household. */
export async function overdueMembers(db: Db, actor: Actor, q: { groupId?: string; grid?: string }, now = new Date()): Promise<OverdueItem[]> {
  authorize(actor, 'testing:read')
  const grid = q.grid ? likePrefix(q.grid) : null
  const found = await rows<{ id: string; name: string; label: string | null; grid_path: string; group_name: string; frequency_days: number; last_at: Date | string | null }>(
    db,
    sql`select r.id, r.name, h.label, r.grid_path, g.name as group_name, g.frequency_days, last.at as last_at
        from key_group_member m
        join key_group g on g.id = m.group_id
        join resident r on r.id = m.resident_id and r.status = 'active'
        left join household h on h.id = r.household_id
        left join lateral (select max(s.scanned_at) as at from specimen s where s.resident_id = r.id) last on true
        where ${scopeCondition(sql`r.grid_path`, actor)}
          ${q.groupId ? sql`and g.id = ${q.groupId}` : sql``}
          ${grid ? sql`and r.grid_path like ${grid}` : sql``}
          and (last.at is null or last.at < ${now.toISOString()}::timestamptz - make_interval(days => g.frequency_days))
        order by r.grid_path, h.sort_key, r.id
        limit 2000`,
  )
  return found.map((r) => {
    const last = r.last_at ? new Date(r.last_at) : null
    return {
      residentId: r.id,
      name: r.name,
      household: r.label,
      gridPath: r.grid_path,
      group: r.group_name,
      frequencyDays: r.frequency_days,
      lastSampledAt: last?.toISOString() ?? null,
      daysOverdue: last ? Math.floor((now.getTime() - last.getTime()) / 86_400_000) - r.frequency_days : null,
    }
  })
}
