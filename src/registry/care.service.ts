import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import type { Tx } from '../core/db/db.js'
import { invalid } from '../core/errors.js'
import { decryptValue } from '../core/pii/crypto.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskPhone } from '../core/pii/mask.js'
import { requireAccess } from '../core/scope/access.js'
import { findCare, upsertCare, type CareRow } from './care.repo.js'
import type { CareIn, CareOut } from './care.schema.js'
import { normalisePhone } from './registry.rules.js'
import { residentInScope } from './resident.access.js'
import { sealedPhoneColumns } from './registry.seal.js'

/**
 * A vulnerable resident's helper (包保人 / 帮扶人), designated hospital (定点医院) and needs
 * (issue 11 item 2). The helper's phone is sealed like any phone, masked in every answer and
 * shown in full only to a reader with pii:reveal, audited; it never reaches an event or the
 * audit detail.
 */

/** A stored helper phone as a list shows it (138****1234), or null. */
export function maskedHelperPhone(ring: Keyring, enc: string | null): string | null {
  return enc ? maskPhone(decryptValue(ring, enc)) : null
}

function view(ring: Keyring, residentId: string, c: CareRow | undefined, reveal: boolean): CareOut {
  const phone = c?.helperPhoneEnc ? decryptValue(ring, c.helperPhoneEnc) : null
  return {
    residentId,
    helperName: c?.helperName ?? null,
    helperPhone: phone === null ? null : reveal ? phone : maskPhone(phone),
    revealed: reveal && phone !== null,
    hospital: c?.hospital ?? null,
    needs: c?.needs ?? null,
    updatedBy: c?.updatedBy ?? null,
    updatedAt: c ? c.updatedAt.toISOString() : null,
  }
}

/** A resident's helper, hospital and needs; `reveal` shows the helper's phone in full (audited). */
export async function getCare(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  residentId: string,
  reveal: boolean,
): Promise<CareOut> {
  const r = await residentInScope(tx, actor, 'registry:read', residentId)
  const c = await findCare(tx, r.id)
  if (reveal && c?.helperPhoneEnc) {
    const target = { type: 'resident', id: r.id, path: r.gridPath }
    requireAccess(actor, 'pii:reveal', target)
    await audit(tx, actor, 'pii.reveal', target, { detail: { fields: ['helperPhone'] } })
  }
  return view(ring, r.id, c, reveal)
}

const blank = (s: string | null): string | null => (s === null || s === '' ? null : s)

/** Records a resident's helper (name and phone together), hospital and needs; blank fields clear (audited). */
export async function setCare(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  residentId: string,
  input: CareIn,
): Promise<CareOut> {
  const r = await residentInScope(tx, actor, 'registry:write', residentId)
  const helperName = blank(input.helperName)
  // Left out (the form shows the recorded phone masked): the recorded one stays with its helper.
  const kept = input.helperPhone === undefined && helperName ? await findCare(tx, r.id) : undefined
  const phone = normalisePhone(input.helperPhone)
  if (!phone.ok) throw invalid('helperPhone', phone.code, phone.params)
  if (phone.value && !helperName) throw invalid('helperName', 'CARE_HELPER_NAME_REQUIRED')
  if (helperName && !phone.value && !kept?.helperPhoneEnc)
    throw invalid('helperPhone', 'CARE_HELPER_PHONE_REQUIRED')
  const sealed = kept?.helperPhoneEnc
    ? {
        phoneEnc: kept.helperPhoneEnc,
        phoneBidx: kept.helperPhoneBidx,
        phoneLast4: kept.helperPhoneLast4,
      }
    : sealedPhoneColumns(ring, phone.value)
  const row = await upsertCare(tx, {
    residentId: r.id,
    helperName,
    helperPhoneEnc: sealed.phoneEnc,
    helperPhoneBidx: sealed.phoneBidx,
    helperPhoneLast4: sealed.phoneLast4,
    hospital: blank(input.hospital),
    needs: blank(input.needs),
    updatedBy: actor.username,
    updatedAt: new Date(),
  })
  await audit(
    tx,
    actor,
    'resident.care_set',
    { type: 'resident', id: r.id, path: r.gridPath },
    { detail: { helper: helperName !== null, hospital: row.hospital !== null } },
  )
  return view(ring, r.id, row, false)
}
