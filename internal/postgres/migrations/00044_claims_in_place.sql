-- +goose Up
-- A delivery is updated twice as it is sent: the claim marks it sending
-- (with its lease), the record marks it sent. status was in the predicate
-- of four partial indexes, so neither update could be heap-only: each
-- wrote the row elsewhere and a new entry in every index, two of them
-- (the edition's readers, the subscriber's deliveries) at places all over
-- their trees. At a million readers that was most of PostgreSQL's work
-- during the send.
--
-- The partial indexes now say what they hold with the columns that mark
-- an outcome (a sent delivery has sent_at, a failed one its failure, a
-- skipped one its reason), and the constraints below keep those marks
-- and status in step, so each predicate means what it meant. No index
-- names status, the lease or the attempts any more: a claim, a release
-- and a renewed lease leave every index alone, and with room left on
-- each page (fillfactor) the new version stays beside the old one.

-- Skipped deliveries from before reasons were recorded (00007), and
-- marks left on deliveries whose status does not carry them.
UPDATE deliveries SET
    reason = CASE WHEN status = 'skipped' AND reason = '' THEN 'reason not recorded'
                  WHEN status <> 'skipped' THEN '' ELSE reason END,
    failure = CASE WHEN status = 'failed' AND failure = '' THEN 'permanent' -- as 00012 read them
                   WHEN status <> 'failed' THEN '' ELSE failure END,
    sent_at = CASE WHEN status = 'sent' THEN COALESCE(sent_at, updated_at) END
WHERE (status = 'skipped') <> (reason <> '') OR (status = 'failed') <> (failure <> '')
   OR (status = 'sent') <> (sent_at IS NOT NULL);

ALTER TABLE deliveries
    ADD CONSTRAINT deliveries_sent_marked CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    ADD CONSTRAINT deliveries_failed_marked CHECK ((status = 'failed') = (failure <> '')),
    ADD CONSTRAINT deliveries_skipped_marked CHECK ((status = 'skipped') = (reason <> ''));

-- pending or sending: no outcome marked.
DROP INDEX deliveries_unfinished;
CREATE INDEX deliveries_unfinished ON deliveries (edition_id, id)
    WHERE sent_at IS NULL AND failure = '' AND reason = '';
DROP INDEX deliveries_failed;
CREATE INDEX deliveries_failed ON deliveries (edition_id, id) WHERE failure <> '';
DROP INDEX deliveries_failed_kind;
CREATE INDEX deliveries_failed_kind ON deliveries (edition_id, failure, id) WHERE failure <> '';
DROP INDEX deliveries_skipped;
CREATE INDEX deliveries_skipped ON deliveries (edition_id, reason) WHERE reason <> '';

-- A claim updates every row of its pages at once: half of each page is
-- kept for the claimed versions. Rows written from now on take it; the
-- record's version then finds the room the claimed one's predecessor
-- leaves when the page is pruned.
ALTER TABLE deliveries SET (fillfactor = 50);

-- +goose Down
ALTER TABLE deliveries RESET (fillfactor);
DROP INDEX deliveries_skipped;
CREATE INDEX deliveries_skipped ON deliveries (edition_id, reason) WHERE status = 'skipped';
DROP INDEX deliveries_failed_kind;
CREATE INDEX deliveries_failed_kind ON deliveries (edition_id, failure, id) WHERE status = 'failed';
DROP INDEX deliveries_failed;
CREATE INDEX deliveries_failed ON deliveries (edition_id, id) WHERE status = 'failed';
DROP INDEX deliveries_unfinished;
CREATE INDEX deliveries_unfinished ON deliveries (edition_id, id) WHERE status IN ('pending', 'sending');
ALTER TABLE deliveries
    DROP CONSTRAINT deliveries_skipped_marked,
    DROP CONSTRAINT deliveries_failed_marked,
    DROP CONSTRAINT deliveries_sent_marked;
