-- +goose Up
-- After 00044 a claim is a heap-only update, but the record (sending to
-- sent, the other update every delivery gets) was not: it takes the
-- delivery out of deliveries_unfinished, so PostgreSQL wrote the row
-- elsewhere and a new entry in every index of the table, two of them
-- (the edition's readers, the subscriber's deliveries) at places all
-- over their trees.
--
-- The same index without its predicate serves what it served: a claim
-- finds its batch by edition and range of ids; the finish check, the
-- reconciler, cancelling and retrying read an edition's deliveries in
-- order and look at each one's status; the sender asks for that only
-- once the edition's counts say it is done. It takes an entry when the
-- compile writes a delivery, as the partial index did, and none after:
-- no index names sent_at, last_error or status any more, so recording
-- a delivery sent leaves every index alone too.
DROP INDEX deliveries_unfinished;
CREATE INDEX deliveries_edition ON deliveries (edition_id, id);

-- +goose Down
DROP INDEX deliveries_edition;
CREATE INDEX deliveries_unfinished ON deliveries (edition_id, id)
    WHERE sent_at IS NULL AND failure = '' AND reason = '';
