-- +goose Up
-- The reader's links each do one thing.

-- view_token opens one group's digest of an edition on the web, and
-- nothing else: it is what the digest's "view on the web" link and its
-- links to stories carry, so a reader may forward them. 16 random bytes
-- (gen_random_uuid's 122 random bits) in unpadded base64url, the shape of
-- every token (package token).
ALTER TABLE edition_groups ADD COLUMN view_token text NOT NULL
    DEFAULT translate(rtrim(encode(uuid_send(gen_random_uuid()), 'base64'), '='), '+/', '-_');
CREATE UNIQUE INDEX edition_groups_view_token ON edition_groups (view_token);

-- export_links: a person's copy of their data is downloaded through a
-- link mailed to their address, short-lived and used once, never through
-- the preferences link itself. The row is asked for, taken and sent like
-- a notice (00009); the link's token is stored as its SHA-256 only.
--   due_at:     asked for and not yet sent (NULL: nothing due)
--   claimed_at: a worker is sending it; an old claim is a worker that died
--   sent_at:    the last one sent (another waits a while after it)
--   token_hash, expires_at: the link mailed last; NULL once it was used
CREATE TABLE export_links (
    subscriber_id bigint PRIMARY KEY REFERENCES subscribers (id) ON DELETE CASCADE,
    due_at        timestamptz,
    claimed_at    timestamptz,
    sent_at       timestamptz,
    token_hash    bytea UNIQUE,
    expires_at    timestamptz
);
CREATE INDEX export_links_due ON export_links (due_at) WHERE due_at IS NOT NULL;

-- An erased address may sign up again (a new row, through the double
-- opt-in): only the live rows keep addresses unique. Erased rows keep the
-- keyed hash that stops imports bringing the person back, and two
-- erasures of one address leave the same hash twice.
DROP INDEX subscribers_email;
CREATE UNIQUE INDEX subscribers_email ON subscribers (lower(email)) WHERE status <> 'erased';
CREATE INDEX subscribers_email_any ON subscribers (lower(email));

-- +goose Down
DROP INDEX subscribers_email_any;
DROP INDEX subscribers_email;
CREATE UNIQUE INDEX subscribers_email ON subscribers (lower(email));
DROP TABLE export_links;
DROP INDEX edition_groups_view_token;
ALTER TABLE edition_groups DROP COLUMN view_token;
