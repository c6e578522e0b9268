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
 * (issue 11 item 2), and the proxy contact (代联系人) of someone without a phone of their own
 * (item 8). Both phones are sealed like any phone, masked in every answer and shown in full only
 * to a reader with pii:reveal, audited; they never reach an event or the audit detail.
 */

/** A stored helper phone as a list shows it (138****1234), or null. */
export function maskedHelperPhone(ring: Keyring, enc: string | null): string | null {
  return enc ? maskPhone(decryptValue(ring, enc)) : null
}

function view(ring: Keyring, residentId: string, c: CareRow | undefined, reveal: boolean): CareOut {
  const shown = (enc: string | null | undefined): string | null => {
    if (!enc) return null
    const phone = decryptValue(ring, enc)
    return reveal ? phone : maskPhone(phone)
  }
  return {
    residentId,
    helperName: c?.helperName ?? null,
    helperPhone: shown(c?.helperPhoneEnc),
    revealed: reveal && !!(c?.helperPhoneEnc || c?.proxyPhoneEnc),
    hospital: c?.hospital ?? null,
    needs: c?.needs ?? null,
    proxyName: c?.proxyName ?? null,
    proxyRelation: c?.proxyRelation ?? null,
    proxyPhone: shown(c?.proxyPhoneEnc),
    updatedBy: c?.updatedBy ?? null,
    updatedAt: c ? c.updatedAt.toISOString() : null,
  }
}

/** A resident's helper, hospital, needs and proxy; `reveal` shows both phones in full (audited). */
export async function getCare(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  residentId: string,
  reveal: boolean,
): Promise<CareOut> {
  const r = await residentInScope(tx, actor, 'registry:read', residentId)
  const c = await findCare(tx, r.id)
  const fields = [
    ...(c?.helperPhoneEnc ? ['helperPhone'] : []),
    ...(c?.proxyPhoneEnc ? ['proxyPhone'] : []),
  ]
  if (reveal && fields.length) {
    const target = { type: 'resident', id: r.id, path: r.gridPath }
    requireAccess(actor, 'pii:reveal', target)
    await audit(tx, actor, 'pii.reveal', target, { detail: { fields } })
  }
  return view(ring, r.id, c, reveal)
}

const blank = (s: string | null | undefined): string | null =>
  s === null || s === undefined || s === '' ? null : s

interface SealedContact {
  name: string | null
  phoneEnc: string | null
  phoneBidx: string | null
  phoneLast4: string | null
}

/**
 * A named contact with a phone (the helper, the proxy): name and phone go together; a phone left
 * out keeps the recorded one while the contact keeps a name. `field` names the form's fields.
 */
function contactOf(
  ring: Keyring,
  field: 'helper' | 'proxy',
  name: string | null,
  phoneIn: string | null | undefined,
  kept: { enc: string | null; bidx: string | null; last4: string | null } | undefined,
): SealedContact {
  const phone = normalisePhone(phoneIn)
  if (!phone.ok) throw invalid(`${field}Phone`, phone.code, phone.params)
  const code = field === 'helper' ? 'HELPER' : 'PROXY'
  if (phone.value && !name) throw invalid(`${field}Name`, `CARE_${code}_NAME_REQUIRED`)
  const keep = phoneIn === undefined && name && kept?.enc ? kept : undefined
  if (name && !phone.value && !keep) throw invalid(`${field}Phone`, `CARE_${code}_PHONE_REQUIRED`)
  if (keep) return { name, phoneEnc: keep.enc, phoneBidx: keep.bidx, phoneLast4: keep.last4 }
  return { name, ...sealedPhoneColumns(ring, phone.value) }
}

/**
 * Records a resident's helper (name and phone together), hospital, needs and proxy contact;
 * blank fields clear, a proxy left out entirely stays as recorded (audited, without the numbers).
 */
export async function setCare(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  residentId: string,
  input: CareIn,
): Promise<CareOut> {
  const r = await residentInScope(tx, actor, 'registry:write', residentId)
  const recorded = await findCare(tx, r.id)
  const helper = contactOf(
    ring,
    'helper',
    blank(input.helperName),
    input.helperPhone,
    recorded && {
      enc: recorded.helperPhoneEnc,
      bidx: recorded.helperPhoneBidx,
      last4: recorded.helperPhoneLast4,
    },
  )
  const proxyLeftOut = input.proxyName === undefined && input.proxyPhone === undefined
  const proxyName = proxyLeftOut ? (recorded?.proxyName ?? null) : blank(input.proxyName)
  const proxy = contactOf(
    ring,
    'proxy',
    proxyName,
    proxyLeftOut ? undefined : input.proxyPhone,
    recorded && {
      enc: recorded.proxyPhoneEnc,
      bidx: recorded.proxyPhoneBidx,
      last4: recorded.proxyPhoneLast4,
    },
  )
  const proxyRelation = !proxy.name
    ? null
    : input.proxyRelation === undefined
      ? (recorded?.proxyRelation ?? null)
      : blank(input.proxyRelation)
  const row = await upsertCare(tx, {
    residentId: r.id,
    helperName: helper.name,
    helperPhoneEnc: helper.phoneEnc,
    helperPhoneBidx: helper.phoneBidx,
    helperPhoneLast4: helper.phoneLast4,
    hospital: blank(input.hospital),
    needs: blank(input.needs),
    proxyName: proxy.name,
    proxyRelation,
    proxyPhoneEnc: proxy.phoneEnc,
    proxyPhoneBidx: proxy.phoneBidx,
    proxyPhoneLast4: proxy.phoneLast4,
    updatedBy: actor.username,
    updatedAt: new Date(),
  })
  await audit(
    tx,
    actor,
    'resident.care_set',
    { type: 'resident', id: r.id, path: r.gridPath },
    {
      detail: {
        helper: helper.name !== null,
        hospital: row.hospital !== null,
        proxy: proxy.name !== null,
      },
    },
  )
  return view(ring, r.id, row, false)
}
