-- +goose Up
-- When the weekly schedule began: the first worker that runs it writes the
-- time. A tick before it was never due (the desk did not run yet); a tick
-- after it with no edition was missed, and is made late or recorded as
-- skipped.
CREATE TABLE schedule_start (
    id         int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    started_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE schedule_start;
