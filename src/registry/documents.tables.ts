import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { resident } from './registry.tables.js'

/**
 * The documents a person carries beside the one they were registered with (domain.md §3):
 * a 回乡证, a 台胞证, a 永居证, passports keyed by issuing country. The number is sealed like
 * the resident's ID (encrypted, a blind index of the number alone — what a search box or a
 * scanner gives — and its last four). One document is one person: the same type, country and
 * number cannot be recorded twice.
 */
export const residentDocument = pgTable(
  'resident_document',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    residentId: uuid('resident_id')
      .notNull()
      .references(() => resident.id),
    docType: text('doc_type').notNull(),
    /** ISO 3166-1 alpha-3 issuing country of a passport; '' for documents without one. */
    country: text('country').notNull().default(''),
    numberEnc: text('number_enc').notNull(),
    numberBidx: text('number_bidx').notNull(),
    numberLast4: text('number_last4').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('resident_document_uq').on(t.docType, t.country, t.numberBidx),
    index('resident_document_bidx_idx').on(t.numberBidx),
    index('resident_document_resident_idx').on(t.residentId),
  ],
)
