-- +goose Up
-- The tagger learns the desk's ways (see internal/tagging).

-- Models are stored compact (gzip over a binary layout) instead of as
-- JSON: one learnt from thousands of items has hundreds of thousands of
-- weights. A stored model is only a cache of what tag_examples teach, so
-- the old ones are dropped; until the worker trains the next, every
-- process trains one in memory from the same data.
DELETE FROM tag_models;
ALTER TABLE tag_models DROP COLUMN model;
ALTER TABLE tag_models ADD COLUMN model bytea NOT NULL;
ALTER TABLE tag_models ADD COLUMN desk_examples integer NOT NULL DEFAULT 0;

-- tagger_topics are the topics the tagger had given the item when an
-- editor first set its topics: the console's per-topic figures compare
-- the editor's choice with them. Examples kept before this column are
-- filled from what their last correction added and removed.
ALTER TABLE tag_examples ADD COLUMN tagger_topics text[];
UPDATE tag_examples e SET tagger_topics = ARRAY(
    SELECT t FROM unnest(e.topics) AS t WHERE 'topics:' || t <> ALL (e.added)
    UNION
    SELECT substr(r, 8) FROM unnest(e.removed) AS r WHERE r LIKE 'topics:%'
    ORDER BY 1)
WHERE e.topics IS NOT NULL;
CREATE INDEX tag_examples_updated ON tag_examples (updated_at);

-- tag_suggestions are the changes the tagger proposes, after it learnt
-- from the desk, to the tags of stories not yet sent: never applied
-- until an editor accepts them. One per item, replaced at every
-- retraining. from_* are the item's lists when suggested (an accept
-- checks they have not changed since), to_* the lists proposed (equal to
-- from_* for a list the suggestion leaves alone), reasons the reasons of
-- the proposed tags, and changes each tag added or removed with why:
-- [{"kind": "topics", "code": "protection", "add": true, "why": "model: …"}].
CREATE TABLE tag_suggestions (
    item_id        bigint PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    model_id       bigint NOT NULL,
    from_countries text[] NOT NULL,
    from_regions   text[] NOT NULL,
    from_topics    text[] NOT NULL,
    to_countries   text[] NOT NULL,
    to_regions     text[] NOT NULL,
    to_topics      text[] NOT NULL,
    reasons        jsonb NOT NULL,
    changes        jsonb NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE tag_suggestions;
DROP INDEX tag_examples_updated;
ALTER TABLE tag_examples DROP COLUMN tagger_topics;
DELETE FROM tag_models;
ALTER TABLE tag_models DROP COLUMN desk_examples;
ALTER TABLE tag_models DROP COLUMN model;
ALTER TABLE tag_models ADD COLUMN model jsonb NOT NULL;
