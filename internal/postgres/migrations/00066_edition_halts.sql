-- +goose Up
-- A batch in progress looks at its edition every second; at a fast relay
-- that second is hundreds of digests. So an edition that stops (an
-- editor's cancel, a pause for too many bounces, a compile failed for
-- good) says so at once on the channel edition_halt, its id as the
-- payload, when the change commits, and every worker sending it looks
-- again at once (editions.Service.FollowHalts). The trigger sees every
-- way the row changes, the console's, the API's, the worker's and an
-- operator's own SQL.
-- +goose StatementBegin
CREATE FUNCTION edition_halt_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('edition_halt', NEW.id::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER edition_halt AFTER UPDATE OF status, reason ON editions
    FOR EACH ROW
    WHEN ((NEW.reason = 'cancelled' AND OLD.reason IS DISTINCT FROM 'cancelled')
       OR (NEW.status IN ('paused', 'failed') AND OLD.status IS DISTINCT FROM NEW.status))
    EXECUTE FUNCTION edition_halt_notify();

-- +goose Down
DROP TRIGGER edition_halt ON editions;
DROP FUNCTION edition_halt_notify();
