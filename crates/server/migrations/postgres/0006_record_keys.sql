-- Fewer indexes for a write to keep up to date: records are keyed by id first, so the key
-- serves a push's and a pull's `id IN (…)` reads and the separate `records_id` index goes.
ALTER TABLE records DROP CONSTRAINT records_pkey;
ALTER TABLE records ADD PRIMARY KEY (id, collection);
DROP INDEX records_id;
