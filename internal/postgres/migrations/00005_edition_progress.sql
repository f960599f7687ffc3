-- +goose Up
-- Counters kept by the senders, so progress is one row read however large
-- the edition; sending_started_at gives the send rate.
ALTER TABLE editions
    ADD COLUMN sent               int NOT NULL DEFAULT 0,
    ADD COLUMN failed             int NOT NULL DEFAULT 0,
    ADD COLUMN skipped            int NOT NULL DEFAULT 0,
    ADD COLUMN sending_started_at timestamptz;

UPDATE editions e SET
    sent    = (SELECT count(*) FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'sent'),
    failed  = (SELECT count(*) FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'failed'),
    skipped = (SELECT count(*) FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'skipped');

-- +goose Down
ALTER TABLE editions DROP COLUMN sent, DROP COLUMN failed, DROP COLUMN skipped, DROP COLUMN sending_started_at;
