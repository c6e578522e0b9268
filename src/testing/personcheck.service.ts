import type { Actor } from '../core/auth/actor.js'
import { can } from '../core/auth/authorize.js'
import { audit } from '../core/audit/audit.service.js'
import type { Tx } from '../core/db/db.js'
import { invalid, notFound } from '../core/errors.js'
import { blindIndexCandidates, decryptValue } from '../core/pii/crypto.js'
import { parseIdNumber } from '../core/pii/identifiers.js'
import { residentsByDocument } from '../registry/documents.service.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber } from '../core/pii/mask.js'
import { requireAccess } from '../core/scope/access.js'
import { findScannedPersonInScope, openRecheckDeadline } from './personcheck.repo.js'
import type { PersonCheckIn, PersonCheckOut } from './personcheck.schema.js'
import { controlFlagsOf, isControlled } from './sampling.service.js'
import { maskName, readPersonScan } from './testing.rules.js'
import { visibleRound } from './testing.service.js'

const TEMPORARY = 'temporary_control'

/**
 * The sampling desk's look-up of a scanned person, before the tube: who they are (masked) and why
 * they must be swabbed alone, so the sampler reaches for a single tube instead of the open pool.
 * Read-only but for one audit entry when it reveals a control state. A person outside the
 * caller's scope answers exactly as an unknown one (404): the look-up is no oracle for other
 * areas' people; the ingest still applies the single-tube rule to whoever is swabbed.
 */
export async function checkScannedPerson(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  input: PersonCheckIn,
  now = new Date(),
): Promise<PersonCheckOut> {
  requireAccess(actor, 'testing:sample')
  const round = await visibleRound(tx, actor, roundId)
  const read = readPersonScan(input.person)
  // A 回乡证, 台胞证, 永居证 or passport number the person carries (registry documents).
  const carried =
    read.kind === 'garbled' && read.code === 'SCAN_NOT_A_PERSON'
      ? await residentsByDocument(tx, ring, input.person)
      : []
  if (read.kind === 'garbled' && !carried.length) throw invalid('person', read.code)
  let key: { token: string } | { bidx: string[] } | { ids: string[] }
  if (read.kind === 'garbled') key = { ids: carried }
  else if (read.kind === 'code') key = { token: read.token }
  else {
    const parsed = parseIdNumber(read.idNumber, now)
    if (!parsed.ok) throw invalid('person', parsed.code, parsed.params)
    key = { bidx: blindIndexCandidates(ring, parsed.value.number) }
  }
  const person = await findScannedPersonInScope(tx, actor, key)
  if (!person) throw notFound('PERSON_CHECK_NOT_FOUND')

  const flags = (await controlFlagsOf(tx, [person.id])).get(person.id)!
  const { pendingRecheck, positive, measures: categories } = flags
  const temporary = categories.includes(TEMPORARY)
  const others = categories.filter((c) => c !== TEMPORARY)
  const recheck = temporary || pendingRecheck ? await openRecheckDeadline(tx, person.id) : undefined
  const deadline = recheck?.deadline ?? null
  const singleTube = isControlled(flags)
  // The categories of other measures are measures' data: only for callers who may read measures.
  const mayReadMeasures = can(actor.role, 'measures:read')
  const control: PersonCheckOut['control'] = {
    singleTube,
    temporaryControl: temporary
      ? { deadline: deadline?.toISOString() ?? null, overdue: !!deadline && deadline < now }
      : null,
    measures: mayReadMeasures ? others : [],
    underMeasure: others.length > 0,
    pendingRecheck,
    positive,
  }
  // Sampling shows a swab's masked name and household; a control state is more: who saw it is kept.
  if (singleTube)
    await audit(
      tx,
      actor,
      'testing.person_check',
      { type: 'resident', id: person.id, path: person.gridPath },
      {
        detail: {
          roundId: round.id,
          temporaryControl: temporary,
          measures: control.measures,
          underMeasure: control.underMeasure,
          pendingRecheck,
          positive,
        },
      },
    )
  return {
    person: {
      name: maskName(person.name),
      idNumber: person.idEnc ? maskIdNumber(decryptValue(ring, person.idEnc)) : null,
      household: person.household,
      room: person.room,
    },
    control,
  }
}
