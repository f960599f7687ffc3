-- +goose Up
-- The list's name in each language, as the desk sets it in the console
-- (/admin/settings): the digest's header, the From line and the subjects
-- of its mails. A language without a row takes the default (MAIL_FROM's
-- display name, else the language file's), so a desk that sets nothing
-- sees nothing change.
CREATE TABLE list_names (
    language   text PRIMARY KEY,
    name       text NOT NULL CHECK (name <> '' AND char_length(name) <= 80),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
);

-- +goose Down
DROP TABLE list_names;
