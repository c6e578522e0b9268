CREATE TABLE "result_conflict" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tube_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"held" text NOT NULL,
	"incoming" text NOT NULL,
	"lab" text NOT NULL,
	"retest" boolean NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"resolved_by" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "result_conflict_status_check" CHECK ("result_conflict"."status" in ('open', 'kept', 'accepted'))
);
--> statement-breakpoint
ALTER TABLE "result_conflict" ADD CONSTRAINT "result_conflict_tube_id_tube_id_fk" FOREIGN KEY ("tube_id") REFERENCES "public"."tube"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "result_conflict_round_idx" ON "result_conflict" USING btree ("round_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "result_conflict_open_uq" ON "result_conflict" USING btree ("tube_id","incoming") WHERE "result_conflict"."status" = 'open';