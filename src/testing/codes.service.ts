import { and, eq, isNull, sql } from 'drizzle-orm'
import QRCode from 'qrcode'
import { rows, type Db } from '../core/db/db.js'
import { authorize } from '../core/auth/authorize.js'
import { assertPathInScope, likePrefix, type Actor } from '../core/auth/actor.js'
import { appendAudit } from '../core/audit/audit.service.js'
import { notFound } from '../core/errors.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { residentForCode, type CodeHolder } from '../registry/registry.service.js'
import { newResidentCode } from './testing.rules.js'
import { residentCode } from './testing.tables.js'

/* ------------------------------------------------------------------ resident codes */

export interface ResidentCodeView {
  residentId: string
  name: string
  token: string
  issuedAt: string
  qrSvg: string
}

async function qrSvg(token: string): Promise<string> {
  return QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
}

async function liveCode(db: Db, residentId: string): Promise<typeof residentCode.$inferSelect | undefined> {
  const [c] = await db.select().from(residentCode).where(and(eq(residentCode.residentId, residentId), isNull(residentCode.revokedAt)))
  return c
}

async function issueCode(db: Db, actor: Actor, holder: CodeHolder): Promise<typeof residentCode.$inferSelect> {
  const existing = await liveCode(db, holder.id)
  if (existing) return existing
  const [c] = await db.insert(residentCode).values({ token: newResidentCode(), residentId: holder.id, issuedBy: actor.username }).onConflictDoNothing().returning()
  return c ?? (await liveCode(db, holder.id))!
}

/** A resident's live code (issued on first use), for their page and their card. */
export async function residentCodeOf(db: Db, actor: Actor, residentId: string): Promise<ResidentCodeView> {
  authorize(actor, 'testing:codes')
  const holder = await residentForCode(db, actor, residentId)
  const c = await issueCode(db, actor, holder)
  return { residentId: holder.id, name: holder.name, token: c.token, issuedAt: c.issuedAt.toISOString(), qrSvg: await qrSvg(c.token) }
}

/** Revokes the live code (a lost card) and issues a new one. */
export async function reissueResidentCode(db: Db, actor: Actor, residentId: string, reason: string): Promise<ResidentCodeView> {
  authorize(actor, 'testing:codes')
  const holder = await residentForCode(db, actor, residentId)
  await db.update(residentCode).set({ revokedAt: new Date() }).where(and(eq(residentCode.residentId, holder.id), isNull(residentCode.revokedAt)))
  await appendAudit(db, { actorId: actor.userId, actorName: actor.username, action: 'testing.code_revoke', targetType: 'resident', targetId: holder.id, scopePath: holder.gridPath, ip: actor.ip, reason })
  return residentCodeOf(db, actor, residentId)
}

/** The cards of one household: every active member's code, issued where missing. */
export async function householdCards(db: Db, actor: Actor, householdId: string): Promise<{ household: string; cards: ResidentCodeView[] }> {
  authorize(actor, 'testing:codes')
  // The household first: another grid's household is refused even when nobody lives in it.
  const [h] = await rows<{ label: string; grid_path: string }>(db, sql`select label, grid_path from household where id = ${householdId}`)
  if (!h) throw notFound('Household')
  assertPathInScope(actor, { type: 'household', id: householdId, path: h.grid_path })
  const members = await rows<{ id: string }>(db, sql`select id from resident where household_id = ${householdId} and status = 'active' order by relation = 'head' desc, birth_date`)
  const cards = []
  for (const m of members) cards.push(await residentCodeOf(db, actor, m.id))
  return { household: h.label, cards }
}

/** Codes for every resident under a division who has none, set-wise (CLI and benches). */
export async function issueCodesUnder(db: Db, actor: Actor, divisionId: string): Promise<number> {
  authorize(actor, 'testing:codes')
  const d = await findDivisionById(db, divisionId)
  if (!d) throw notFound('Division')
  assertPathInScope(actor, { type: 'division', id: d.id, path: d.path })
  const [r] = await rows<{ n: number }>(
    db,
    sql`with i as (insert into resident_code (token, resident_id, issued_by)
          select 'WG' || upper(replace(gen_random_uuid()::text, '-', '')), r.id, ${actor.username} from resident r
          where r.grid_path like ${likePrefix(d.path)} and r.status = 'active'
            and not exists (select 1 from resident_code c where c.resident_id = r.id and c.revoked_at is null)
          on conflict do nothing returning 1)
        select count(*)::int as n from i`,
  )
  return r?.n ?? 0
}
