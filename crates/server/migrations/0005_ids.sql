-- Records and tombstones by id alone: a push reads every record its mutations name or refer
-- to, and a pull every record of its page, in one `id IN (…)` statement each, whatever their
-- collections.
CREATE INDEX records_id ON records (id);
CREATE INDEX tombstones_id ON tombstones (id);
