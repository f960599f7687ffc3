-- +goose Up
-- The languages are the catalogue's files (internal/i18n/locales): the
-- names of countries, regions and topics come from CLDR and those files
-- in every language, so the English and Spanish copies here go, and a
-- corrected example may be in any language the code accepts.
ALTER TABLE countries DROP COLUMN name_en, DROP COLUMN name_es;
ALTER TABLE regions DROP COLUMN name_en, DROP COLUMN name_es;
ALTER TABLE topics DROP COLUMN name_en, DROP COLUMN name_es;
ALTER TABLE tag_examples DROP CONSTRAINT tag_examples_language_check;

-- +goose Down
ALTER TABLE tag_examples ADD CONSTRAINT tag_examples_language_check CHECK (language IN ('en', 'es'));
ALTER TABLE topics ADD COLUMN name_en text NOT NULL DEFAULT '', ADD COLUMN name_es text NOT NULL DEFAULT '';
ALTER TABLE regions ADD COLUMN name_en text NOT NULL DEFAULT '', ADD COLUMN name_es text NOT NULL DEFAULT '';
ALTER TABLE countries ADD COLUMN name_en text NOT NULL DEFAULT '', ADD COLUMN name_es text NOT NULL DEFAULT '';
