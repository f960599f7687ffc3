-- +goose Up
-- An audit entry's detail as the code made it: the English format and
-- its arguments (a JSON array), so the console can say it in its
-- reader's language; detail keeps the English text. Entries recorded
-- before have no format and are shown as detail says them.
ALTER TABLE audit_log
    ADD COLUMN detail_format text NOT NULL DEFAULT '',
    ADD COLUMN detail_args jsonb NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE audit_log
    DROP COLUMN detail_format,
    DROP COLUMN detail_args;
