-- +goose Up
-- A digest's sections are written once, by the compile, and read back
-- whole by every send batch that needs them; nothing looks inside them
-- in SQL. As jsonb each was parsed into a tree when written and printed
-- back when read: for a hundred thousand digests of 700 bytes, 1.8 s of
-- PostgreSQL's CPU to write and 0.35 s to read, against 0.5 s and 0.1 s
-- kept as the text the compile wrote (json is checked, not parsed into a
-- tree). A compile writes a digest for nearly every fifth reader. This
-- rewrites the table once. The column keeps lz4 (00041) where the server
-- has it.
ALTER TABLE edition_groups ALTER COLUMN sections TYPE json USING sections::json;
-- +goose StatementBegin
DO $$
BEGIN
    ALTER TABLE edition_groups ALTER COLUMN sections SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'PostgreSQL was built without lz4: digests stay compressed with pglz';
END $$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE edition_groups ALTER COLUMN sections TYPE jsonb USING sections::jsonb;
