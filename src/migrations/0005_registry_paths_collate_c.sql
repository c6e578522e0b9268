-- Paths and sort keys compare byte-wise: with collation "C" one plain btree index serves both
-- the scope predicate (grid_path LIKE '/…/%') and keyset ordering. The indexes are rebuilt.
ALTER TABLE building ALTER COLUMN grid_path TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE household ALTER COLUMN grid_path TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE household ALTER COLUMN sort_key TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE resident ALTER COLUMN grid_path TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE resident ALTER COLUMN sort_key TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE resident ALTER COLUMN name_initials TYPE text COLLATE "C";
--> statement-breakpoint
ALTER TABLE resident ALTER COLUMN name_pinyin TYPE text COLLATE "C";
