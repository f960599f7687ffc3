-- +goose Up
-- blocked: what came back refused the sender or the message (a block
-- list, failed authentication, taken for spam), not the address. It is
-- kept as the other kinds are, and counts toward no reader's
-- BOUNCE_LIMIT. The checks are widened NOT VALID: every row already
-- stored passes the wider check, and validating would read every
-- delivery while holding the table. Each change holds its table only for
-- a moment, but waits for the transactions using it; every query on the
-- deliveries would queue behind that wait, so it gives up after 30 s
-- (the migration fails, naming the lock, and can run again) rather than
-- hold up sending behind a long one.
SET LOCAL lock_timeout = '30s';
ALTER TABLE deliveries DROP CONSTRAINT deliveries_bounce_kind_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_bounce_kind_check
    CHECK (bounce_kind IN ('', 'hard', 'soft', 'blocked', 'complaint')) NOT VALID;
ALTER TABLE bounce_reports DROP CONSTRAINT bounce_reports_kind_check;
ALTER TABLE bounce_reports ADD CONSTRAINT bounce_reports_kind_check
    CHECK (kind IN ('hard', 'soft', 'blocked', 'complaint')) NOT VALID;
ALTER TABLE notice_bounce_reports DROP CONSTRAINT notice_bounce_reports_kind_check;
ALTER TABLE notice_bounce_reports ADD CONSTRAINT notice_bounce_reports_kind_check
    CHECK (kind IN ('hard', 'soft', 'blocked', 'complaint')) NOT VALID;

-- +goose Down
-- A blocked report becomes a soft one, as it was recorded before.
UPDATE deliveries SET bounce_kind = 'soft' WHERE bounce_kind = 'blocked';
UPDATE bounce_reports SET kind = 'soft' WHERE kind = 'blocked'
    AND NOT EXISTS (SELECT 1 FROM bounce_reports o
                    WHERE o.delivery_id = bounce_reports.delivery_id AND o.kind = 'soft' AND o.report_id = bounce_reports.report_id);
DELETE FROM bounce_reports WHERE kind = 'blocked';
UPDATE notice_bounce_reports SET kind = 'soft' WHERE kind = 'blocked'
    AND NOT EXISTS (SELECT 1 FROM notice_bounce_reports o
                    WHERE o.subscriber_id = notice_bounce_reports.subscriber_id AND o.kind = 'soft' AND o.report_id = notice_bounce_reports.report_id);
DELETE FROM notice_bounce_reports WHERE kind = 'blocked';
ALTER TABLE deliveries DROP CONSTRAINT deliveries_bounce_kind_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_bounce_kind_check
    CHECK (bounce_kind IN ('', 'hard', 'soft', 'complaint')) NOT VALID;
ALTER TABLE bounce_reports DROP CONSTRAINT bounce_reports_kind_check;
ALTER TABLE bounce_reports ADD CONSTRAINT bounce_reports_kind_check
    CHECK (kind IN ('hard', 'soft', 'complaint')) NOT VALID;
ALTER TABLE notice_bounce_reports DROP CONSTRAINT notice_bounce_reports_kind_check;
ALTER TABLE notice_bounce_reports ADD CONSTRAINT notice_bounce_reports_kind_check
    CHECK (kind IN ('hard', 'soft', 'complaint')) NOT VALID;
