import crypto from 'node:crypto'
import type { Db, Tx } from '../core/db/db.js'
import type { Actor } from '../core/auth/actor.js'
import { requireAccess } from '../core/scope/access.js'
import { isWholeDeployment } from '../core/scope/scope.js'
import { audit } from '../core/audit/audit.service.js'
import { conflict, forbidden, notFound } from '../core/errors.js'
import { findLabByTokenHash, insertLabAccount, listLabs, revokeLab } from './results.repo.js'
import type { LabCreatedOut, LabOut } from './results.schema.js'

/**
 * Lab accounts are deployment-level: a lab serves many streets and its token is not bound to an
 * area, so only an admin acting on the whole deployment creates, lists or revokes them (a
 * community lead's or a command's `testing:manage` does not suffice).
 */
function requireLabsAccess(actor: Actor): void {
  requireAccess(actor, 'testing:labs')
  if (!isWholeDeployment(actor)) throw forbidden('LAB_ACCOUNTS_WHOLE_DEPLOYMENT')
}

const tokenHash = (token: string): string => crypto.createHash('sha256').update(token).digest('hex')

/** A new lab account; its token is returned once and only its hash is kept. */
export async function createLabAccount(tx: Tx, actor: Actor, name: string): Promise<LabCreatedOut> {
  requireLabsAccess(actor)
  const token = 'wglab_' + crypto.randomBytes(24).toString('base64url')
  const lab = await insertLabAccount(tx, {
    name: name.trim(),
    tokenHash: tokenHash(token),
    createdBy: actor.username,
  })
  if (!lab) throw conflict('LAB_NAME_TAKEN', { name: name.trim() })
  await audit(
    tx,
    actor,
    'testing.lab_create',
    { type: 'lab', id: lab.id },
    { detail: { name: lab.name } },
  )
  return { id: lab.id, name: lab.name, token }
}

export async function listLabAccounts(db: Db, actor: Actor): Promise<LabOut[]> {
  requireLabsAccess(actor)
  const found = await listLabs(db)
  return found.map((l) => ({
    id: l.id,
    name: l.name,
    createdAt: l.createdAt.toISOString(),
    revokedAt: l.revokedAt?.toISOString() ?? null,
  }))
}

/** Revokes a lab's token (revoking it twice is not an error). */
export async function revokeLabAccount(tx: Tx, actor: Actor, id: string): Promise<void> {
  requireLabsAccess(actor)
  const outcome = await revokeLab(tx, id)
  if (outcome === 'unknown') throw notFound('LAB_NOT_FOUND')
  if (outcome === 'revoked') await audit(tx, actor, 'testing.lab_revoke', { type: 'lab', id })
}

/** The lab behind a bearer token, or undefined (the lab-token hook asks). */
export async function labByToken(
  db: Db,
  token: string,
): Promise<{ id: string; name: string } | undefined> {
  return findLabByTokenHash(db, tokenHash(token))
}
