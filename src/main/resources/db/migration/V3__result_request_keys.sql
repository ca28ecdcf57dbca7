-- The key of the update that wrote each result version (the bus client's, one per update, kept when the
-- update is sent again to another repository node): a repeat of an update already applied is answered as
-- the first time instead of 412. Null for versions written before this migration.
ALTER TABLE assessment_result ADD COLUMN request_key VARCHAR(64);
