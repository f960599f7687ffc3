-- +goose Up
-- The news desk's console: editor accounts, their sessions, the audit log
-- of what anyone did from the console or the API, and the statuses the
-- console's actions need.

-- editors are the people besides the built-in owner (user "admin" with
-- ADMIN_PASSWORD) who may use the console; they log in with their email.
CREATE TABLE editors (
    id                  bigserial PRIMARY KEY,
    email               text NOT NULL,
    -- password_hash is an argon2id PHC string ($argon2id$v=19$…).
    password_hash       text NOT NULL,
    created_by          text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX editors_email ON editors (lower(email));

-- admin_sessions are console logins. The cookie holds a random token;
-- only its SHA-256 is stored, so a copy of this table logs no one in.
CREATE TABLE admin_sessions (
    token_hash   bytea PRIMARY KEY,
    -- editor_id is NULL for the owner, whose sessions end when
    -- ADMIN_PASSWORD changes (owner_key no longer matches it).
    editor_id    bigint REFERENCES editors (id) ON DELETE CASCADE,
    owner_key    bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT '',
    CHECK ((editor_id IS NULL) <> (owner_key IS NULL))
);
CREATE INDEX admin_sessions_editor ON admin_sessions (editor_id);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires_at);

-- audit_log records every admin action: who (an account, or "api" for
-- the bearer token), when, what, and on which object.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    action      text NOT NULL,
    object_type text NOT NULL DEFAULT '',
    object_id   text NOT NULL DEFAULT '',
    detail      text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);

-- import_drafts hold an upload between its preview and the editor's
-- confirmation, so what is written is exactly what was previewed. A
-- draft is used once; drafts older than a day are removed.
CREATE TABLE import_drafts (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('items', 'subscribers')),
    format     text NOT NULL DEFAULT '',
    body       bytea NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- suppressed: an operator stopped all mail to the address; like bounced,
-- nothing (a sign-up, an import) revives it.
ALTER TABLE subscribers DROP CONSTRAINT subscribers_status_check;
ALTER TABLE subscribers ADD CONSTRAINT subscribers_status_check
    CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'suppressed', 'erased'));

-- Consent records of what an operator did on a person's behalf.
ALTER TABLE consents DROP CONSTRAINT consents_action_check;
ALTER TABLE consents ADD CONSTRAINT consents_action_check
    CHECK (action IN ('subscribe', 'confirm', 'preferences', 'unsubscribe', 'import', 'suppress', 'erase'));
-- actor is who acted for an operator action ('' when the person did).
ALTER TABLE consents ADD COLUMN actor text NOT NULL DEFAULT '';

-- reason says why a delivery was skipped: "nothing matched" at compile,
-- "cancelled" when an editor stopped the edition, "left" when the person
-- had gone by the time it was sent.
ALTER TABLE deliveries ADD COLUMN reason text NOT NULL DEFAULT '';
CREATE INDEX deliveries_failed ON deliveries (edition_id, id) WHERE status = 'failed';

-- +goose Down
DROP INDEX deliveries_failed;
ALTER TABLE deliveries DROP COLUMN reason;
ALTER TABLE consents DROP COLUMN actor;
ALTER TABLE consents DROP CONSTRAINT consents_action_check;
ALTER TABLE consents ADD CONSTRAINT consents_action_check
    CHECK (action IN ('subscribe', 'confirm', 'preferences', 'unsubscribe', 'import'));
ALTER TABLE subscribers DROP CONSTRAINT subscribers_status_check;
ALTER TABLE subscribers ADD CONSTRAINT subscribers_status_check
    CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'erased'));
DROP TABLE import_drafts, audit_log, admin_sessions, editors;
