-- +goose Up
-- Clicks on the stories of the digests, counted through /r/ links, and
-- nothing per person (docs/privacy.md).

-- story_clicks: how many readers followed a story of an edition. The
-- counts per country and topic are these, added up by the story's tags.
CREATE TABLE story_clicks (
    edition_id bigint NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    item_id    bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    clicks     bigint NOT NULL DEFAULT 0 CHECK (clicks >= 0),
    PRIMARY KEY (edition_id, item_id)
);
CREATE INDEX story_clicks_item ON story_clicks (item_id);

-- click_nonces: the clicks of one message, to count each story once per
-- message and to tell a link scanner's burst from a reader. A message's
-- links carry a random nonce made when it was sent and stored nowhere
-- else: the row is keyed by its SHA-256 and holds no delivery, subscriber
-- or address. Rows go after 30 days (clicks.NonceTTL); a link older than
-- that counts nothing.
--   first_at: the first click on the message
--   recent:   the times of its latest clicks (a burst is many of them close)
--   stories:  the stories of the message counted so far
--   burst:    the message was clicked like a scanner does; it counts nothing
CREATE TABLE click_nonces (
    nonce_hash bytea PRIMARY KEY,
    first_at   timestamptz NOT NULL,
    recent     timestamptz[] NOT NULL DEFAULT '{}',
    stories    bigint[] NOT NULL DEFAULT '{}',
    burst      boolean NOT NULL DEFAULT false
);
CREATE INDEX click_nonces_first_at ON click_nonces (first_at);

-- +goose Down
DROP TABLE click_nonces;
DROP TABLE story_clicks;
