import type { Actor } from '../core/auth/actor.js'
import { audit } from '../core/audit/audit.service.js'
import type { Db, Tx } from '../core/db/db.js'
import { conflict, invalid } from '../core/errors.js'
import { blindIndexCandidates, decryptValue, sealField } from '../core/pii/crypto.js'
import {
  compactIdentifier,
  parseCountry,
  parseDocument,
  type IdDocumentType,
} from '../core/pii/identifiers.js'
import type { Keyring } from '../core/pii/keyring.js'
import { maskIdNumber } from '../core/pii/mask.js'
import {
  findDocument,
  insertDocument,
  listDocumentRows,
  residentIdsByDocumentIndex,
  type DocumentRow,
} from './documents.repo.js'
import type { DocumentIn, DocumentOut } from './documents.schema.js'
import { residentInScope } from './resident.access.js'
import { addEvent } from './registry.repo.js'

/**
 * Several documents per person (domain.md §3): beside the document a resident was registered
 * with, the 回乡证, 台胞证, 永居证 or passports they also carry, each checked under its own type,
 * sealed like the ID, masked in every answer, and found again by its number (search box, the
 * sampling desk's person check). The number never reaches an event, a log or the audit detail.
 */

function view(ring: Keyring, d: DocumentRow): DocumentOut {
  return {
    id: d.id,
    type: d.docType as DocumentOut['type'],
    country: d.country || null,
    number: maskIdNumber(decryptValue(ring, d.numberEnc)),
    createdAt: d.createdAt.toISOString(),
  }
}

export async function listDocuments(
  db: Db,
  ring: Keyring,
  actor: Actor,
  residentId: string,
): Promise<DocumentOut[]> {
  await residentInScope(db, actor, 'registry:read', residentId)
  return (await listDocumentRows(db, residentId)).map((d) => view(ring, d))
}

/** Records a document; the same one again for the same person answers it unchanged (a retry). */
export async function addDocument(
  tx: Tx,
  ring: Keyring,
  actor: Actor,
  residentId: string,
  input: DocumentIn,
  now = new Date(),
): Promise<DocumentOut> {
  const r = await residentInScope(tx, actor, 'registry:write', residentId)
  const parsed = parseDocument(input.type as IdDocumentType, input.number, now)
  if (!parsed.ok) throw invalid('number', parsed.code, parsed.params)
  let country = ''
  if (input.type === 'passport') {
    if (!input.country) throw invalid('country', 'DOCUMENT_NEEDS_COUNTRY')
    const c = parseCountry(input.country)
    if (!c.ok) throw invalid('country', c.code)
    country = c.value
  }
  const number = parsed.value.number
  const existing = await findDocument(tx, input.type, country, blindIndexCandidates(ring, number))
  if (existing) {
    if (existing.residentId !== r.id) throw conflict('DOCUMENT_ELSEWHERE')
    return view(ring, existing)
  }
  const sealed = sealField(ring, number)
  const row = await insertDocument(tx, {
    residentId: r.id,
    docType: input.type,
    country,
    numberEnc: sealed.enc,
    numberBidx: sealed.bidx,
    numberLast4: sealed.last4,
    createdBy: actor.username,
  })
  const detail = { document: input.type, ...(country ? { country } : {}) }
  await addEvent(tx, { residentId: r.id, kind: 'updated', actorName: actor.username, detail })
  await audit(
    tx,
    actor,
    'resident.document_added',
    { type: 'resident', id: r.id, path: r.gridPath },
    { detail },
  )
  return view(ring, row)
}

/**
 * What a search box or a scanner gave, read as a document number of any type the registry
 * keeps (a 回乡证, a 台胞证, a 永居证, a passport); undefined when it cannot be one.
 */
export function documentNumberOf(input: string, today = new Date()): string | undefined {
  const s = compactIdentifier(input).toUpperCase()
  for (const type of [
    'hk_macau_travel_permit',
    'taiwan_travel_permit',
    'foreigner_id',
    'passport',
  ] as const) {
    const p = parseDocument(type, s, today)
    if (p.ok) return p.value.number
  }
  return undefined
}

/** The residents (ids) who carry a document of this number; scope is the caller's to apply. */
export async function residentsByDocument(db: Db, ring: Keyring, input: string): Promise<string[]> {
  const number = documentNumberOf(input)
  if (!number) return []
  return residentIdsByDocumentIndex(db, blindIndexCandidates(ring, number))
}
