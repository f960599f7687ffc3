-- +goose Up
-- all_stories: the subscriber takes every story, whatever its countries
-- and topics (their lists are then empty). Kept apart from the lists so
-- that "everything" stays everything when countries or topics are added
-- to the taxonomy later.
ALTER TABLE subscribers ADD COLUMN all_stories boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE subscribers DROP COLUMN all_stories;
