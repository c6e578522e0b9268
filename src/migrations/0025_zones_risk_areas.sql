CREATE TABLE "zone_area" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"started_level" text NOT NULL,
	"lowered_from" text,
	"started_at" timestamp with time zone NOT NULL,
	"level_since" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"case_id" uuid,
	"profile_name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"lifted_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "zone_area_level_check" CHECK ("zone_area"."level" in ('high', 'medium', 'low')),
	CONSTRAINT "zone_area_started_level_check" CHECK ("zone_area"."started_level" in ('high', 'medium', 'low')),
	CONSTRAINT "zone_area_status_check" CHECK ("zone_area"."status" in ('active', 'lifted'))
);
--> statement-breakpoint
CREATE TABLE "zone_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"area_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_level" text,
	"to_level" text,
	"reason" text NOT NULL,
	"override_reason" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "zone_event_kind_check" CHECK ("zone_event"."kind" in ('created', 'level', 'widened', 'lifted'))
);
--> statement-breakpoint
CREATE TABLE "zone_extent" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"area_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"ref_id" uuid NOT NULL,
	"floor" integer,
	"path" text NOT NULL,
	"label" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "zone_extent_kind_check" CHECK ("zone_extent"."kind" in ('household', 'floor', 'unit', 'building', 'grid', 'community'))
);
--> statement-breakpoint
ALTER TABLE "zone_area" ADD CONSTRAINT "zone_area_case_id_positive_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."positive_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zone_event" ADD CONSTRAINT "zone_event_area_id_zone_area_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."zone_area"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zone_extent" ADD CONSTRAINT "zone_extent_area_id_zone_area_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."zone_area"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "zone_event_area_idx" ON "zone_event" USING btree ("area_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "zone_extent_part_uq" ON "zone_extent" USING btree ("area_id","kind","ref_id",coalesce("floor", -1));--> statement-breakpoint
CREATE INDEX "zone_extent_path_idx" ON "zone_extent" USING btree ("path" text_pattern_ops,"area_id");--> statement-breakpoint
CREATE INDEX "zone_extent_ref_idx" ON "zone_extent" USING btree ("ref_id");