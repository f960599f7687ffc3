-- +goose Up
-- The sign-ups never confirmed, which the reconcile purges every
-- minute: few, where the table keeps every reader the desk ever had.
-- Building it reads the table, holding its writes meanwhile (about a
-- tenth of a second a million subscribers).
CREATE INDEX subscribers_unconfirmed ON subscribers (id) WHERE status = 'pending' AND confirmed_at IS NULL;

-- +goose Down
DROP INDEX subscribers_unconfirmed;
