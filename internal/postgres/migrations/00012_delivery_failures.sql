-- +goose Up
-- A failed delivery failed in one of three ways, and only one of them may
-- be sent again: 'temporary' (4xx replies or network errors until the
-- retries ran out: nothing was delivered), 'permanent' (a 5xx refusal:
-- sending again fails the same way) and 'uncertain' (the connection failed
-- after the whole message had left: it may have been delivered, and
-- sending it again could double it).
ALTER TABLE deliveries ADD COLUMN failure text NOT NULL DEFAULT ''
    CHECK (failure IN ('', 'temporary', 'permanent', 'uncertain'));

-- Failures recorded before the column say which they were in their text.
UPDATE deliveries SET failure = CASE
        WHEN last_error LIKE 'uncertain, not retried:%' THEN 'uncertain'
        WHEN last_error LIKE 'gave up after retries:%' OR last_error LIKE 'render:%' THEN 'temporary'
        ELSE 'permanent' END
WHERE status = 'failed';

-- +goose Down
ALTER TABLE deliveries DROP COLUMN failure;
