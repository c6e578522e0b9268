CREATE TABLE "measure" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resident_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"grid_path" text NOT NULL,
	"category" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"anchor_at" timestamp with time zone NOT NULL,
	"anchor_date" date NOT NULL,
	"planned_end" date,
	"profile_name" text NOT NULL,
	"rules" jsonb NOT NULL,
	"plan" jsonb NOT NULL,
	"home_fallback" text[],
	"source" text DEFAULT 'manual' NOT NULL,
	"source_ref" text,
	"note" text,
	"started_by" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by" text,
	"end_reason" text,
	CONSTRAINT "measure_status_check" CHECK ("measure"."status" in ('active', 'released', 'ended', 'cancelled')),
	CONSTRAINT "measure_source_check" CHECK ("measure"."source" in ('manual', 'pool_positive', 'arrival', 'zone'))
);
--> statement-breakpoint
CREATE TABLE "measure_checkin" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"measure_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"grid_path" text NOT NULL,
	"local_date" date NOT NULL,
	"slot" text NOT NULL,
	"temperature" numeric(4, 1),
	"symptoms" text[] DEFAULT '{}'::text[] NOT NULL,
	"reported_by" text NOT NULL,
	"reporter_role" text NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measure_checkin_slot_check" CHECK ("measure_checkin"."slot" in ('am', 'pm')),
	CONSTRAINT "measure_checkin_role_check" CHECK ("measure_checkin"."reporter_role" in ('worker', 'resident'))
);
--> statement-breakpoint
ALTER TABLE "measure" ADD CONSTRAINT "measure_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_checkin" ADD CONSTRAINT "measure_checkin_measure_id_measure_id_fk" FOREIGN KEY ("measure_id") REFERENCES "public"."measure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "measure_resident_idx" ON "measure" USING btree ("resident_id","status");--> statement-breakpoint
CREATE INDEX "measure_scope_idx" ON "measure" USING btree ("grid_path" text_pattern_ops,"status","id");--> statement-breakpoint
CREATE INDEX "measure_active_end_idx" ON "measure" USING btree ("planned_end") WHERE "measure"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "measure_active_category_uq" ON "measure" USING btree ("resident_id","category") WHERE "measure"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "measure_checkin_slot_uq" ON "measure_checkin" USING btree ("measure_id","local_date","slot");--> statement-breakpoint
CREATE INDEX "measure_checkin_scope_idx" ON "measure_checkin" USING btree ("grid_path" text_pattern_ops,"local_date");