-- +goose Up
-- A failed poll's words, so the console can say last_error (English, as
-- the API answers it) in its reader's language: the English format and
-- its arguments (a JSON array), an unusable document's first faults
-- (line or entry, fault code, its argument, the English message) and the
-- technical cause (Go's error). An error recorded before has no format
-- and is shown as last_error says it.
ALTER TABLE sources
    ADD COLUMN last_error_format text NOT NULL DEFAULT '',
    ADD COLUMN last_error_args jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN last_error_lines jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN last_error_detail text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sources
    DROP COLUMN last_error_format,
    DROP COLUMN last_error_args,
    DROP COLUMN last_error_lines,
    DROP COLUMN last_error_detail;
