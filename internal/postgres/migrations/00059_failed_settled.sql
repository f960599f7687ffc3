-- +goose Up
-- settled_at: when the reconciler found nothing of a failed edition in
-- flight any more (no delivery pending or sending) long enough after it
-- failed that nothing can be put back (domain.FailedSettleAfter). Until
-- then the reconciler looks at its deliveries every minute for those to
-- abandon; that read every delivery of every failed edition ever, 2.3 s
-- a minute for five failed editions of 100,000. A column without a
-- default: no table is rewritten; the failed editions stored before it
-- are settled at the first reconcile.
ALTER TABLE editions ADD COLUMN settled_at timestamptz;
CREATE INDEX editions_failed_unsettled ON editions (id) WHERE status = 'failed' AND settled_at IS NULL;

-- +goose Down
DROP INDEX editions_failed_unsettled;
ALTER TABLE editions DROP COLUMN settled_at;
