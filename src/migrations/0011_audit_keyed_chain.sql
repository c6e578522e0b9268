-- Rows written before this migration were hashed with plain SHA-256: they keep chain_version 0
-- and still verify that way. Every row appended from now on is HMAC-keyed (chain_version 1).
-- Adding a column with a constant default rewrites no row, so the append-only trigger is not hit.
ALTER TABLE "audit_log" ADD COLUMN "chain_version" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "chain_version" SET DEFAULT 1;
