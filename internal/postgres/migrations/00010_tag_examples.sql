-- +goose Up
-- The desk's corrections of the tagger, and the models learnt from them.

-- tag_examples are items an editor tagged: whenever an editor sets an
-- item's countries, regions or topics (from the API or the console), the
-- item's text and the lists the editor left, so the tagger's model learns
-- from them. One row per item: a later correction updates it. A list the
-- editor never set is NULL (not judged); an empty one means none.
CREATE TABLE tag_examples (
    id         bigserial PRIMARY KEY,
    -- item_id is NULL for an item that is gone; the example stays.
    item_id    bigint UNIQUE REFERENCES items (id) ON DELETE SET NULL,
    language   text NOT NULL CHECK (language IN ('en', 'es')),
    title      text NOT NULL,
    summary    text NOT NULL,
    countries  text[],
    regions    text[],
    topics     text[],
    -- added and removed are the tags the last correction set and took
    -- away ("countries:HN", "topics:health"): what the tagger got wrong.
    added      text[] NOT NULL DEFAULT '{}',
    removed    text[] NOT NULL DEFAULT '{}',
    editor     text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- tag_models are the models trained from the labelled items and the
-- examples; web and worker use the newest.
CREATE TABLE tag_models (
    id         bigserial PRIMARY KEY,
    trained_at timestamptz NOT NULL DEFAULT now(),
    examples   integer NOT NULL,
    model      jsonb NOT NULL
);

-- +goose Down
DROP TABLE tag_models;
DROP TABLE tag_examples;
