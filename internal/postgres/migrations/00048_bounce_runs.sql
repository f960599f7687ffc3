-- +goose Up
-- hard_bounces counts a run of failures that count against an address
-- (refused for good at the send, or a soft bounce reported after it): a
-- digest that went through with nothing come back since the last of them
-- starts the run again, so that a mailbox full once a year does not add
-- up to a bounced reader. last_bounce_at is when the message that last
-- counted was sent.
ALTER TABLE subscribers ADD COLUMN last_bounce_at timestamptz;

-- +goose Down
ALTER TABLE subscribers DROP COLUMN last_bounce_at;
