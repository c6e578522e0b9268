ALTER TABLE "measure" ADD COLUMN "test_days" date[] DEFAULT '{}'::date[] NOT NULL;--> statement-breakpoint
ALTER TABLE "measure" ADD COLUMN "checkin_from" date;--> statement-breakpoint
ALTER TABLE "measure" ADD COLUMN "checkin_to" date;--> statement-breakpoint
ALTER TABLE "measure" ADD COLUMN "open_test_from" date;--> statement-breakpoint
ALTER TABLE "measure" ADD COLUMN "daily_test_after" date;--> statement-breakpoint
ALTER TABLE "measure" ADD COLUMN "day_offset" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "measure" ADD COLUMN "checkins_per_day" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "measure" ADD COLUMN "end_note" text;