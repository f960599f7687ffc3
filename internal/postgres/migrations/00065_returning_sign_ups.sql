-- +goose Up
-- A sign-up of an address that had left, or had reported a digest as
-- spam, waits for its confirmation as pending, like any other; but
-- whoever asked may not be the person. returning_from keeps the status
-- it had until then: confirmed, it is cleared; left unconfirmed until the
-- link lapses, the address goes back to it (ReturnLapsedSignUps), where
-- a new sign-up is deleted. So a stranger's sign-up cannot wipe out an
-- opt-out or a complaint, and an operator's list cannot then bring the
-- address back.
ALTER TABLE subscribers ADD COLUMN returning_from text
    CHECK (returning_from IN ('unsubscribed', 'complained'));
-- A pending address confirmed once has left since, though whether by
-- unsubscribing or by a complaint is not recorded: it goes back to the
-- milder of the two, which mails it as little.
UPDATE subscribers SET returning_from = 'unsubscribed' WHERE status = 'pending' AND confirmed_at IS NOT NULL;
CREATE INDEX subscribers_returning ON subscribers (id) WHERE status = 'pending' AND returning_from IS NOT NULL;

-- +goose Down
DROP INDEX subscribers_returning;
ALTER TABLE subscribers DROP COLUMN returning_from;
