CREATE TABLE "resident_presence" (
	"resident_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"destination" text,
	"since" date,
	"return_on" date,
	"note" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_presence_status_check" CHECK ("resident_presence"."status" in ('home', 'away', 'returned')),
	CONSTRAINT "resident_presence_away_check" CHECK ("resident_presence"."status" <> 'away' or "resident_presence"."destination" is not null)
);
--> statement-breakpoint
ALTER TABLE "key_group" DROP CONSTRAINT "key_group_kind_check";--> statement-breakpoint
ALTER TABLE "key_group" ADD COLUMN "frequency" text;--> statement-breakpoint
ALTER TABLE "key_group" ADD COLUMN "tests_per_window" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "test_round" ADD COLUMN "household_capacity" integer DEFAULT 50 NOT NULL;--> statement-breakpoint
ALTER TABLE "test_round" ADD COLUMN "area_reason" text;--> statement-breakpoint
ALTER TABLE "test_round" ADD COLUMN "building_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "test_round" ADD COLUMN "unit_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "test_round" ADD COLUMN "turnaround_recheck_hours" integer;--> statement-breakpoint
ALTER TABLE "resident_presence" ADD CONSTRAINT "resident_presence_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_group" ADD CONSTRAINT "key_group_window_check" CHECK ("key_group"."tests_per_window" between 1 and 7);--> statement-breakpoint
ALTER TABLE "test_round" ADD CONSTRAINT "test_round_household_capacity_check" CHECK ("test_round"."household_capacity" between 1 and 50);