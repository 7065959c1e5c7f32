-- The server side of the sync protocol (organise_core::sync::server), one table per part of
-- its state. Records are stored as JSON bodies; what the protocol queries by (who a record is
-- about, who created it, which ids its fields refer to) is kept beside them in indexed columns
-- and tables written with each record.
--
-- Areas and role assignments become sync records, so the permission rules read one source of
-- truth; the account tables keep only what sync never carries (password hashes, sessions).
DROP TABLE role_assignments;
DROP TABLE areas;

-- One row: the version of the latest commit, taken under the writers' lock, and the epochs.
CREATE TABLE sync_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL,
    tree_epoch BIGINT NOT NULL,
    -- Bumped whenever an area record is written, so servers can keep the area tree cached.
    area_generation BIGINT NOT NULL
);
INSERT INTO sync_head (id, version, tree_epoch, area_generation) VALUES (1, 0, 0, 0);

CREATE TABLE records (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    -- The person the record is about (conversations, attendances, stories, survey answers).
    about TEXT,
    -- The record with its per-field versions (JSON), and who wrote each field (JSON).
    body TEXT NOT NULL,
    writers TEXT NOT NULL,
    PRIMARY KEY (collection, id)
);
CREATE INDEX records_created_by ON records (created_by, collection);
CREATE INDEX records_about ON records (about);

-- Every id a live record's fields refer to, by field.
CREATE TABLE record_refs (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    field TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (collection, id, field, target)
);
CREATE INDEX record_refs_target ON record_refs (target, field, collection);

-- Deleted records: only their references are kept.
CREATE TABLE tombstones (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    about TEXT,
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (collection, id)
);
CREATE INDEX tombstones_about ON tombstones (about);

CREATE TABLE tombstone_refs (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    field TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (collection, id, field, target)
);
CREATE INDEX tombstone_refs_target ON tombstone_refs (target);

CREATE TABLE conflicts (
    id BIGINT PRIMARY KEY,
    collection TEXT NOT NULL,
    record_id TEXT NOT NULL,
    is_open BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX conflicts_record ON conflicts (collection, record_id, is_open);

-- The ids a conflict mentions: its record's and any in its two values.
CREATE TABLE conflict_refs (
    conflict_id BIGINT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (conflict_id, target)
);
CREATE INDEX conflict_refs_target ON conflict_refs (target);

-- Per client: its user, last seq and unacknowledged outcomes (JSON).
CREATE TABLE sync_clients (
    client_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    body TEXT NOT NULL
);

-- Every erased id, forever, so nothing erased can come back.
CREATE TABLE erased_ids (
    id TEXT PRIMARY KEY
);

CREATE TABLE erasures (
    version BIGINT PRIMARY KEY,
    body TEXT NOT NULL
);

CREATE TABLE scope_epochs (
    user_id TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

-- The change feed: one entry per entity, at the entity's latest version.
CREATE TABLE sync_feed (
    version BIGINT PRIMARY KEY,
    entity TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    collection TEXT,
    target TEXT
);

-- Audit entries name the area they concern, so an admin reads those within their areas.
ALTER TABLE audit_log ADD COLUMN area_id TEXT;
CREATE INDEX audit_log_area ON audit_log (area_id, id);

-- Invitations: a link an organiser shares; only the hash of its token is stored.
CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    area_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_by TEXT REFERENCES users (id),
    revoked BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX invites_area ON invites (area_id, created_at);
