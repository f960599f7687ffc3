-- +goose Up
-- A retry of the failed sends the edition again: a second round. The first
-- round's figures are kept apart (how many it sent, when it finished), and
-- the rate of the round under way is measured from its own start, so a
-- retry neither erases when the edition first finished nor drags its rate
-- down with the hours between the two.
ALTER TABLE editions
    ADD COLUMN first_sent        int,
    ADD COLUMN first_finished_at timestamptz,
    ADD COLUMN round_started_at  timestamptz,
    ADD COLUMN round_sent_from   int NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE editions
    DROP COLUMN first_sent, DROP COLUMN first_finished_at,
    DROP COLUMN round_started_at, DROP COLUMN round_sent_from;
