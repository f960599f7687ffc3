-- +goose Up
-- Item quality: why each tag was set, which fields an editor changed (a
-- story arriving again never overwrites them), and what recognises a story
-- when it comes back slightly edited or in another language.
ALTER TABLE items
    -- tag_reasons is {"countries": {"CR": "place: Upala"}, "regions": {…},
    -- "topics": {…}}: the rule that set each tag, or "editor".
    ADD COLUMN tag_reasons      jsonb  NOT NULL DEFAULT '{}',
    -- edited_fields names the fields an editor set (title, summary, url,
    -- countries, regions, topics, hidden, translations).
    ADD COLUMN edited_fields    text[] NOT NULL DEFAULT '{}',
    -- title_tokens are the folded words of the title as it first arrived,
    -- compared with a new copy's to recognise a slightly edited title.
    ADD COLUMN title_tokens     text[] NOT NULL DEFAULT '{}',
    -- translation_keys link language versions: items in different
    -- languages sharing a key are one story (see ingest.TranslationKeys).
    ADD COLUMN translation_keys text[] NOT NULL DEFAULT '{}',
    -- translation_of is the first stored version of the story, for its
    -- other versions; NULL for that first one and for single items.
    ADD COLUMN translation_of   bigint REFERENCES items (id) ON DELETE SET NULL
        CHECK (translation_of <> id);

CREATE INDEX items_translation_keys ON items USING gin (translation_keys);
CREATE INDEX items_translation_of ON items (translation_of) WHERE translation_of IS NOT NULL;

-- Items stored before this migration get title words folded the way
-- ingest folds them (lower case, common accents dropped, split on what is
-- not a letter or digit), so a slightly edited copy of them is recognised
-- too. Their translation keys stay empty: an editor links those by PATCH.
UPDATE items SET title_tokens = ARRAY(
    SELECT DISTINCT w
    FROM regexp_split_to_table(
        translate(lower(title), 'áàâäãåéèêëíìîïóòôöõøúùûüñçýÿ', 'aaaaaaeeeeiiiioooooouuuuncyy'),
        '[^[:alnum:]]+') AS w
    WHERE w <> ''
    ORDER BY w);

-- +goose Down
DROP INDEX items_translation_of;
DROP INDEX items_translation_keys;
ALTER TABLE items
    DROP COLUMN translation_of,
    DROP COLUMN translation_keys,
    DROP COLUMN title_tokens,
    DROP COLUMN edited_fields,
    DROP COLUMN tag_reasons;
