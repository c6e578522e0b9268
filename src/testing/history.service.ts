import type { Actor } from '../core/auth/actor.js'
import type { Db } from '../core/db/db.js'
import { notFound } from '../core/errors.js'
import { requireAccess } from '../core/scope/access.js'
import { residentGridPath, samplesOfResident, type PersonSampleRow } from './history.repo.js'
import type { PersonSampleOut, PersonSamplesOut } from './history.schema.js'

const iso = (d: Date | string): string => new Date(d).toISOString()

function view(r: PersonSampleRow): PersonSampleOut {
  return {
    ...r,
    roundKind: r.roundKind as PersonSampleOut['roundKind'],
    tubeKind: r.tubeKind as PersonSampleOut['tubeKind'],
    result: r.result as PersonSampleOut['result'],
    state: r.state as PersonSampleOut['state'],
    scannedAt: iso(r.scannedAt),
    resultedAt: r.resultedAt === null ? null : iso(r.resultedAt),
    tubeMembers: Number(r.tubeMembers),
    ctN: r.ctN === null ? null : Number(r.ctN),
    ctOrf1ab: r.ctOrf1ab === null ? null : Number(r.ctOrf1ab),
  }
}

/**
 * A person's swabs, newest first, with each tube's result and Ct values: for the resident page
 * (核酸记录). Testing readers of the person's grid only; a moved-out person keeps their history.
 */
export async function personSamples(
  db: Db,
  actor: Actor,
  residentId: string,
  query: { before?: string; limit?: number },
): Promise<PersonSamplesOut> {
  requireAccess(actor, 'testing:read')
  const person = await residentGridPath(db, residentId)
  if (!person) throw notFound('RESIDENT_NOT_FOUND')
  requireAccess(actor, 'testing:read', { type: 'resident', id: residentId, path: person.gridPath })
  const limit = query.limit ?? 20
  const found = await samplesOfResident(db, residentId, {
    ...(query.before ? { before: new Date(query.before) } : {}),
    limit: limit + 1,
  })
  const items = found.slice(0, limit).map(view)
  return { items, next: found.length > limit ? items[items.length - 1]!.scannedAt : null }
}
