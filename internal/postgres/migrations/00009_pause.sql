-- +goose Up
-- paused_until: the subscriber asked for no digests until then (1 to 8
-- weeks from the request). Editions made before it skip them with reason
-- "paused"; once it has passed they receive again, with nothing to undo.
ALTER TABLE subscribers ADD COLUMN paused_until timestamptz;

-- notices are the one-off mails besides the confirmation: "welcome" after
-- a confirmation, "known" to an active address that was signed up again.
-- Like the confirmation mail (00006), a notice is recorded as due before
-- its task is queued and claimed by one worker before it is sent, so
-- neither retries nor repeated sign-ups send it twice.
--   due_at:     asked for and not yet sent (NULL: nothing due)
--   claimed_at: a worker is sending it; an old claim is a worker that died
--   sent_at:    the last one sent (a "known" notice waits a while after it)
CREATE TABLE notices (
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('welcome', 'known')),
    due_at        timestamptz,
    claimed_at    timestamptz,
    sent_at       timestamptz,
    PRIMARY KEY (subscriber_id, kind)
);
CREATE INDEX notices_due ON notices (due_at) WHERE due_at IS NOT NULL;

-- Pausing and resuming are recorded with the other consent records.
ALTER TABLE consents DROP CONSTRAINT consents_action_check;
ALTER TABLE consents ADD CONSTRAINT consents_action_check
    CHECK (action IN ('subscribe', 'confirm', 'preferences', 'unsubscribe', 'import', 'suppress', 'erase',
                      'pause', 'resume'));

-- +goose Down
DELETE FROM consents WHERE action IN ('pause', 'resume');
ALTER TABLE consents DROP CONSTRAINT consents_action_check;
ALTER TABLE consents ADD CONSTRAINT consents_action_check
    CHECK (action IN ('subscribe', 'confirm', 'preferences', 'unsubscribe', 'import', 'suppress', 'erase'));
DROP TABLE notices;
ALTER TABLE subscribers DROP COLUMN paused_until;
