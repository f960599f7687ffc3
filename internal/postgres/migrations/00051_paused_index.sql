-- +goose Up
-- The readers who ever paused their digests, for the subscriber list's
-- "paused" filter and count: a few among many, found without reading the
-- table.
CREATE INDEX subscribers_paused ON subscribers (id) WHERE paused_until IS NOT NULL;

-- +goose Down
DROP INDEX subscribers_paused;
