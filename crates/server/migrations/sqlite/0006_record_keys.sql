-- Fewer indexes for a write to keep up to date.
--
-- Records are keyed by id first, so the key serves a push's and a pull's `id IN (…)` reads and
-- the separate `records_id` index goes. SQLite cannot change a table's key in place: the table
-- is copied.
CREATE TABLE records_by_id (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    about TEXT,
    body TEXT NOT NULL,
    writers TEXT NOT NULL,
    area TEXT,
    PRIMARY KEY (id, collection)
);
INSERT INTO records_by_id (collection, id, created_by, about, body, writers, area)
    SELECT collection, id, created_by, about, body, writers, area FROM records;
DROP TABLE records;
ALTER TABLE records_by_id RENAME TO records;
CREATE INDEX records_created_by ON records (created_by, collection);
CREATE INDEX records_about ON records (about);
CREATE INDEX records_area ON records (collection, area);

-- The feed's version becomes the table's own row id (`INTEGER PRIMARY KEY`), not a second
-- index beside it.
CREATE TABLE sync_feed_by_version (
    version INTEGER PRIMARY KEY,
    entity TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    collection TEXT,
    target TEXT
);
INSERT INTO sync_feed_by_version (version, entity, kind, collection, target)
    SELECT version, entity, kind, collection, target FROM sync_feed;
DROP TABLE sync_feed;
ALTER TABLE sync_feed_by_version RENAME TO sync_feed;
