CREATE TABLE "resident_care" (
	"resident_id" uuid PRIMARY KEY NOT NULL,
	"helper_name" text,
	"helper_phone_enc" text,
	"helper_phone_bidx" text,
	"helper_phone_last4" text,
	"hospital" text,
	"needs" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resident_care" ADD CONSTRAINT "resident_care_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;