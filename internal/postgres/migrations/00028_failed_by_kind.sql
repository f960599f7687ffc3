-- +goose Up
-- An edition's page counts its failed deliveries by how they failed and
-- lists the first of each kind (FailureCounts, FailedDeliveries). With
-- deliveries_failed (edition_id, id) both read every failed row from the
-- table, half a second for 10,000 of them at a million; this index
-- answers the count from itself and the list in order.
CREATE INDEX deliveries_failed_kind ON deliveries (edition_id, failure, id) WHERE status = 'failed';

-- +goose Down
DROP INDEX deliveries_failed_kind;
