import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import type { Db, Tx } from '../core/db/db.js'
import { invalid, notFound } from '../core/errors.js'
import { requireAccess } from '../core/scope/access.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import {
  deleteSiteMember,
  findActiveUserId,
  findSite,
  insertSite,
  listSiteRows,
  siteStaff,
  upsertSiteMember,
  type SiteRow,
} from './sites.repo.js'
import type { SiteIn, SiteOut, SiteStaffIn } from './testing.schema.js'

/**
 * Sampling sites (采样点) with lanes and opening hours, door-to-door teams, and the samplers and
 * scanners assigned to them. Sizing (domain.md §5): a site per 2,000–3,000 people, a lane per
 * 600–800; the list shows the people a site's community holds against its lanes.
 */

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/

export async function createSite(tx: Tx, actor: Actor, input: SiteIn): Promise<SiteOut> {
  requireAccess(actor, 'testing:manage')
  const d = await findDivisionById(tx, input.divisionId)
  if (!d) throw invalid('divisionId', 'SITE_DIVISION_UNKNOWN')
  requireAccess(actor, 'testing:manage', { type: 'division', id: d.id, path: d.path })
  for (const f of ['opensAt', 'closesAt'] as const)
    if (input[f] && !HHMM.test(input[f])) throw invalid(f, 'SITE_TIME_FORMAT')
  if (input.opensAt && input.closesAt && input.opensAt >= input.closesAt)
    throw invalid('closesAt', 'SITE_CLOSES_BEFORE_OPENS')
  const s = await insertSite(tx, {
    name: input.name.trim(),
    kind: input.kind,
    divisionId: d.id,
    divisionPath: d.path,
    address: input.address?.trim() || null,
    lanes: input.lanes ?? 1,
    opensAt: input.opensAt ?? null,
    closesAt: input.closesAt ?? null,
  })
  await audit(
    tx,
    actor,
    'testing.site_create',
    { type: 'sampling_site', id: s.id, path: d.path },
    { detail: { name: s.name } },
  )
  return siteView(tx, actor, s.id)
}

async function siteViews(db: Db, actor: Actor, onlyId?: string): Promise<SiteOut[]> {
  const found = await listSiteRows(db, actor, onlyId)
  const staff = await siteStaff(
    db,
    found.map((s) => s.id),
  )
  return found.map((s) => ({
    id: s.id,
    name: s.name,
    kind: s.kind as SiteOut['kind'],
    division: { id: s.divisionId, name: s.divisionName },
    address: s.address,
    lanes: s.lanes,
    opensAt: s.opensAt,
    closesAt: s.closesAt,
    active: s.active,
    staff: staff
      .filter((m) => m.siteId === s.id)
      .map((m) => ({
        userId: m.userId,
        username: m.username,
        duty: m.duty as SiteOut['staff'][number]['duty'],
      })),
    residents: s.residents,
  }))
}

async function siteView(db: Db, actor: Actor, id: string): Promise<SiteOut> {
  const [s] = await siteViews(db, actor, id)
  if (!s) throw notFound('SITE_NOT_FOUND')
  return s
}

/** Sites of the actor's area and of the areas above it (samplers see the sites they may work at). */
export async function listSites(db: Db, actor: Actor): Promise<SiteOut[]> {
  requireAccess(actor, 'testing:sample')
  return siteViews(db, actor)
}

async function siteInScope(db: Db, actor: Actor, siteId: string): Promise<SiteRow> {
  const s = await findSite(db, siteId)
  if (!s) throw notFound('SITE_NOT_FOUND')
  requireAccess(actor, 'testing:manage', { type: 'sampling_site', id: s.id, path: s.divisionPath })
  return s
}

/** Assigns a sampler or scanner (by username) to a site; they must work inside the site's area. */
export async function assignSiteStaff(
  tx: Tx,
  actor: Actor,
  siteId: string,
  input: SiteStaffIn,
): Promise<SiteOut> {
  requireAccess(actor, 'testing:manage')
  await siteInScope(tx, actor, siteId)
  const userId = await findActiveUserId(tx, input.username)
  if (!userId) throw invalid('username', 'SITE_USER_UNKNOWN', { username: input.username })
  await upsertSiteMember(tx, siteId, userId, input.duty)
  return siteView(tx, actor, siteId)
}

export async function removeSiteStaff(
  tx: Tx,
  actor: Actor,
  siteId: string,
  userId: string,
): Promise<void> {
  requireAccess(actor, 'testing:manage')
  await siteInScope(tx, actor, siteId)
  await deleteSiteMember(tx, siteId, userId)
}
