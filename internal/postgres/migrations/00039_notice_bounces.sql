-- +goose Up
-- What came back about the one-off mails to a person (the confirmation,
-- the welcome and other notices, an export link), whose envelope sender
-- names the subscriber rather than a delivery: each report once, so that
-- the same report sent twice counts once.
CREATE TABLE notice_bounce_reports (
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
    report_id     text NOT NULL,
    source        text NOT NULL,
    code          text NOT NULL DEFAULT '',
    diagnostic    text NOT NULL DEFAULT '',
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subscriber_id, kind, report_id)
);

-- +goose Down
DROP TABLE notice_bounce_reports;
