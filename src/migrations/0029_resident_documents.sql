CREATE TABLE "resident_document" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resident_id" uuid NOT NULL,
	"doc_type" text NOT NULL,
	"country" text DEFAULT '' NOT NULL,
	"number_enc" text NOT NULL,
	"number_bidx" text NOT NULL,
	"number_last4" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resident_document" ADD CONSTRAINT "resident_document_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "resident_document_uq" ON "resident_document" USING btree ("doc_type","country","number_bidx");--> statement-breakpoint
CREATE INDEX "resident_document_bidx_idx" ON "resident_document" USING btree ("number_bidx");--> statement-breakpoint
CREATE INDEX "resident_document_resident_idx" ON "resident_document" USING btree ("resident_id");