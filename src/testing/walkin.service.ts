import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import type { Tx } from '../core/db/db.js'
import type { Keyring } from '../core/pii/keyring.js'
import { requireAccess } from '../core/scope/access.js'
import { moveMeasuresOfMerged } from '../measures/control.service.js'
import {
  registerMergeStep,
  registerProvisional,
  type WalkInPerson,
} from '../registry/provisional.service.js'
import { findLiveCode, insertCode } from './codes.repo.js'
import { maskName, newResidentCode } from './testing.rules.js'
import { visibleRound } from './testing.service.js'
import { moveTestingRows } from './walkin.repo.js'
import type { WalkInIn, WalkInOut } from './walkin.schema.js'

// A merged walk-in's specimens, open rechecks and screening positive follow the person, and so do
// their active measures and check-ins (an overlapping measure of one category is kept once).
registerMergeStep((tx, from, to) => moveTestingRows(tx, from.id, to))
registerMergeStep((tx, from, to, ctx) => moveMeasuresOfMerged(tx, from.id, to, ctx))

/** The person's live code, issued now (audited, under their grid) when they have none. */
async function codeFor(tx: Tx, actor: Actor, person: WalkInPerson): Promise<string> {
  const live = await findLiveCode(tx, person.id)
  if (live) return live.token
  const created = await insertCode(tx, {
    token: newResidentCode(),
    residentId: person.id,
    issuedBy: actor.username,
  })
  if (!created) return (await findLiveCode(tx, person.id))!.token
  await audit(tx, actor, 'testing.code_issue', {
    type: 'resident',
    id: person.id,
    path: person.gridPath,
  })
  return created.token
}

/**
 * 登记临时人员 at a round's sampling desk: a person not in the registry is registered
 * provisionally (registry: name, document, phone, where staying) and given a code, so the sampler
 * scans it and goes straight on to the tube. A retry, or a second desk, with the same document
 * answers the same person and code; a registered resident's document answers their code (their
 * record is not shown or changed).
 */
export async function registerWalkIn(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  roundId: string,
  input: WalkInIn,
  now = new Date(),
): Promise<WalkInOut> {
  requireAccess(actor, 'testing:sample')
  const round = await visibleRound(tx, actor, roundId)
  const person = await registerProvisional(tx, ring, actor, { ...input, roundId: round.id }, now)
  return {
    outcome: person.outcome,
    residentId: person.id,
    name: maskName(person.name),
    code: await codeFor(tx, actor, person),
    repaired: person.repaired,
  }
}
