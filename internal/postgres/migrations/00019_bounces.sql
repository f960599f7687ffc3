-- +goose Up
-- What came back about a delivery after it left: a bounce (a DSN to its
-- VERP address, or a relay's webhook) or a complaint (an ARF report, a
-- relay's complaint notice). The latest report is kept on the delivery
-- for the console; every report is kept once in bounce_reports, whose
-- key makes the same report, sent twice, count once.
ALTER TABLE deliveries
    ADD COLUMN bounce_kind       text NOT NULL DEFAULT '' CHECK (bounce_kind IN ('', 'hard', 'soft', 'complaint')),
    ADD COLUMN bounce_code       text NOT NULL DEFAULT '',
    ADD COLUMN bounce_diagnostic text NOT NULL DEFAULT '',
    ADD COLUMN bounce_source     text NOT NULL DEFAULT '',
    ADD COLUMN bounced_at        timestamptz;
CREATE INDEX deliveries_reported ON deliveries (edition_id, id) WHERE bounce_kind <> '';

CREATE TABLE bounce_reports (
    delivery_id bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
    report_id   text NOT NULL,
    source      text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (delivery_id, kind, report_id)
);

-- complained: the reader marked a digest as spam. Like unsubscribed, no
-- digest goes to them; unlike it, an operator's import never brings them
-- back (only their own confirmed sign-up does).
ALTER TABLE subscribers DROP CONSTRAINT subscribers_status_check;
ALTER TABLE subscribers ADD CONSTRAINT subscribers_status_check
    CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained', 'suppressed', 'erased'));

-- +goose Down
UPDATE subscribers SET status = 'unsubscribed' WHERE status = 'complained';
ALTER TABLE subscribers DROP CONSTRAINT subscribers_status_check;
ALTER TABLE subscribers ADD CONSTRAINT subscribers_status_check
    CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'suppressed', 'erased'));
DROP TABLE bounce_reports;
DROP INDEX deliveries_reported;
ALTER TABLE deliveries DROP COLUMN bounce_kind, DROP COLUMN bounce_code, DROP COLUMN bounce_diagnostic,
    DROP COLUMN bounce_source, DROP COLUMN bounced_at;
