-- +goose Up
-- items_translation_root finds a story's versions (the original and its
-- translations) from any one of them: the archive shows one version per
-- story and asks, for each story on its page, whether a better version
-- is there (ArchiveItems).
CREATE INDEX items_translation_root ON items ((COALESCE(translation_of, id)));

-- +goose Down
DROP INDEX items_translation_root;
