import { sealField } from '../core/pii/crypto.js'
import { phoneLast4 } from '../core/pii/identifiers.js'
import type { Keyring } from '../core/pii/keyring.js'

/**
 * A resident's ID number and phone as their columns store them (domain.md §15): encrypted, the
 * blind index searches use, and the last four digits a masked answer shows. Every path that
 * writes a person (registration, update, walk-ins, the bulk load) seals them here.
 */
export interface SealedIdColumns {
  idEnc: string
  idBidx: string
  idLast4: string
}
export interface SealedPhoneColumns {
  phoneEnc: string | null
  phoneBidx: string | null
  phoneLast4: string | null
}

export function sealedIdColumns(ring: Keyring, idNumber: string): SealedIdColumns {
  const s = sealField(ring, idNumber)
  return { idEnc: s.enc, idBidx: s.bidx, idLast4: s.last4 }
}

/** No phone: all three columns null. A landline's last four are the number's, not its extension's. */
export function sealedPhoneColumns(ring: Keyring, phone: string | null): SealedPhoneColumns {
  const s = phone ? sealField(ring, phone) : null
  return {
    phoneEnc: s?.enc ?? null,
    phoneBidx: s?.bidx ?? null,
    phoneLast4: phone ? phoneLast4(phone) : null,
  }
}
