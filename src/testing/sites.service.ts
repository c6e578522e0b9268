import { and, eq, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import { assertPathInScope, scopeOverlapCondition, type Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import { invalid, notFound } from '../core/errors.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { samplingSite, siteMember } from './testing.tables.js'

/**
 * Sampling sites (采样点) with lanes and opening hours, door-to-door teams, and the samplers and
 * scanners assigned to them. Sizing (domain.md §5): a site per 2,000–3,000 people, a lane per
 * 600–800; the list shows the people a site's community holds against its lanes.
 */
export interface SiteView {
  id: string
  name: string
  kind: 'fixed' | 'door_to_door'
  division: { id: string; name: string }
  address: string | null
  lanes: number
  opensAt: string | null
  closesAt: string | null
  active: boolean
  staff: { userId: string; username: string; duty: string }[]
  residents: number
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/

export interface SiteIn {
  name: string
  kind: 'fixed' | 'door_to_door'
  divisionId: string
  address?: string
  lanes?: number
  opensAt?: string
  closesAt?: string
}

export async function createSite(db: Db, actor: Actor, input: SiteIn): Promise<SiteView> {
  authorize(actor, 'testing:manage')
  const d = await findDivisionById(db, input.divisionId)
  if (!d) throw invalid('divisionId', 'no such division')
  assertPathInScope(actor, { type: 'division', id: d.id, path: d.path })
  for (const f of ['opensAt', 'closesAt'] as const) if (input[f] && !HHMM.test(input[f])) throw invalid(f, 'a time like 07:30')
  if (input.opensAt && input.closesAt && input.opensAt >= input.closesAt) throw invalid('closesAt', 'must be after the opening time')
  const [s] = await db
    .insert(samplingSite)
    .values({ name: input.name.trim(), kind: input.kind, divisionId: d.id, divisionPath: d.path, address: input.address?.trim() || null, lanes: input.lanes ?? 1, opensAt: input.opensAt ?? null, closesAt: input.closesAt ?? null })
    .returning()
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.site_create', targetType: 'sampling_site', targetId: s!.id, scopePath: d.path, ip: actor.ip, detail: { name: s!.name } })
  return (await listSites(db, actor)).find((x) => x.id === s!.id)!
}

/** Sites of the actor's area and of the areas above it (samplers see the sites they may work at). */
export async function listSites(db: Db, actor: Actor): Promise<SiteView[]> {
  authorize(actor, 'testing:sample')
  const found = await rows<{ id: string; name: string; kind: 'fixed' | 'door_to_door'; division_id: string; division_name: string; address: string | null; lanes: number; opens_at: string | null; closes_at: string | null; active: boolean; residents: number }>(
    db,
    sql`select s.id, s.name, s.kind, s.division_id, d.name as division_name, s.address, s.lanes, s.opens_at, s.closes_at, s.active,
          (select count(*)::int from resident r where r.grid_path like s.division_path || '%' and r.status = 'active') as residents
        from sampling_site s join division d on d.id = s.division_id
        where ${scopeOverlapCondition(sql`s.division_path`, actor)}
        order by s.division_path, s.name`,
  )
  const staff = found.length
    ? await rows<{ site_id: string; user_id: string; username: string; duty: string }>(
        db,
        sql`select m.site_id, m.user_id, u.username, m.duty from site_member m join app_user u on u.id = m.user_id where m.site_id = any(${sql.param(found.map((s) => s.id))}::uuid[]) order by u.username`,
      )
    : []
  return found.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind,
    division: { id: s.division_id, name: s.division_name },
    address: s.address,
    lanes: s.lanes,
    opensAt: s.opens_at,
    closesAt: s.closes_at,
    active: s.active,
    staff: staff.filter((m) => m.site_id === s.id).map((m) => ({ userId: m.user_id, username: m.username, duty: m.duty })),
    residents: s.residents,
  }))
}

/** Assigns a sampler or scanner (by username) to a site; they must work inside the site's area. */
export async function assignSiteStaff(db: Db, actor: Actor, siteId: string, input: { username: string; duty: 'sampler' | 'scanner' }): Promise<SiteView> {
  authorize(actor, 'testing:manage')
  const [s] = await db.select().from(samplingSite).where(eq(samplingSite.id, siteId))
  if (!s) throw notFound('Site')
  assertPathInScope(actor, { type: 'sampling_site', id: s.id, path: s.divisionPath })
  const [u] = await rows<{ id: string }>(db, sql`select id from app_user where username = ${input.username} and not disabled`)
  if (!u) throw invalid('username', `no active user ${input.username}`)
  await db.insert(siteMember).values({ siteId, userId: u.id, duty: input.duty }).onConflictDoUpdate({ target: [siteMember.siteId, siteMember.userId], set: { duty: input.duty } })
  return (await listSites(db, actor)).find((x) => x.id === siteId)!
}

export async function removeSiteStaff(db: Db, actor: Actor, siteId: string, userId: string): Promise<void> {
  authorize(actor, 'testing:manage')
  const [s] = await db.select().from(samplingSite).where(eq(samplingSite.id, siteId))
  if (!s) throw notFound('Site')
  assertPathInScope(actor, { type: 'sampling_site', id: s.id, path: s.divisionPath })
  await db.delete(siteMember).where(and(eq(siteMember.siteId, siteId), eq(siteMember.userId, userId)))
}
