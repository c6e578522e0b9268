import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { resident } from './registry.tables.js'

/**
 * Who looks after a vulnerable resident (issue 11 item 2, domain.md §6): the named helper
 * (包保人 / 帮扶人) with a phone sealed like any phone (encrypted, blind index, last four), the
 * designated hospital (定点医院) and a note of needs ("每周一三五透析"). One row per resident;
 * a risk area's 重点人群 list reads it beside the tags that make a person vulnerable. And the
 * proxy contact (代联系人) of someone who has no phone of their own (an elderly person living
 * alone, say): name, relation and a phone sealed the same way; the area's inside list shows it
 * where the person's own phone would be.
 */
export const residentCare = pgTable('resident_care', {
  residentId: uuid('resident_id')
    .primaryKey()
    .references(() => resident.id),
  helperName: text('helper_name'),
  helperPhoneEnc: text('helper_phone_enc'),
  helperPhoneBidx: text('helper_phone_bidx'),
  helperPhoneLast4: text('helper_phone_last4'),
  hospital: text('hospital'),
  needs: text('needs'),
  proxyName: text('proxy_name'),
  proxyRelation: text('proxy_relation'),
  proxyPhoneEnc: text('proxy_phone_enc'),
  proxyPhoneBidx: text('proxy_phone_bidx'),
  proxyPhoneLast4: text('proxy_phone_last4'),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
