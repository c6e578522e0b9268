ALTER TABLE "tube" DROP CONSTRAINT "tube_result_check";--> statement-breakpoint
DROP INDEX "positive_case_person_round_uq";--> statement-breakpoint
ALTER TABLE "positive_case" ADD COLUMN "episode" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "positive_case" ADD COLUMN "status" text DEFAULT 'screening' NOT NULL;--> statement-breakpoint
ALTER TABLE "positive_case" ADD COLUMN "report_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "positive_case" ADD COLUMN "reported_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "positive_case" ADD COLUMN "decided_by" text;--> statement-breakpoint
ALTER TABLE "positive_case" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "recheck_order" ADD COLUMN "reason" text DEFAULT 'pool_positive' NOT NULL;--> statement-breakpoint
ALTER TABLE "recheck_order" ADD COLUMN "deadline" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "recheck_order" ADD COLUMN "assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "recheck_order" ADD COLUMN "assignee_name" text;--> statement-breakpoint
ALTER TABLE "tube" ADD COLUMN "result_word" text;--> statement-breakpoint
ALTER TABLE "tube" ADD COLUMN "ct_n" double precision;--> statement-breakpoint
ALTER TABLE "tube" ADD COLUMN "ct_orf1ab" double precision;--> statement-breakpoint
ALTER TABLE "tube_result" ADD COLUMN "result_word" text;--> statement-breakpoint
ALTER TABLE "tube_result" ADD COLUMN "ct_n" double precision;--> statement-breakpoint
ALTER TABLE "tube_result" ADD COLUMN "ct_orf1ab" double precision;--> statement-breakpoint
-- Positives were recorded once per person and round; one episode per person now: each person keeps their first.
DELETE FROM "positive_case" p USING "positive_case" q WHERE p."resident_id" = q."resident_id" AND (p."confirmed_at", p."id") > (q."confirmed_at", q."id");--> statement-breakpoint
CREATE UNIQUE INDEX "positive_case_person_episode_uq" ON "positive_case" USING btree ("resident_id","episode");--> statement-breakpoint
CREATE UNIQUE INDEX "positive_case_open_uq" ON "positive_case" USING btree ("resident_id") WHERE "positive_case"."status" <> 'excluded';--> statement-breakpoint
ALTER TABLE "positive_case" ADD CONSTRAINT "positive_case_status_check" CHECK ("positive_case"."status" in ('screening', 'confirmed', 'asymptomatic', 'excluded'));--> statement-breakpoint
ALTER TABLE "recheck_order" ADD CONSTRAINT "recheck_order_reason_check" CHECK ("recheck_order"."reason" in ('pool_positive', 'abnormal', 'invalid'));--> statement-breakpoint
ALTER TABLE "tube" ADD CONSTRAINT "tube_result_check" CHECK ("tube"."result" is null or "tube"."result" in ('negative', 'positive', 'abnormal', 'invalid'));