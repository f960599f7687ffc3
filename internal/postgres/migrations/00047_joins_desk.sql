-- +goose Up
-- joins_desk marks a reader who chose to follow the desk's schedule while
-- stories of their own window are still owed to them: the stories that
-- arrived between their last own digest and the desk's last edition,
-- which the desk's next edition does not hold. They keep their own
-- schedule for one more digest, due just before the desk's next edition,
-- and join the desk at the first desk edition made once it has gone.
ALTER TABLE subscribers ADD COLUMN joins_desk boolean NOT NULL DEFAULT false;
CREATE INDEX subscribers_joins_desk ON subscribers (id) WHERE joins_desk;

-- +goose Down
DROP INDEX subscribers_joins_desk;
ALTER TABLE subscribers DROP COLUMN joins_desk;
