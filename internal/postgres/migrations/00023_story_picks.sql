-- +goose Up
-- An editor's pick: a story published long before an edition's period
-- (a back catalogue, a late find) joins the next edition of new stories
-- only when an editor picks it. The pick is spent when an edition holds it.
ALTER TABLE items ADD COLUMN picked_at timestamptz;
CREATE INDEX items_picked ON items (picked_at) WHERE picked_at IS NOT NULL;

-- +goose Down
DROP INDEX items_picked;
ALTER TABLE items DROP COLUMN picked_at;
