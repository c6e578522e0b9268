CREATE TABLE "arrival" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"checkpoint_id" uuid NOT NULL,
	"community_path" text NOT NULL,
	"destination_path" text,
	"destination_household_id" uuid,
	"destination_address" text DEFAULT '' NOT NULL,
	"reference" text NOT NULL,
	"report_day" date NOT NULL,
	"channel" text NOT NULL,
	"name" text NOT NULL,
	"id_type" text NOT NULL,
	"id_enc" text NOT NULL,
	"id_bidx" text NOT NULL,
	"id_last4" text NOT NULL,
	"phone_enc" text,
	"phone_bidx" text,
	"phone_last4" text,
	"origin" text NOT NULL,
	"origin_area" text DEFAULT '' NOT NULL,
	"arrival_date" date NOT NULL,
	"transport" text DEFAULT '' NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"health_code" text NOT NULL,
	"last_negative_at" timestamp with time zone,
	"itinerary" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"unmatched_places" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'reported' NOT NULL,
	"category" text,
	"confirmed_by" text,
	"confirmed_at" timestamp with time zone,
	"resident_id" uuid,
	"measure_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "checkpoint" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"community_path" text NOT NULL,
	"name" text NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"hours" text DEFAULT '' NOT NULL,
	"staff" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"token" text NOT NULL,
	"token_rotated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "arrival" ADD CONSTRAINT "arrival_checkpoint_id_checkpoint_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."checkpoint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_community_id_division_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."division"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "arrival_person_day_idx" ON "arrival" USING btree ("id_bidx","report_day");--> statement-breakpoint
CREATE UNIQUE INDEX "arrival_reference_idx" ON "arrival" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "arrival_scope_idx" ON "arrival" USING btree ("community_path" text_pattern_ops,"report_day");--> statement-breakpoint
CREATE INDEX "arrival_destination_idx" ON "arrival" USING btree ("destination_path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "checkpoint_token_idx" ON "checkpoint" USING btree ("token");--> statement-breakpoint
CREATE INDEX "checkpoint_scope_idx" ON "checkpoint" USING btree ("community_path" text_pattern_ops,"id");