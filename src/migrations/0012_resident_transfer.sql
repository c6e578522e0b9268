CREATE TABLE "resident_transfer" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resident_id" uuid NOT NULL,
	"from_household_id" uuid,
	"from_grid_id" uuid,
	"from_grid_path" text NOT NULL,
	"to_household_id" uuid NOT NULL,
	"to_grid_id" uuid NOT NULL,
	"to_grid_path" text NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"typed" jsonb NOT NULL,
	"phone_enc" text,
	"requested_by_id" uuid,
	"requested_by_name" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by_name" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	CONSTRAINT "resident_transfer_status_check" CHECK ("resident_transfer"."status" in ('requested', 'confirmed', 'disputed'))
);
--> statement-breakpoint
ALTER TABLE "resident_transfer" ADD CONSTRAINT "resident_transfer_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_transfer" ADD CONSTRAINT "resident_transfer_to_household_id_household_id_fk" FOREIGN KEY ("to_household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resident_transfer_from_idx" ON "resident_transfer" USING btree ("from_grid_path" text_pattern_ops,"requested_at");--> statement-breakpoint
CREATE INDEX "resident_transfer_to_idx" ON "resident_transfer" USING btree ("to_grid_path" text_pattern_ops,"requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_transfer_open_uq" ON "resident_transfer" USING btree ("resident_id","to_household_id") WHERE "resident_transfer"."status" = 'requested';