-- +goose Up
-- An edition's compile writes a delivery row per reader, and each row's
-- foreign keys were checked one by one: more than half of the row's cost.
-- Editions and their digests are never deleted (see 00040), and a
-- delivery's edition and digest are written by the compile that writes
-- it, so those two checks guarded nothing. (Its subscriber is still
-- checked: an erased reader's deliveries go with them.)
ALTER TABLE deliveries DROP CONSTRAINT deliveries_edition_id_fkey;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_group_id_fkey;

-- A digest's sections are compressed when stored and read back by every
-- batch that sends them: lz4 does both several times faster than the
-- default, pglz. A server built without lz4 keeps pglz.
-- +goose StatementBegin
DO $$
BEGIN
    ALTER TABLE edition_groups ALTER COLUMN sections SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'PostgreSQL was built without lz4: digests stay compressed with pglz';
END $$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE edition_groups ALTER COLUMN sections SET COMPRESSION default;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_group_id_fkey
    FOREIGN KEY (group_id) REFERENCES edition_groups (id) ON DELETE CASCADE;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_edition_id_fkey
    FOREIGN KEY (edition_id) REFERENCES editions (id) ON DELETE CASCADE;
