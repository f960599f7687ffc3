-- +goose Up
-- A reader's own schedule (DESIGN "Matching"). A reader whose frequency
-- is NULL chose nothing and follows the desk's DIGEST_CRON editions; the
-- others get "slots": editions of the readers due at a quarter hour, each
-- reader's digest holding the stories since their own last one.
--   frequency:    weekly (the desk's day), daily or biweekly
--   timezone:     IANA name the hour is read in
--   hour:         0-23, local wall clock
--   send_thin:    send whatever there is, not waiting for the desk's minimum
--   next_due_at:  when their next digest is due (an index finds who is due)
--   window_start: the cut-off of their last digest; NULL before the first
--                 (which then holds the 7 days before it)
ALTER TABLE subscribers
    ADD COLUMN frequency    text CHECK (frequency IN ('weekly', 'daily', 'biweekly')),
    ADD COLUMN timezone     text,
    ADD COLUMN hour         smallint CHECK (hour BETWEEN 0 AND 23),
    ADD COLUMN send_thin    boolean NOT NULL DEFAULT false,
    ADD COLUMN next_due_at  timestamptz,
    ADD COLUMN window_start timestamptz;

CREATE INDEX subscribers_next_due ON subscribers (next_due_at) WHERE status = 'active' AND next_due_at IS NOT NULL;
-- Readers whose next due time the worker has yet to work out.
CREATE INDEX subscribers_unscheduled ON subscribers (id)
    WHERE status = 'active' AND frequency IS NOT NULL AND next_due_at IS NULL;

-- A slot edition: slot_at is the quarter hour it serves (unique, so that
-- several workers make one slot per quarter), slot_cutoff when its
-- stories were frozen. Slots leave ingested_until NULL: the desk's window
-- and what it carries over are its own editions'.
ALTER TABLE editions
    ADD COLUMN slot_at     timestamptz UNIQUE,
    ADD COLUMN slot_cutoff timestamptz;

-- slot_readers: who a slot serves and where each one's window began, so
-- a cancelled or failed slot hands them their stories at the next.
CREATE TABLE slot_readers (
    edition_id    bigint NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    window_start  timestamptz NOT NULL,
    send_thin     boolean NOT NULL,
    PRIMARY KEY (edition_id, subscriber_id)
);
CREATE INDEX slot_readers_subscriber ON slot_readers (subscriber_id);

-- The desk's settings for readers' schedules: one row.
CREATE TABLE schedule_settings (
    id          int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    frequencies text[] NOT NULL DEFAULT '{weekly,daily,biweekly}',
    min_stories int NOT NULL DEFAULT 3 CHECK (min_stories BETWEEN 0 AND 100),
    wait_days   int NOT NULL DEFAULT 28 CHECK (wait_days BETWEEN 0 AND 365)
);
INSERT INTO schedule_settings DEFAULT VALUES;

-- +goose Down
DROP TABLE schedule_settings;
DROP TABLE slot_readers;
ALTER TABLE editions DROP COLUMN slot_cutoff, DROP COLUMN slot_at;
DROP INDEX subscribers_unscheduled;
DROP INDEX subscribers_next_due;
ALTER TABLE subscribers DROP COLUMN window_start, DROP COLUMN next_due_at, DROP COLUMN send_thin,
    DROP COLUMN hour, DROP COLUMN timezone, DROP COLUMN frequency;
