-- +goose Up
-- due_before_change keeps, when a reader with their own schedule moves its
-- hour or time zone (not how often), the due time they had, until the
-- worker works out the new one from it (schedule.Moved): the new hour
-- nearest it, so that a move on the morning of a digest does not put it
-- off a whole period, and a move just after one does not bring a second.
ALTER TABLE subscribers ADD COLUMN due_before_change timestamptz;

-- +goose Down
ALTER TABLE subscribers DROP COLUMN due_before_change;
