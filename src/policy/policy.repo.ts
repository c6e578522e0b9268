import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import { rows, type Db } from '../core/db/db.js'
import {
  policyActivation,
  policyOverride,
  policyProfile,
  policyProfileVersion,
} from './policy.tables.js'

export type PolicyProfileRow = typeof policyProfile.$inferSelect
export type ActivationRow = typeof policyActivation.$inferSelect
export type OverrideRow = typeof policyOverride.$inferSelect
export type VersionRow = typeof policyProfileVersion.$inferSelect

/** The profile a deployment of before activations marked active (read once, by the first sync). */
export async function findLegacyActiveName(db: Db): Promise<string | undefined> {
  const [p] = await db
    .select({ name: policyProfile.name })
    .from(policyProfile)
    .where(eq(policyProfile.active, true))
    .limit(1)
  return p?.name
}

export async function findProfile(db: Db, name: string): Promise<PolicyProfileRow | undefined> {
  const [p] = await db.select().from(policyProfile).where(eq(policyProfile.name, name))
  return p
}

export async function listProfileRows(db: Db): Promise<PolicyProfileRow[]> {
  return db.select().from(policyProfile).orderBy(asc(policyProfile.name))
}

export interface ProfileContent {
  name: string
  title: string
  meta: Record<string, unknown>
  settings: Record<string, unknown>
  contentHash: string
}

/** A new profile and its first version. */
export async function insertProfile(db: Db, p: ProfileContent, by: string): Promise<boolean> {
  const inserted = await db
    .insert(policyProfile)
    .values({ ...p, updatedBy: by, source: 'bundled' })
    .onConflictDoNothing()
    .returning({ name: policyProfile.name })
  if (inserted.length === 0) return false
  await db.insert(policyProfileVersion).values({ profile: p.name, ...pick(p), recordedBy: by })
  return true
}

/** A profile's new content (a changed bundled profile), recorded as a new version. */
export async function updateProfileContent(db: Db, p: ProfileContent, by: string): Promise<void> {
  await db
    .update(policyProfile)
    .set({ ...pick(p), updatedAt: new Date(), updatedBy: by })
    .where(eq(policyProfile.name, p.name))
  await db.insert(policyProfileVersion).values({ profile: p.name, ...pick(p), recordedBy: by })
}

const pick = (p: ProfileContent) => ({
  title: p.title,
  meta: p.meta,
  settings: p.settings,
  contentHash: p.contentHash,
})

export async function listVersions(db: Db, profile: string): Promise<VersionRow[]> {
  return db
    .select()
    .from(policyProfileVersion)
    .where(eq(policyProfileVersion.profile, profile))
    .orderBy(desc(policyProfileVersion.id))
}

/* ------------------------------------------------------------------ activations */

export async function insertActivation(
  db: Db,
  a: {
    profile: string
    effectiveFrom: Date
    contentHash: string | null
    reason: string
    createdBy: string
  },
): Promise<ActivationRow> {
  const [row] = await db.insert(policyActivation).values(a).returning()
  return row!
}

/** The first activation of a deployment, unless one exists (two starts at once add one). */
export async function insertFirstActivation(
  db: Db,
  a: { profile: string; effectiveFrom: Date; reason: string; createdBy: string },
): Promise<void> {
  await db.execute(sql`
    insert into policy_activation (profile, effective_from, content_hash, reason, created_by)
    select ${a.profile}, ${a.effectiveFrom.toISOString()}::timestamptz,
           (select content_hash from policy_profile where name = ${a.profile}), ${a.reason}, ${a.createdBy}
    where not exists (select 1 from policy_activation)`)
}

export async function listActivations(db: Db): Promise<ActivationRow[]> {
  return db
    .select()
    .from(policyActivation)
    .orderBy(desc(policyActivation.effectiveFrom), desc(policyActivation.id))
}

export interface InForceRow {
  name: string
  title: string
  meta: Record<string, unknown>
  section: unknown
  overrides: {
    id: number
    path: string
    value: unknown
    national: unknown
    reason: string
    flag: 'below_floor' | 'stricter' | null
    created_by: string
    created_at: string
  }[]
}

/**
 * The profile in force at an instant (the latest activation effective at or before it), one
 * section of it and the overrides of that section in force then; one query.
 */
export async function findInForce(
  db: Db,
  at: Date,
  section: string,
): Promise<InForceRow | undefined> {
  const t = at.toISOString()
  const [r] = await rows<InForceRow>(
    db,
    sql`
    with a as (
      select profile from policy_activation
      where effective_from <= ${t}::timestamptz
      order by effective_from desc, id desc limit 1)
    select p.name, p.title, p.meta, p.settings -> ${section} as section,
      coalesce((
        select json_agg(json_build_object('id', o.id, 'path', o.path, 'value', o.value,
          'national', o.national, 'reason', o.reason, 'flag', o.flag,
          'created_by', o.created_by, 'created_at', o.created_at) order by o.id)
        from policy_override o
        where o.profile = p.name and o.section = ${section}
          and o.created_at <= ${t}::timestamptz
          and (o.withdrawn_at is null or o.withdrawn_at > ${t}::timestamptz)
      ), '[]'::json) as overrides
    from a join policy_profile p on p.name = a.profile`,
  )
  return r
}

/* ------------------------------------------------------------------ overrides */

export async function listOverrideRows(
  db: Db,
  q: { profile?: string | undefined; withdrawn?: boolean | undefined },
): Promise<OverrideRow[]> {
  const where = and(
    q.profile ? eq(policyOverride.profile, q.profile) : undefined,
    q.withdrawn ? undefined : isNull(policyOverride.withdrawnAt),
  )
  return db
    .select()
    .from(policyOverride)
    .where(where)
    .orderBy(asc(policyOverride.profile), asc(policyOverride.section), asc(policyOverride.id))
}

export async function findOverride(db: Db, id: number): Promise<OverrideRow | undefined> {
  const [o] = await db.select().from(policyOverride).where(eq(policyOverride.id, id))
  return o
}

export async function findOverrideInForce(
  db: Db,
  k: { profile: string; section: string },
): Promise<OverrideRow[]> {
  return db
    .select()
    .from(policyOverride)
    .where(
      and(
        eq(policyOverride.profile, k.profile),
        eq(policyOverride.section, k.section),
        isNull(policyOverride.withdrawnAt),
      ),
    )
    .orderBy(asc(policyOverride.id))
}

export async function insertOverride(
  db: Db,
  o: {
    profile: string
    section: string
    path: string
    value: unknown
    national: unknown
    reason: string
    flag: string | null
    createdBy: string
  },
): Promise<OverrideRow> {
  const [row] = await db.insert(policyOverride).values(o).returning()
  return row!
}

/** Withdraws an override still in force; false when it was withdrawn already. */
export async function markOverrideWithdrawn(
  db: Db,
  id: number,
  w: { by: string; reason: string },
): Promise<boolean> {
  const r = await db
    .update(policyOverride)
    .set({ withdrawnAt: new Date(), withdrawnBy: w.by, withdrawnReason: w.reason })
    .where(and(eq(policyOverride.id, id), isNull(policyOverride.withdrawnAt)))
    .returning({ id: policyOverride.id })
  return r.length > 0
}
