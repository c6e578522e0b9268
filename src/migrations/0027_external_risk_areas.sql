CREATE TABLE "external_risk_area" (
	"id" uuid PRIMARY KEY NOT NULL,
	"province" text DEFAULT '' NOT NULL,
	"city" text DEFAULT '' NOT NULL,
	"district" text DEFAULT '' NOT NULL,
	"street" text DEFAULT '' NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"name_key" text NOT NULL,
	"level" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"source" text DEFAULT '' NOT NULL,
	"entered_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "external_risk_area_level_check" CHECK ("external_risk_area"."level" in ('high', 'medium', 'low')),
	CONSTRAINT "external_risk_area_valid_check" CHECK ("external_risk_area"."valid_to" is null or "external_risk_area"."valid_to" > "external_risk_area"."valid_from")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "external_risk_area_open_uq" ON "external_risk_area" USING btree ("name_key") WHERE "external_risk_area"."valid_to" is null;--> statement-breakpoint
CREATE INDEX "external_risk_area_key_idx" ON "external_risk_area" USING btree ("name_key","valid_from");--> statement-breakpoint
CREATE INDEX "external_risk_area_to_idx" ON "external_risk_area" USING btree ("valid_to");