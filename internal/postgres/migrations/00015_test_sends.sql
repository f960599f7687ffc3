-- +goose Up
-- test_sends hold an editor's test send between the console and the
-- worker, so that the queue's task carries an id, never an address: a
-- task that fails stays in Redis for weeks, out of reach of an erasure.
-- A row is deleted once its mail is sent or refused for good; rows left
-- by a lost task go a day later.
CREATE TABLE test_sends (
    id         bigserial PRIMARY KEY,
    edition_id bigint NOT NULL DEFAULT 0, -- 0: the latest stories, no edition
    subscriber_id bigint NOT NULL DEFAULT 0, -- not 0: that reader's very digest of the edition
    filter     jsonb NOT NULL,
    recipient  text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE test_sends;
