-- +goose Up
-- A reader's preferences token is replaced each time a sign-up of theirs
-- is confirmed; the mails of before, still in their inbox, carry the old
-- one in their unsubscribe link and List-Unsubscribe header. Those links
-- keep unsubscribing (and do nothing else): each replaced token is kept
-- here as its SHA-256 only, with the subscriber it was theirs of.
CREATE TABLE retired_tokens (
    token_hash    bytea PRIMARY KEY,
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    retired_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX retired_tokens_subscriber ON retired_tokens (subscriber_id);

-- +goose Down
DROP TABLE retired_tokens;
