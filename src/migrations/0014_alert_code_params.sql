ALTER TABLE "alert" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "alert" ADD COLUMN "params" jsonb DEFAULT '{}'::jsonb NOT NULL;