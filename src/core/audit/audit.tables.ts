import {
  bigserial,
  index,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'

/**
 * Append-only, hash-chained audit log. A trigger (migration 0001) refuses UPDATE and DELETE;
 * `hash` = HMAC-SHA256(audit chain key, prev_hash + canonical entry) for `chain_version` 1,
 * plain SHA-256 for the rows written before the chain was keyed (`chain_version` 0). The key is
 * not in the database and the head is anchored by signed checkpoints outside it
 * (audit.head.ts), so `weiguang audit verify` finds rows edited, removed or re-chained behind
 * the trigger's back.
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
    /** 0: unkeyed SHA-256 (before migration 0011); 1: HMAC-SHA256 with the audit chain key. */
    chainVersion: smallint('chain_version').notNull().default(1),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_action_idx').on(t.action, t.id),
    index('audit_log_actor_idx').on(t.actorId, t.id),
    index('audit_log_scope_idx').using('btree', t.scopePath.op('text_pattern_ops')),
  ],
)
