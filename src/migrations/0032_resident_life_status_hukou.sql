ALTER TABLE "resident" DROP CONSTRAINT "resident_status_check";--> statement-breakpoint
ALTER TABLE "resident" ADD COLUMN "status_on" date;--> statement-breakpoint
ALTER TABLE "resident" ADD COLUMN "status_place" text;--> statement-breakpoint
ALTER TABLE "resident" ADD COLUMN "hukou_address" text;--> statement-breakpoint
ALTER TABLE "resident" ADD COLUMN "hukou_region" text;--> statement-breakpoint
ALTER TABLE "resident" ADD CONSTRAINT "resident_status_check" CHECK ("resident"."status" in ('active', 'moved_out', 'provisional', 'passing_through', 'merged', 'deceased', 'away_long', 'hukou_only'));