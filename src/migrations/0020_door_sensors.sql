CREATE TABLE "door_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sensor_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"event" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"alerted" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "door_sensor" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" text NOT NULL,
	"household_id" uuid NOT NULL,
	"grid_path" text NOT NULL,
	"secret_enc" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text
);
--> statement-breakpoint
ALTER TABLE "door_event" ADD CONSTRAINT "door_event_sensor_id_door_sensor_id_fk" FOREIGN KEY ("sensor_id") REFERENCES "public"."door_sensor"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "door_sensor" ADD CONSTRAINT "door_sensor_household_id_household_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."household"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "door_event_sensor_event_uq" ON "door_event" USING btree ("sensor_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "door_sensor_device_uq" ON "door_sensor" USING btree ("device_id") WHERE "door_sensor"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "door_sensor_scope_idx" ON "door_sensor" USING btree ("grid_path" text_pattern_ops,"id");