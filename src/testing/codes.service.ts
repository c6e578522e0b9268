import QRCode from 'qrcode'
import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import type { Db, Tx } from '../core/db/db.js'
import { notFound } from '../core/errors.js'
import { requireAccess } from '../core/scope/access.js'
import { findDivisionById } from '../core/tree/tree.repo.js'
import { residentForCode, type CodeHolder } from '../registry/registry.service.js'
import {
  findHouseholdPlace,
  findLiveCode,
  householdMemberCodes,
  insertCode,
  issueCodesUnderPath,
  issueHouseholdCodes,
  revokeLiveCode,
  type ResidentCodeRow,
} from './codes.repo.js'
import { newResidentCode } from './testing.rules.js'

/** What a resident code looks like ("WG" and 32 hex digits): the gate reads codes as the sampling desk does. */
export { RESIDENT_CODE } from './testing.rules.js'
import type { CodeOut, HouseholdCardsOut } from './testing.schema.js'

/*
 * Resident codes. Reading a code never issues one (GET never writes): a resident without a code
 * answers 404 CODE_NOT_ISSUED, a household's cards say how many members have none; issuing is a
 * POST, written to the audit log.
 */

async function qrSvg(token: string): Promise<string> {
  return QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
}

async function codeView(
  holder: { id: string; name: string },
  c: { token: string; issuedAt: Date },
): Promise<CodeOut> {
  return {
    residentId: holder.id,
    name: holder.name,
    token: c.token,
    issuedAt: c.issuedAt.toISOString(),
    qrSvg: await qrSvg(c.token),
  }
}

/** A resident's live code, for their page and their card; 404 CODE_NOT_ISSUED when they have none yet. */
export async function residentCodeOf(db: Db, actor: Actor, residentId: string): Promise<CodeOut> {
  requireAccess(actor, 'testing:codes')
  const holder = await residentForCode(db, actor, residentId)
  const c = await findLiveCode(db, holder.id)
  if (!c) throw notFound('CODE_NOT_ISSUED')
  return codeView(holder, c)
}

async function issueFor(tx: Tx, actor: Actor, holder: CodeHolder): Promise<ResidentCodeRow> {
  const existing = await findLiveCode(tx, holder.id)
  if (existing) return existing
  const created = await insertCode(tx, {
    token: newResidentCode(),
    residentId: holder.id,
    issuedBy: actor.username,
  })
  if (!created) return (await findLiveCode(tx, holder.id))!
  await audit(tx, actor, 'testing.code_issue', {
    type: 'resident',
    id: holder.id,
    path: holder.gridPath,
  })
  return created
}

/** Issues a resident's code, or answers the live one (idempotent: a second issue changes nothing). */
export async function issueResidentCode(
  tx: Tx,
  actor: Actor,
  residentId: string,
): Promise<CodeOut> {
  requireAccess(actor, 'testing:codes')
  const holder = await residentForCode(tx, actor, residentId)
  return codeView(holder, await issueFor(tx, actor, holder))
}

/** Revokes the live code (a lost card) and issues a new one. */
export async function reissueResidentCode(
  tx: Tx,
  actor: Actor,
  residentId: string,
  reason: string,
): Promise<CodeOut> {
  requireAccess(actor, 'testing:codes')
  const holder = await residentForCode(tx, actor, residentId)
  await revokeLiveCode(tx, holder.id, new Date())
  await audit(
    tx,
    actor,
    'testing.code_revoke',
    { type: 'resident', id: holder.id, path: holder.gridPath },
    { reason },
  )
  return codeView(holder, await issueFor(tx, actor, holder))
}

/** The household first: another grid's household is refused even when nobody lives in it. */
async function householdInScope(
  db: Db,
  actor: Actor,
  householdId: string,
): Promise<{ label: string; gridPath: string }> {
  const h = await findHouseholdPlace(db, householdId)
  if (!h) throw notFound('HOUSEHOLD_NOT_FOUND')
  requireAccess(actor, 'testing:codes', { type: 'household', id: householdId, path: h.gridPath })
  return h
}

/** The cards of one household: every active member who has a code, and how many have none yet. */
export async function householdCards(
  db: Db,
  actor: Actor,
  householdId: string,
): Promise<HouseholdCardsOut> {
  const h = await householdInScope(db, actor, householdId)
  const members = await householdMemberCodes(db, householdId)
  const cards: CodeOut[] = []
  for (const m of members)
    if (m.token && m.issuedAt)
      cards.push(
        await codeView(
          { id: m.residentId, name: m.name },
          { token: m.token, issuedAt: m.issuedAt },
        ),
      )
  return { household: h.label, cards, missing: members.length - cards.length }
}

/** Issues a code to every active member of the household who has none (audited), then answers the cards. */
export async function issueHouseholdCards(
  tx: Tx,
  actor: Actor,
  householdId: string,
): Promise<HouseholdCardsOut> {
  const h = await householdInScope(tx, actor, householdId)
  const issued = await issueHouseholdCodes(tx, householdId, actor.username)
  if (issued > 0)
    await audit(
      tx,
      actor,
      'testing.code_issue',
      { type: 'household', id: householdId, path: h.gridPath },
      { detail: { count: issued } },
    )
  return householdCards(tx, actor, householdId)
}

/** Codes for every resident under a division who has none, set-wise (CLI and the demo city). */
export async function issueCodesUnder(db: Db, actor: Actor, divisionId: string): Promise<number> {
  requireAccess(actor, 'testing:codes')
  const d = await findDivisionById(db, divisionId)
  if (!d) throw notFound('DIVISION_NOT_FOUND')
  requireAccess(actor, 'testing:codes', { type: 'division', id: d.id, path: d.path })
  return issueCodesUnderPath(db, d.path, actor.username)
}
