-- +goose Up
-- test_send_keys are the one-time keys of the console's test-send forms
-- that were sent: the same form sent twice (a double click) sends one
-- test digest. A key outlives its test send, whose row goes once the mail
-- is sent, for the day a resubmission may come in; it names no reader.
CREATE TABLE test_send_keys (
    created_by text NOT NULL,
    key        text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (created_by, key)
);

-- +goose Down
DROP TABLE test_send_keys;
