CREATE TABLE "overdue_notice" (
	"subject" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"round_id" uuid NOT NULL,
	"alerted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "overdue_notice_subject_subject_id_due_at_pk" PRIMARY KEY("subject","subject_id","due_at"),
	CONSTRAINT "overdue_notice_subject_check" CHECK ("overdue_notice"."subject" in ('tube', 'recheck'))
);
--> statement-breakpoint
ALTER TABLE "alert" ADD COLUMN "group_key" text;--> statement-breakpoint
CREATE INDEX "overdue_notice_round_idx" ON "overdue_notice" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "alert_open_group_idx" ON "alert" USING btree ("kind","scope_path","group_key") WHERE "alert"."group_key" is not null and "alert"."acknowledged_at" is null;