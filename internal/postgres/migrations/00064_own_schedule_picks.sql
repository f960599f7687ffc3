-- +goose Up
-- A pick reaches readers on a schedule of their own too. picked_at is
-- spent by the desk's next edition; last_picked_at is when an editor last
-- picked the story, kept until they leave it out again: a reader whose
-- window holds that moment gets the story in their next digest, as if it
-- had arrived then (unless they had it already).
ALTER TABLE items ADD COLUMN last_picked_at timestamptz;
UPDATE items SET last_picked_at = picked_at WHERE picked_at IS NOT NULL;
CREATE INDEX items_last_picked ON items (last_picked_at) WHERE last_picked_at IS NOT NULL;

-- +goose Down
DROP INDEX items_last_picked;
ALTER TABLE items DROP COLUMN last_picked_at;
