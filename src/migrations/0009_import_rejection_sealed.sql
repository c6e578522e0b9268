ALTER TABLE "import_rejection" ALTER COLUMN "cells" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "import_job" ADD COLUMN "error_field" text;--> statement-breakpoint
ALTER TABLE "import_job" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "import_rejection" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "import_rejection" ADD COLUMN "cells_enc" text;--> statement-breakpoint
ALTER TABLE "import_rejection" ADD COLUMN "id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "import_rejection_id_uq" ON "import_rejection" USING btree ("id");