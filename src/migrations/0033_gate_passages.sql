CREATE TABLE "exit_pass" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"household_path" text NOT NULL,
	"day" date NOT NULL,
	"seq" integer NOT NULL,
	"token" text NOT NULL,
	"issued_by" text NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone,
	"used_at_checkpoint" uuid
);
--> statement-breakpoint
CREATE TABLE "gate_passage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"checkpoint_id" uuid NOT NULL,
	"community_path" text NOT NULL,
	"direction" text NOT NULL,
	"resident_id" uuid,
	"household_id" uuid,
	"name" text DEFAULT '' NOT NULL,
	"visitor_id_enc" text,
	"visitor_id_bidx" text,
	"visitor_id_last4" text,
	"visitor_phone_enc" text,
	"visitor_phone_last4" text,
	"exit_pass_id" uuid,
	"allowed" boolean NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"day" date NOT NULL,
	"client_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "gate_passage" ADD CONSTRAINT "gate_passage_checkpoint_id_checkpoint_id_fk" FOREIGN KEY ("checkpoint_id") REFERENCES "public"."checkpoint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "exit_pass_token_idx" ON "exit_pass" USING btree ("token");--> statement-breakpoint
CREATE UNIQUE INDEX "exit_pass_household_day_idx" ON "exit_pass" USING btree ("household_id","day","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "gate_passage_client_idx" ON "gate_passage" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "gate_passage_checkpoint_idx" ON "gate_passage" USING btree ("checkpoint_id","day","at");--> statement-breakpoint
CREATE INDEX "gate_passage_scope_idx" ON "gate_passage" USING btree ("community_path" text_pattern_ops,"day");