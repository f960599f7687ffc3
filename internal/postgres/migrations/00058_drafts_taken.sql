-- +goose Up
-- taken_at: when the draft's import was confirmed. Its body is emptied
-- then, and the row kept until drafts of its day go, so that the
-- confirmation sent again (a double click) is told the import was made,
-- not that the draft expired and is to be uploaded again.
ALTER TABLE import_drafts ADD COLUMN taken_at timestamptz;

-- +goose Down
DELETE FROM import_drafts WHERE taken_at IS NOT NULL;
ALTER TABLE import_drafts DROP COLUMN taken_at;
