-- +goose Up
-- Stories are stored without bidirectional controls (embeddings,
-- overrides, isolates and marks), which would show a title in another
-- order than it is written; ingest drops them now, and this drops them
-- once from the stories stored before.
UPDATE items SET
    title = regexp_replace(title, '[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]', '', 'g'),
    summary = regexp_replace(summary, '[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]', '', 'g')
WHERE title ~ '[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]' OR summary ~ '[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]';

-- +goose Down
SELECT 1; -- the characters dropped are not brought back
