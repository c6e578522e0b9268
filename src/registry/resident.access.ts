import type { Actor } from '../core/auth/actor.js'
import type { Db } from '../core/db/db.js'
import { notFound } from '../core/errors.js'
import { requireAccess } from '../core/scope/access.js'
import { findResident, type ResidentRow } from './registry.repo.js'

/**
 * The resident a registry capability reads or changes (documents, care, presence): the role must
 * hold the permission (403 before anything is read), the resident must exist (404
 * RESIDENT_NOT_FOUND) and lie in the actor's scope (403 OUT_OF_SCOPE, audited).
 */
export async function residentInScope(
  db: Db,
  actor: Actor,
  permission: 'registry:read' | 'registry:write',
  id: string,
): Promise<ResidentRow> {
  requireAccess(actor, permission)
  const r = await findResident(db, id)
  if (!r) throw notFound('RESIDENT_NOT_FOUND')
  requireAccess(actor, permission, { type: 'resident', id: r.id, path: r.gridPath })
  return r
}
