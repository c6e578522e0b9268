import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/**
 * Append-only, hash-chained audit log. A trigger (migration 0001) refuses UPDATE and DELETE;
 * `hash` = SHA-256(prev_hash + canonical entry), so `weiguang audit verify` finds any row
 * edited or removed behind the trigger's back.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    scopePath: text('scope_path'),
    ip: text('ip'),
    reason: text('reason'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_action_idx').on(t.action, t.id),
    index('audit_log_actor_idx').on(t.actorId, t.id),
    index('audit_log_scope_idx').using('btree', t.scopePath.op('text_pattern_ops')),
  ],
)
