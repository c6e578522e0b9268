CREATE TABLE "building" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grid_id" uuid NOT NULL,
	"grid_path" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unit_id" uuid NOT NULL,
	"building_id" uuid NOT NULL,
	"grid_id" uuid NOT NULL,
	"grid_path" text NOT NULL,
	"room" text NOT NULL,
	"floor" integer,
	"label" text NOT NULL,
	"sort_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resident" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid,
	"grid_id" uuid,
	"grid_path" text NOT NULL,
	"sort_key" text NOT NULL,
	"name" text NOT NULL,
	"name_pinyin" text NOT NULL,
	"name_initials" text NOT NULL,
	"id_type" text NOT NULL,
	"id_enc" text,
	"id_bidx" text,
	"id_last4" text,
	"phone_enc" text,
	"phone_bidx" text,
	"phone_last4" text,
	"sex" text,
	"birth_date" date,
	"relation" text,
	"residence_type" text NOT NULL,
	"employer" text,
	"notes" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_residence_type_check" CHECK ("resident"."residence_type" in ('registered', 'permanent', 'floating', 'tenant')),
	CONSTRAINT "resident_status_check" CHECK ("resident"."status" in ('active', 'moved_out'))
);
--> statement-breakpoint
CREATE TABLE "resident_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"resident_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_household_id" uuid,
	"to_household_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_name" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "resident_tag" (
	"resident_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_tag_resident_id_tag_pk" PRIMARY KEY("resident_id","tag")
);
--> statement-breakpoint
CREATE TABLE "unit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"building_id" uuid NOT NULL,
	"code" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "building" ADD CONSTRAINT "building_grid_id_division_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."division"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household" ADD CONSTRAINT "household_unit_id_unit_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household" ADD CONSTRAINT "household_building_id_building_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."building"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household" ADD CONSTRAINT "household_grid_id_division_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."division"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident" ADD CONSTRAINT "resident_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident" ADD CONSTRAINT "resident_grid_id_division_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."division"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_event" ADD CONSTRAINT "resident_event_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_tag" ADD CONSTRAINT "resident_tag_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit" ADD CONSTRAINT "unit_building_id_building_id_fk" FOREIGN KEY ("building_id") REFERENCES "public"."building"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "building_grid_code_uq" ON "building" USING btree ("grid_id","code");--> statement-breakpoint
CREATE INDEX "building_grid_path_idx" ON "building" USING btree ("grid_path");--> statement-breakpoint
CREATE UNIQUE INDEX "household_unit_room_uq" ON "household" USING btree ("unit_id","room");--> statement-breakpoint
CREATE INDEX "household_grid_path_idx" ON "household" USING btree ("grid_path","sort_key");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_id_bidx_uq" ON "resident" USING btree ("id_bidx");--> statement-breakpoint
CREATE INDEX "resident_scope_order_idx" ON "resident" USING btree ("grid_path","sort_key","id");--> statement-breakpoint
CREATE INDEX "resident_household_idx" ON "resident" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "resident_phone_last4_idx" ON "resident" USING btree ("phone_last4");--> statement-breakpoint
CREATE INDEX "resident_id_last4_idx" ON "resident" USING btree ("id_last4");--> statement-breakpoint
CREATE INDEX "resident_phone_bidx_idx" ON "resident" USING btree ("phone_bidx");--> statement-breakpoint
CREATE INDEX "resident_initials_idx" ON "resident" USING btree ("name_initials");--> statement-breakpoint
CREATE INDEX "resident_event_resident_idx" ON "resident_event" USING btree ("resident_id","id");--> statement-breakpoint
CREATE INDEX "resident_tag_tag_idx" ON "resident_tag" USING btree ("tag","resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "unit_building_code_uq" ON "unit" USING btree ("building_id","code");