import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import { localDate } from '../core/clock.js'
import type { Db, Tx } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import { addEvent } from './registry.repo.js'
import { findPresence, upsertPresence, type PresenceRow } from './presence.repo.js'
import { residentInScope } from './resident.access.js'
import type { PresenceIn, PresenceOut } from './registry.schema.js'

/**
 * Presence (domain.md §5): whether a resident is at home, away (destination, expected return)
 * or back, kept on the resident across rounds. The missed-test list reads it, so a grid worker
 * marks a long-term absentee once; each change is a `presence` event of the resident and audited.
 */

export function presenceView(p: PresenceRow | undefined): PresenceOut | null {
  if (!p) return null
  return {
    status: p.status as PresenceOut['status'],
    destination: p.destination,
    since: p.since,
    returnOn: p.returnOn,
    note: p.note,
    updatedBy: p.updatedBy,
    updatedAt: p.updatedAt.toISOString(),
  }
}

export async function residentPresenceOf(db: Db, residentId: string): Promise<PresenceOut | null> {
  return presenceView(await findPresence(db, residentId))
}

export async function setPresence(
  tx: Tx,
  actor: Actor,
  residentId: string,
  input: PresenceIn,
  now = new Date(),
): Promise<PresenceOut> {
  const r = await residentInScope(tx, actor, 'registry:write', residentId)
  const today = localDate(now)
  const destination = input.destination?.trim() || null
  if (input.status === 'away' && !destination)
    throw invalid('destination', 'PRESENCE_NEEDS_DESTINATION')
  const since = input.status === 'home' ? null : (input.since ?? today)
  const returnOn = input.status === 'away' ? (input.returnOn ?? null) : null
  if (since && returnOn && returnOn < since)
    throw invalid('returnOn', 'PRESENCE_RETURN_BEFORE_LEAVING')
  const row = await upsertPresence(tx, {
    residentId: r.id,
    status: input.status,
    destination: input.status === 'away' ? destination : null,
    since,
    returnOn,
    note: input.note?.trim() || null,
    updatedBy: actor.username,
  })
  // The destination is the person's business: the event and the audit keep the status and dates only.
  const detail = { status: input.status, since, returnOn }
  await addEvent(tx, { residentId: r.id, kind: 'presence', actorName: actor.username, detail })
  await audit(
    tx,
    actor,
    'resident.presence',
    { type: 'resident', id: r.id, path: r.gridPath },
    { detail },
  )
  return presenceView(row)!
}
