-- How many entry codes an edition has handed out. Codes come from this
-- counter, not from counting rows, so a deleted draft never makes the next
-- code collide with a live one, and no code is ever given twice.
ALTER TABLE editions ADD COLUMN entries_numbered INTEGER NOT NULL DEFAULT 0;
UPDATE editions SET entries_numbered = (
    SELECT COALESCE(MAX(CAST(substr(code, instr(code, '-') + 1) AS INTEGER)), 0)
      FROM entries WHERE entries.edition_id = editions.id
);
