-- +goose Up
-- A test send the relay refused was seen only on the queues page, in the
-- worker's words, while the console had said it was on its way. Its row
-- now stays, as the console's record of how it went (sent; refused by
-- the relay; failed, not made or not taken after every try) and why,
-- for the day test sends are kept; once it is done, what it held of
-- anyone (the address, the subscriber and their choices) is forgotten.
ALTER TABLE test_sends
    ALTER COLUMN recipient DROP NOT NULL,
    ADD COLUMN outcome text CHECK (outcome IN ('sent', 'refused', 'failed')),
    ADD COLUMN failure text NOT NULL DEFAULT '',
    ADD COLUMN finished_at timestamptz,
    ADD CONSTRAINT test_sends_done_forgets CHECK ((outcome IS NULL) = (finished_at IS NULL)
        AND (outcome IS NULL OR (recipient IS NULL AND subscriber_id = 0 AND filter = '{}'::jsonb)));
CREATE INDEX test_sends_by ON test_sends (created_by, created_at DESC);

-- +goose Down
DROP INDEX test_sends_by;
DELETE FROM test_sends WHERE recipient IS NULL;
ALTER TABLE test_sends DROP CONSTRAINT test_sends_done_forgets,
    DROP COLUMN finished_at, DROP COLUMN failure, DROP COLUMN outcome,
    ALTER COLUMN recipient SET NOT NULL;
