ALTER TABLE "resident_care" ADD COLUMN "proxy_name" text;--> statement-breakpoint
ALTER TABLE "resident_care" ADD COLUMN "proxy_relation" text;--> statement-breakpoint
ALTER TABLE "resident_care" ADD COLUMN "proxy_phone_enc" text;--> statement-breakpoint
ALTER TABLE "resident_care" ADD COLUMN "proxy_phone_bidx" text;--> statement-breakpoint
ALTER TABLE "resident_care" ADD COLUMN "proxy_phone_last4" text;