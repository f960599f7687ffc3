-- +goose Up
-- paused: an edition stopped by itself while sending, because its bounces
-- or complaints passed their limit (EDITION_PAUSE_BOUNCE_RATE,
-- EDITION_PAUSE_COMPLAINT_RATE). No worker claims its deliveries until an
-- editor resumes it (auto_pause then goes off for it: the editor has seen
-- the figures) or cancels it. pause_cause, pause_count and pause_of say
-- why: "bounces" or "complaints", so many of so many sent.
ALTER TABLE editions DROP CONSTRAINT editions_status_check;
ALTER TABLE editions ADD CONSTRAINT editions_status_check
    CHECK (status IN ('queued', 'compiling', 'sending', 'paused', 'done', 'failed'));
ALTER TABLE editions
    ADD COLUMN auto_pause  boolean NOT NULL DEFAULT true,
    ADD COLUMN pause_cause text NOT NULL DEFAULT '' CHECK (pause_cause IN ('', 'bounces', 'complaints')),
    ADD COLUMN pause_count int NOT NULL DEFAULT 0,
    ADD COLUMN pause_of    int NOT NULL DEFAULT 0,
    ADD COLUMN paused_at   timestamptz;

-- +goose Down
UPDATE editions SET status = 'sending' WHERE status = 'paused';
ALTER TABLE editions DROP COLUMN auto_pause, DROP COLUMN pause_cause, DROP COLUMN pause_count,
    DROP COLUMN pause_of, DROP COLUMN paused_at;
ALTER TABLE editions DROP CONSTRAINT editions_status_check;
ALTER TABLE editions ADD CONSTRAINT editions_status_check
    CHECK (status IN ('queued', 'compiling', 'sending', 'done', 'failed'));
