ALTER TABLE "household" ADD COLUMN "collective_kind" text;--> statement-breakpoint
ALTER TABLE "household" ADD COLUMN "collective_name" text;