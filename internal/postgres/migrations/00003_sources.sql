-- +goose Up
-- sources are URLs the worker polls for items (feeds or plain-text listings).
CREATE TABLE sources (
    id               bigserial PRIMARY KEY,
    url              text NOT NULL UNIQUE,
    kind             text NOT NULL CHECK (kind IN ('feed', 'listing')),
    interval_seconds integer NOT NULL CHECK (interval_seconds >= 60),
    -- validators of the last good fetch, sent back for a conditional GET.
    etag             text NOT NULL DEFAULT '',
    last_modified    text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- next_poll_at is when the reconciler queues the next poll; a poll
    -- claims its slot by moving it (see ClaimPoll), so workers never
    -- poll the same slot twice.
    next_poll_at     timestamptz NOT NULL DEFAULT now(),
    last_polled_at   timestamptz,
    last_success_at  timestamptz,
    last_error       text NOT NULL DEFAULT '',
    last_error_at    timestamptz
);
CREATE INDEX sources_next_poll ON sources (next_poll_at);

-- source_items records which items each source delivered; a story carried
-- by two feeds counts for both.
CREATE TABLE source_items (
    source_id bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    item_id   bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, item_id)
);
CREATE INDEX source_items_item ON source_items (item_id);

-- +goose Down
DROP TABLE source_items, sources;
