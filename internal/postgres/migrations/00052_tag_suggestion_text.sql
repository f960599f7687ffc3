-- +goose Up
-- from_text is the digest of the story's text a suggestion was made from
-- (domain.StoryText): a suggestion fits no story whose title, summary or
-- language changed since. Suggestions stored before have none and fit as
-- they did, until the next retraining replaces them.
ALTER TABLE tag_suggestions ADD COLUMN from_text text;

-- +goose Down
ALTER TABLE tag_suggestions DROP COLUMN from_text;
