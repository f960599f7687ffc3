-- +goose Up
-- failures_in_row counts a source's failed polls since its last good one.
-- A source that keeps failing is polled less often (each failure doubles
-- the wait, up to domain.MaxPollBackoff or its own interval if longer),
-- and the console says for how many polls it has been failing.
ALTER TABLE sources ADD COLUMN failures_in_row integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sources DROP COLUMN failures_in_row;
