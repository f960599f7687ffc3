-- +goose Up
-- An edition that paused itself and was resumed counted the pause in its
-- rate (messages a second since its round began), so the rate fell and
-- the time left grew with every minute it had waited for an editor. The
-- time a round spent paused is now kept, and left out: the round under
-- way's, and the first round's once a retry began another.
ALTER TABLE editions
    ADD COLUMN paused_seconds double precision NOT NULL DEFAULT 0 CHECK (paused_seconds >= 0),
    ADD COLUMN first_paused_seconds double precision NOT NULL DEFAULT 0 CHECK (first_paused_seconds >= 0);

-- +goose Down
ALTER TABLE editions DROP COLUMN first_paused_seconds, DROP COLUMN paused_seconds;
