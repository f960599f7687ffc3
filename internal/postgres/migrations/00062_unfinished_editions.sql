-- +goose Up
-- The editions not finished, which the reconciler reads every minute and
-- the metrics at every scrape: a handful, while the table keeps every
-- edition ever made (readers' slots add one every quarter hour, some
-- 35,000 a year). The statuses are those of domain.EditionStatus that
-- are not Finished; the queries name them as literals, so that a
-- prepared statement's generic plan can use the index.
CREATE INDEX editions_unfinished ON editions (id) WHERE status IN ('queued', 'compiling', 'sending', 'paused');

-- +goose Down
DROP INDEX editions_unfinished;
