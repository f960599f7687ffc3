-- +goose Up
-- A confirmation mail is recorded as due before its task is queued, and a
-- worker claims it before sending, so neither a lagging worker nor many
-- tasks for one address send it twice (see postgres/subscribers.go).
--   confirm_due_at:     asked for and not yet sent (NULL: nothing due)
--   confirm_claimed_at: a worker is sending it (NULL: no one is); a claim
--                       older than the resend window is a worker that died
ALTER TABLE subscribers
    ADD COLUMN confirm_due_at     timestamptz,
    ADD COLUMN confirm_claimed_at timestamptz;

-- Mails that were asked for and never went out stay due, so the
-- reconciler still finds them.
UPDATE subscribers SET confirm_due_at = updated_at
WHERE status = 'pending' AND confirm_sent_at IS NULL AND confirm_token IS NOT NULL;

CREATE INDEX subscribers_confirm_due ON subscribers (confirm_due_at) WHERE confirm_due_at IS NOT NULL;

-- +goose Down
DROP INDEX subscribers_confirm_due;
ALTER TABLE subscribers DROP COLUMN confirm_due_at, DROP COLUMN confirm_claimed_at;
