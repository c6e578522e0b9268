-- division.child_count follows inserts, deletes and re-parenting of children.
UPDATE division d SET child_count = (SELECT count(*) FROM division c WHERE c.parent_id = d.id);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION division_child_count_sync() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.parent_id IS NOT NULL THEN
    UPDATE division SET child_count = child_count - 1 WHERE id = OLD.parent_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.parent_id IS NOT NULL THEN
    UPDATE division SET child_count = child_count + 1 WHERE id = NEW.parent_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER division_child_count_ins_del AFTER INSERT OR DELETE ON division
  FOR EACH ROW EXECUTE FUNCTION division_child_count_sync();
--> statement-breakpoint
CREATE TRIGGER division_child_count_reparent AFTER UPDATE OF parent_id ON division
  FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION division_child_count_sync();
