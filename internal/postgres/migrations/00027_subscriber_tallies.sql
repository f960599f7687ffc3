-- +goose Up
-- subscriber_tallies keeps the counts the console's dashboard shows:
-- subscribers by status, and active subscribers by country, by topic and
-- taking every story. Counting them from subscribers meant four scans of
-- the table, seconds at a million (docs/performance.md); triggers keep
-- these up to date with every statement that writes subscribers, and the
-- dashboard sums a few hundred rows.
--
-- A key's count is spread over shards, one per connection (its backend
-- pid modulo 16), so that sign-ups committing at once on different
-- connections do not queue on one row.
CREATE TABLE subscriber_tallies (
    kind  text NOT NULL CHECK (kind IN ('status', 'country', 'topic', 'all')),
    key   text NOT NULL,
    shard int NOT NULL,
    n     bigint NOT NULL,
    PRIMARY KEY (kind, key, shard)
);

-- Each statement's rows count +1 for what is there now and -1 for what
-- was; an update that changes none of the counted columns cancels out
-- and writes nothing. Keys are taken in order, so two statements sharing
-- a shard lock its rows in the same order. (A statement trigger on
-- INSERT has only the new rows, on DELETE only the old: one function
-- each.)
-- +goose StatementBegin
CREATE FUNCTION subscriber_tallies_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH rows AS (
        SELECT 1 AS d, status, countries, topics, all_stories FROM new_rows
    ), deltas AS (
        SELECT 'status' AS kind, status AS key, d FROM rows
        UNION ALL SELECT 'country', c, d FROM rows, unnest(countries) AS c WHERE status = 'active'
        UNION ALL SELECT 'topic', tp, d FROM rows, unnest(topics) AS tp WHERE status = 'active'
        UNION ALL SELECT 'all', '', d FROM rows WHERE status = 'active' AND all_stories
    )
    INSERT INTO subscriber_tallies AS t (kind, key, shard, n)
    SELECT kind, key, pg_backend_pid() % 16, sum(d) FROM deltas
    GROUP BY kind, key HAVING sum(d) <> 0
    ORDER BY kind, key
    ON CONFLICT (kind, key, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd


-- +goose StatementBegin
CREATE FUNCTION subscriber_tallies_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH rows AS (
        SELECT -1 AS d, status, countries, topics, all_stories FROM old_rows
    ), deltas AS (
        SELECT 'status' AS kind, status AS key, d FROM rows
        UNION ALL SELECT 'country', c, d FROM rows, unnest(countries) AS c WHERE status = 'active'
        UNION ALL SELECT 'topic', tp, d FROM rows, unnest(topics) AS tp WHERE status = 'active'
        UNION ALL SELECT 'all', '', d FROM rows WHERE status = 'active' AND all_stories
    )
    INSERT INTO subscriber_tallies AS t (kind, key, shard, n)
    SELECT kind, key, pg_backend_pid() % 16, sum(d) FROM deltas
    GROUP BY kind, key HAVING sum(d) <> 0
    ORDER BY kind, key
    ON CONFLICT (kind, key, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd


-- +goose StatementBegin
CREATE FUNCTION subscriber_tallies_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH rows AS (
        SELECT 1 AS d, status, countries, topics, all_stories FROM new_rows
        UNION ALL
        SELECT -1, status, countries, topics, all_stories FROM old_rows
    ), deltas AS (
        SELECT 'status' AS kind, status AS key, d FROM rows
        UNION ALL SELECT 'country', c, d FROM rows, unnest(countries) AS c WHERE status = 'active'
        UNION ALL SELECT 'topic', tp, d FROM rows, unnest(topics) AS tp WHERE status = 'active'
        UNION ALL SELECT 'all', '', d FROM rows WHERE status = 'active' AND all_stories
    )
    INSERT INTO subscriber_tallies AS t (kind, key, shard, n)
    SELECT kind, key, pg_backend_pid() % 16, sum(d) FROM deltas
    GROUP BY kind, key HAVING sum(d) <> 0
    ORDER BY kind, key
    ON CONFLICT (kind, key, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION subscriber_tallies_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM subscriber_tallies;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER subscriber_tallies_insert AFTER INSERT ON subscribers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscriber_tallies_insert();
CREATE TRIGGER subscriber_tallies_delete AFTER DELETE ON subscribers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION subscriber_tallies_delete();
CREATE TRIGGER subscriber_tallies_update AFTER UPDATE ON subscribers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscriber_tallies_update();
CREATE TRIGGER subscriber_tallies_truncate AFTER TRUNCATE ON subscribers
    FOR EACH STATEMENT EXECUTE FUNCTION subscriber_tallies_truncate();

-- The counts of the subscribers already there.
INSERT INTO subscriber_tallies (kind, key, shard, n)
SELECT kind, key, 0, count(*) FROM (
    SELECT 'status' AS kind, status AS key FROM subscribers
    UNION ALL SELECT 'country', c FROM subscribers, unnest(countries) AS c WHERE status = 'active'
    UNION ALL SELECT 'topic', tp FROM subscribers, unnest(topics) AS tp WHERE status = 'active'
    UNION ALL SELECT 'all', '' FROM subscribers WHERE status = 'active' AND all_stories
) AS rows
GROUP BY kind, key;

-- The edition page counts an edition's skipped deliveries by reason.
CREATE INDEX deliveries_skipped ON deliveries (edition_id, reason) WHERE status = 'skipped';

-- +goose Down
DROP INDEX deliveries_skipped;
DROP TRIGGER subscriber_tallies_insert ON subscribers;
DROP TRIGGER subscriber_tallies_delete ON subscribers;
DROP TRIGGER subscriber_tallies_update ON subscribers;
DROP TRIGGER subscriber_tallies_truncate ON subscribers;
DROP FUNCTION subscriber_tallies_insert(), subscriber_tallies_delete(), subscriber_tallies_update(), subscriber_tallies_truncate();
DROP TABLE subscriber_tallies;
