import { asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../core/db/db.js'
import { residentDocument } from './documents.tables.js'

/** The SQL of the documents a person carries (resident_document). */

export type DocumentRow = typeof residentDocument.$inferSelect

export async function listDocumentRows(db: Db, residentId: string): Promise<DocumentRow[]> {
  return db
    .select()
    .from(residentDocument)
    .where(eq(residentDocument.residentId, residentId))
    .orderBy(asc(residentDocument.createdAt), asc(residentDocument.id))
}

/** The same document (type, country, number) already recorded, for anyone. */
export async function findDocument(
  db: Db,
  docType: string,
  country: string,
  bidx: string[],
): Promise<DocumentRow | undefined> {
  const rows = await db
    .select()
    .from(residentDocument)
    .where(inArray(residentDocument.numberBidx, bidx))
  return rows.find((r) => r.docType === docType && r.country === country)
}

export async function insertDocument(
  db: Db,
  v: typeof residentDocument.$inferInsert,
): Promise<DocumentRow> {
  const [row] = await db.insert(residentDocument).values(v).returning()
  return row!
}

/** The residents whose recorded documents have one of these blind indexes (any type, any country). */
export async function residentIdsByDocumentIndex(db: Db, bidx: string[]): Promise<string[]> {
  if (!bidx.length) return []
  const rows = await db
    .selectDistinct({ residentId: residentDocument.residentId })
    .from(residentDocument)
    .where(inArray(residentDocument.numberBidx, bidx))
  return rows.map((r) => r.residentId)
}
