CREATE TABLE "provisional_registration" (
	"resident_id" uuid PRIMARY KEY NOT NULL,
	"grid_path" text NOT NULL,
	"address" text,
	"round_id" uuid,
	"site_id" uuid,
	"registered_by" text NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"merged_into" uuid,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "provisional_registration_status_check" CHECK ("provisional_registration"."status" in ('open', 'confirmed', 'merged', 'passing_through'))
);
--> statement-breakpoint
ALTER TABLE "resident" DROP CONSTRAINT "resident_status_check";--> statement-breakpoint
ALTER TABLE "provisional_registration" ADD CONSTRAINT "provisional_registration_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisional_registration" ADD CONSTRAINT "provisional_registration_merged_into_resident_id_fk" FOREIGN KEY ("merged_into") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provisional_registration_scope_idx" ON "provisional_registration" USING btree ("grid_path" text_pattern_ops,"registered_at");--> statement-breakpoint
ALTER TABLE "resident" ADD CONSTRAINT "resident_status_check" CHECK ("resident"."status" in ('active', 'moved_out', 'provisional', 'passing_through', 'merged'));