-- +goose Up
-- message_key names the one-off mail a report is about (its Message-ID,
-- or the id Amazon SES gave it: bounce.MessageKey), '' when the report
-- does not say. A notice's envelope sender names only its subscriber, and
-- with SES the same bounce comes twice by default (SES's notice through
-- SNS and the bounce it forwards), each with a report id of its own: a
-- soft report of a message that failed before adds nothing to the
-- subscriber's run, as for a delivery. The primary key leads with the
-- subscriber, whose few reports the check reads.
ALTER TABLE notice_bounce_reports ADD COLUMN message_key text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE notice_bounce_reports DROP COLUMN message_key;
