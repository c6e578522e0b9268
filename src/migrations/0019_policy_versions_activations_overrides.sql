CREATE TABLE "policy_activation" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"profile" text NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"content_hash" text,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_override" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"profile" text NOT NULL,
	"section" text NOT NULL,
	"path" text NOT NULL,
	"value" jsonb NOT NULL,
	"national" jsonb NOT NULL,
	"reason" text NOT NULL,
	"flag" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" text,
	"withdrawn_reason" text
);
--> statement-breakpoint
CREATE TABLE "policy_profile_version" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"profile" text NOT NULL,
	"content_hash" text NOT NULL,
	"title" text NOT NULL,
	"meta" jsonb NOT NULL,
	"settings" jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "policy_profile" ADD COLUMN "meta" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_profile" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "policy_profile" ADD COLUMN "source" text DEFAULT 'bundled' NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_activation" ADD CONSTRAINT "policy_activation_profile_policy_profile_name_fk" FOREIGN KEY ("profile") REFERENCES "public"."policy_profile"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_override" ADD CONSTRAINT "policy_override_profile_policy_profile_name_fk" FOREIGN KEY ("profile") REFERENCES "public"."policy_profile"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_profile_version" ADD CONSTRAINT "policy_profile_version_profile_policy_profile_name_fk" FOREIGN KEY ("profile") REFERENCES "public"."policy_profile"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "policy_activation_effective_idx" ON "policy_activation" USING btree ("effective_from","id");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_override_in_force_idx" ON "policy_override" USING btree ("profile","section","path") WHERE "policy_override"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "policy_override_profile_idx" ON "policy_override" USING btree ("profile","section","id");--> statement-breakpoint
CREATE INDEX "policy_profile_version_profile_idx" ON "policy_profile_version" USING btree ("profile","id");