CREATE TABLE "alert" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"scope_path" text NOT NULL,
	"kind" text NOT NULL,
	"severity" text DEFAULT 'warning' NOT NULL,
	"title" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "policy_profile" (
	"name" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"settings" jsonb NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "key_group" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"frequency_days" integer NOT NULL,
	"division_id" uuid NOT NULL,
	"division_path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_group_kind_check" CHECK ("key_group"."kind" in ('delivery', 'medical', 'cold_chain', 'transport', 'custom'))
);
--> statement-breakpoint
CREATE TABLE "key_group_member" (
	"group_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"added_by" text NOT NULL,
	CONSTRAINT "key_group_member_group_id_resident_id_pk" PRIMARY KEY("group_id","resident_id")
);
--> statement-breakpoint
CREATE TABLE "lab_account" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "lab_account_name_unique" UNIQUE("name"),
	CONSTRAINT "lab_account_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "missed_reason" (
	"round_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"excludes" boolean NOT NULL,
	"note" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "missed_reason_round_id_resident_id_pk" PRIMARY KEY("round_id","resident_id")
);
--> statement-breakpoint
CREATE TABLE "positive_case" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resident_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"specimen_id" uuid NOT NULL,
	"tube_code" text NOT NULL,
	"grid_path" text NOT NULL,
	"confirmed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consumed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "recheck_order" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"grid_path" text NOT NULL,
	"source_tube_id" uuid NOT NULL,
	"source_specimen_id" uuid NOT NULL,
	"status" text DEFAULT 'ordered' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sampled_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "recheck_order_source_specimen_id_unique" UNIQUE("source_specimen_id"),
	CONSTRAINT "recheck_order_status_check" CHECK ("recheck_order"."status" in ('ordered', 'sampled', 'negative', 'positive'))
);
--> statement-breakpoint
CREATE TABLE "resident_code" (
	"token" text PRIMARY KEY NOT NULL,
	"resident_id" uuid NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issued_by" text NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sampling_site" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"division_id" uuid NOT NULL,
	"division_path" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'fixed' NOT NULL,
	"address" text,
	"lanes" integer DEFAULT 1 NOT NULL,
	"opens_at" text,
	"closes_at" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sampling_site_kind_check" CHECK ("sampling_site"."kind" in ('fixed', 'door_to_door'))
);
--> statement-breakpoint
CREATE TABLE "site_member" (
	"site_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"duty" text NOT NULL,
	CONSTRAINT "site_member_site_id_user_id_pk" PRIMARY KEY("site_id","user_id"),
	CONSTRAINT "site_member_duty_check" CHECK ("site_member"."duty" in ('sampler', 'scanner'))
);
--> statement-breakpoint
CREATE TABLE "specimen" (
	"id" uuid PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"round_id" uuid NOT NULL,
	"tube_id" uuid NOT NULL,
	"resident_id" uuid NOT NULL,
	"grid_path" text NOT NULL,
	"site_id" uuid,
	"sampler_name" text NOT NULL,
	"specimen_type" text DEFAULT 'throat' NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"out_of_scope" boolean DEFAULT false NOT NULL,
	"repeat" boolean DEFAULT false NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"recheck_order_id" uuid,
	CONSTRAINT "specimen_client_id_unique" UNIQUE("client_id"),
	CONSTRAINT "specimen_state_check" CHECK ("specimen"."state" in ('pending', 'negative', 'pool_positive', 'recheck_negative', 'confirmed_positive'))
);
--> statement-breakpoint
CREATE TABLE "test_round" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"scope_ids" uuid[] NOT NULL,
	"scope_paths" text[] NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"pool_size" integer NOT NULL,
	"household_pool" boolean DEFAULT false NOT NULL,
	"single_tube_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"profile_name" text NOT NULL,
	"turnaround_pooled_hours" integer NOT NULL,
	"turnaround_single_hours" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "test_round_kind_check" CHECK ("test_round"."kind" in ('area', 'key_groups', 'routine')),
	CONSTRAINT "test_round_status_check" CHECK ("test_round"."status" in ('open', 'closed')),
	CONSTRAINT "test_round_pool_check" CHECK ("test_round"."pool_size" between 1 and 50)
);
--> statement-breakpoint
CREATE TABLE "tube" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"round_id" uuid NOT NULL,
	"site_id" uuid,
	"kind" text NOT NULL,
	"capacity" integer NOT NULL,
	"members" integer DEFAULT 0 NOT NULL,
	"household_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"opened_by" text NOT NULL,
	"closed_at" timestamp with time zone,
	"result" text,
	"resulted_at" timestamp with time zone,
	"lab" text,
	CONSTRAINT "tube_code_unique" UNIQUE("code"),
	CONSTRAINT "tube_kind_check" CHECK ("tube"."kind" in ('pooled', 'single', 'recheck')),
	CONSTRAINT "tube_status_check" CHECK ("tube"."status" in ('open', 'closed')),
	CONSTRAINT "tube_result_check" CHECK ("tube"."result" is null or "tube"."result" in ('negative', 'positive', 'abnormal'))
);
--> statement-breakpoint
CREATE TABLE "tube_result" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tube_id" uuid NOT NULL,
	"result" text NOT NULL,
	"lab" text NOT NULL,
	"retest" boolean DEFAULT false NOT NULL,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "key_group" ADD CONSTRAINT "key_group_division_id_division_id_fk" FOREIGN KEY ("division_id") REFERENCES "public"."division"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_group_member" ADD CONSTRAINT "key_group_member_group_id_key_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."key_group"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_group_member" ADD CONSTRAINT "key_group_member_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missed_reason" ADD CONSTRAINT "missed_reason_round_id_test_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."test_round"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missed_reason" ADD CONSTRAINT "missed_reason_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positive_case" ADD CONSTRAINT "positive_case_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recheck_order" ADD CONSTRAINT "recheck_order_round_id_test_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."test_round"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recheck_order" ADD CONSTRAINT "recheck_order_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_code" ADD CONSTRAINT "resident_code_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sampling_site" ADD CONSTRAINT "sampling_site_division_id_division_id_fk" FOREIGN KEY ("division_id") REFERENCES "public"."division"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "site_member" ADD CONSTRAINT "site_member_site_id_sampling_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sampling_site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "specimen" ADD CONSTRAINT "specimen_round_id_test_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."test_round"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "specimen" ADD CONSTRAINT "specimen_tube_id_tube_id_fk" FOREIGN KEY ("tube_id") REFERENCES "public"."tube"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "specimen" ADD CONSTRAINT "specimen_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tube" ADD CONSTRAINT "tube_round_id_test_round_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."test_round"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tube_result" ADD CONSTRAINT "tube_result_tube_id_tube_id_fk" FOREIGN KEY ("tube_id") REFERENCES "public"."tube"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_scope_idx" ON "alert" USING btree ("scope_path" text_pattern_ops,"id");--> statement-breakpoint
CREATE INDEX "alert_created_idx" ON "alert" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "key_group_path_idx" ON "key_group" USING btree ("division_path");--> statement-breakpoint
CREATE INDEX "key_group_member_resident_idx" ON "key_group_member" USING btree ("resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "positive_case_person_round_uq" ON "positive_case" USING btree ("resident_id","round_id");--> statement-breakpoint
CREATE INDEX "positive_case_grid_idx" ON "positive_case" USING btree ("grid_path");--> statement-breakpoint
CREATE INDEX "recheck_order_round_idx" ON "recheck_order" USING btree ("round_id","status");--> statement-breakpoint
CREATE INDEX "recheck_order_grid_idx" ON "recheck_order" USING btree ("grid_path","status");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_code_live_uq" ON "resident_code" USING btree ("resident_id") WHERE "resident_code"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "sampling_site_path_idx" ON "sampling_site" USING btree ("division_path");--> statement-breakpoint
CREATE INDEX "specimen_round_resident_idx" ON "specimen" USING btree ("round_id","resident_id");--> statement-breakpoint
CREATE INDEX "specimen_tube_idx" ON "specimen" USING btree ("tube_id");--> statement-breakpoint
CREATE INDEX "specimen_resident_time_idx" ON "specimen" USING btree ("resident_id","scanned_at");--> statement-breakpoint
CREATE INDEX "specimen_round_grid_idx" ON "specimen" USING btree ("round_id","grid_path");--> statement-breakpoint
CREATE INDEX "test_round_created_idx" ON "test_round" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tube_round_idx" ON "tube" USING btree ("round_id","status");--> statement-breakpoint
CREATE INDEX "tube_result_tube_idx" ON "tube_result" USING btree ("tube_id");--> statement-breakpoint
CREATE INDEX "tube_result_conflict_idx" ON "tube_result" USING btree ("outcome","received_at");