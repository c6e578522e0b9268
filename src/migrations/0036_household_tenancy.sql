ALTER TABLE "household" ADD COLUMN "representative_id" uuid;--> statement-breakpoint
ALTER TABLE "household" ADD COLUMN "landlord_name" text;--> statement-breakpoint
ALTER TABLE "household" ADD COLUMN "landlord_kind" text;--> statement-breakpoint
ALTER TABLE "household" ADD COLUMN "landlord_phone_enc" text;--> statement-breakpoint
ALTER TABLE "household" ADD COLUMN "landlord_phone_bidx" text;--> statement-breakpoint
ALTER TABLE "household" ADD COLUMN "landlord_phone_last4" text;--> statement-breakpoint
ALTER TABLE "household" ADD COLUMN "tenancy_start" date;--> statement-breakpoint
ALTER TABLE "household" ADD COLUMN "tenancy_end" date;