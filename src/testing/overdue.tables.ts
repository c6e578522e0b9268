import { sql } from 'drizzle-orm'
import { check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/**
 * What the overdue sweep has already alerted: a tube past its turnaround target, or a recheck
 * order not swabbed by its deadline, once per subject and due time (a recheck swabbed again
 * after an abnormal result has a new deadline, and is alerted again when it passes that one).
 */
export const overdueNotice = pgTable(
  'overdue_notice',
  {
    /** tube (no result by its target) / recheck (not swabbed by its deadline) */
    subject: text('subject').notNull(),
    subjectId: uuid('subject_id').notNull(),
    dueAt: ts('due_at').notNull(),
    roundId: uuid('round_id').notNull(),
    alertedAt: ts('alerted_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.subject, t.subjectId, t.dueAt] }),
    index('overdue_notice_round_idx').on(t.roundId),
    check('overdue_notice_subject_check', sql`${t.subject} in ('tube', 'recheck')`),
  ],
)
