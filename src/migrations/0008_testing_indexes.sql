ALTER TABLE "specimen" DROP CONSTRAINT "specimen_tube_id_tube_id_fk";
--> statement-breakpoint
CREATE INDEX "recheck_order_resident_idx" ON "recheck_order" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "resident_code_resident_idx" ON "resident_code" USING btree ("resident_id");--> statement-breakpoint
-- A lab's results update every specimen of a tube (state) and the tube (result); neither column
-- is indexed, so with room on the page the update is HOT and touches none of the indexes
-- (bench/results: 2.5 M specimens updated per 250,000 tubes).
ALTER TABLE "specimen" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "tube" SET (fillfactor = 80);
