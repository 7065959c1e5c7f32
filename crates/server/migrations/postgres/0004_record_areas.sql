-- Each live record's area beside its body, indexed, so the server can ask which role
-- assignments cover an area (whose holders a moved record may leave) without reading every
-- record.
ALTER TABLE records ADD COLUMN area TEXT;
UPDATE records SET area = (body::json -> 'area' ->> 'value');
CREATE INDEX records_area ON records (collection, area);
