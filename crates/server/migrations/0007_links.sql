-- The keys that sign the links the server gives people (to withdraw their consent without an
-- account), one per purpose, made at random on first use and shared by every server process.
CREATE TABLE link_keys (
    purpose TEXT PRIMARY KEY,
    -- 32 random bytes, hex-encoded.
    secret TEXT NOT NULL
);

-- The organisation's retention rule: at most one row, absent until a national admin sets it.
-- Nobody is erased by it without an admin's action; it only decides whom the review lists.
CREATE TABLE retention_rule (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- People with no contact recorded for this many months are listed, unless they consented
    -- to be contacted.
    months BIGINT NOT NULL,
    set_by TEXT NOT NULL,
    set_at BIGINT NOT NULL
);
