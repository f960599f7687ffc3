-- +goose Up
-- A compile writes a delivery row per reader, and checking each row's
-- subscriber (a lookup and a row lock, itself written to the log) was
-- more than half of the row's cost: at a million readers, 34–38 s of
-- PostgreSQL's CPU with the check, 15–16 s without. The check guarded
-- nothing the application does: a delivery is only written for an
-- active subscriber, an active subscriber has been confirmed, and the
-- only subscribers ever deleted are sign-ups never confirmed (the
-- purge, privacy.go). Deleting subscribers by hand (or truncating them)
-- still takes their deliveries with them, through the triggers below; a
-- delivery written for someone deleted during the compile that wrote it
-- is claimed as "no longer subscribed" and skipped (claimSQL's outer
-- join).
ALTER TABLE deliveries DROP CONSTRAINT deliveries_subscriber_id_fkey;

-- +goose StatementBegin
CREATE FUNCTION delete_deliveries_of_gone_subscribers() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM deliveries WHERE subscriber_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION truncate_deliveries() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE deliveries CASCADE;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER subscribers_delete_deliveries AFTER DELETE ON subscribers
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION delete_deliveries_of_gone_subscribers();
CREATE TRIGGER subscribers_truncate_deliveries AFTER TRUNCATE ON subscribers
    FOR EACH STATEMENT EXECUTE FUNCTION truncate_deliveries();

-- +goose Down
DROP TRIGGER subscribers_truncate_deliveries ON subscribers;
DROP FUNCTION truncate_deliveries();
DROP TRIGGER subscribers_delete_deliveries ON subscribers;
DROP FUNCTION delete_deliveries_of_gone_subscribers();
DELETE FROM deliveries d WHERE NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.id = d.subscriber_id);
ALTER TABLE deliveries ADD CONSTRAINT deliveries_subscriber_id_fkey
    FOREIGN KEY (subscriber_id) REFERENCES subscribers (id) ON DELETE CASCADE;
