-- +goose Up
-- featured_until: an editor featured the story; it leads its section in
-- every edition made before this time (one edition, or a week). NULL: not
-- featured.
ALTER TABLE items ADD COLUMN featured_until timestamptz;

-- +goose Down
ALTER TABLE items DROP COLUMN featured_until;
