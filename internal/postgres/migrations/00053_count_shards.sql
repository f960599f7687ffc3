-- +goose Up
-- The counters of subscriber_tallies and story_countries are spread over
-- 16 shards so that writers committing at once do not queue on one row.
-- The shard was the connection's (its backend pid modulo 16), so two
-- transactions could share one; each takes its keys in order within a
-- statement, but an import writes one story per statement, so two
-- imports on such connections, meeting Mexico then Guatemala and
-- Guatemala then Mexico, each waited for the other's row, and PostgreSQL
-- aborted one. A transaction now takes a shard of its own, when it
-- first counts something, for its duration (an advisory lock), the
-- first free one from its connection's: no other transaction writes that
-- shard's rows meanwhile, so the counters never make two writers wait
-- for each other. (count_shard is called for each row counted; after
-- the first it reads the shard the transaction holds.)
-- +goose StatementBegin
CREATE FUNCTION count_shard() RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    held  text := current_setting('newsdigest.count_shard', true);
    start integer := pg_backend_pid() % 16;
    s     integer;
BEGIN
    IF held IS NOT NULL AND held <> '' THEN
        RETURN held::integer;
    END IF;
    -- 1852072814 is "ndcn", a class of the two-key advisory locks that
    -- no other lock of this schema uses.
    FOR i IN 0..15 LOOP
        s := (start + i) % 16;
        IF pg_try_advisory_xact_lock(1852072814, s) THEN
            PERFORM set_config('newsdigest.count_shard', s::text, true);
            RETURN s;
        END IF;
    END LOOP;
    -- More than 16 writers at once: the connection's shard, shared, as
    -- before shards were owned, rather than wait.
    RETURN start;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION subscriber_tallies_insert() RETURNS trigger LANGUAGE plpgsql AS $$
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
    SELECT kind, key, count_shard(), sum(d) FROM deltas
    GROUP BY kind, key HAVING sum(d) <> 0
    ORDER BY kind, key
    ON CONFLICT (kind, key, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION subscriber_tallies_delete() RETURNS trigger LANGUAGE plpgsql AS $$
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
    SELECT kind, key, count_shard(), sum(d) FROM deltas
    GROUP BY kind, key HAVING sum(d) <> 0
    ORDER BY kind, key
    ON CONFLICT (kind, key, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION subscriber_tallies_update() RETURNS trigger LANGUAGE plpgsql AS $$
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
    SELECT kind, key, count_shard(), sum(d) FROM deltas
    GROUP BY kind, key HAVING sum(d) <> 0
    ORDER BY kind, key
    ON CONFLICT (kind, key, shard) DO UPDATE SET n = t.n + EXCLUDED.n;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION story_countries_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO story_countries AS t (code, shard, stories)
    SELECT c, count_shard(), count(*) FROM new_rows, unnest(countries) AS c
    GROUP BY c ORDER BY c
    ON CONFLICT (code, shard) DO UPDATE SET stories = t.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION story_countries_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO story_countries AS t (code, shard, stories)
    SELECT c, count_shard(), -count(*) FROM old_rows, unnest(countries) AS c
    GROUP BY c ORDER BY c
    ON CONFLICT (code, shard) DO UPDATE SET stories = t.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION story_countries_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH deltas AS (
        SELECT c, 1 AS d FROM new_rows, unnest(countries) AS c
        UNION ALL
        SELECT c, -1 FROM old_rows, unnest(countries) AS c
    )
    INSERT INTO story_countries AS t (code, shard, stories)
    SELECT c, count_shard(), sum(d) FROM deltas
    GROUP BY c HAVING sum(d) <> 0 ORDER BY c
    ON CONFLICT (code, shard) DO UPDATE SET stories = t.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION subscriber_tallies_insert() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE OR REPLACE FUNCTION subscriber_tallies_delete() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE OR REPLACE FUNCTION subscriber_tallies_update() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE OR REPLACE FUNCTION story_countries_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO story_countries AS t (code, shard, stories)
    SELECT c, pg_backend_pid() % 16, count(*) FROM new_rows, unnest(countries) AS c
    GROUP BY c ORDER BY c
    ON CONFLICT (code, shard) DO UPDATE SET stories = t.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION story_countries_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO story_countries AS t (code, shard, stories)
    SELECT c, pg_backend_pid() % 16, -count(*) FROM old_rows, unnest(countries) AS c
    GROUP BY c ORDER BY c
    ON CONFLICT (code, shard) DO UPDATE SET stories = t.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION story_countries_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH deltas AS (
        SELECT c, 1 AS d FROM new_rows, unnest(countries) AS c
        UNION ALL
        SELECT c, -1 FROM old_rows, unnest(countries) AS c
    )
    INSERT INTO story_countries AS t (code, shard, stories)
    SELECT c, pg_backend_pid() % 16, sum(d) FROM deltas
    GROUP BY c HAVING sum(d) <> 0 ORDER BY c
    ON CONFLICT (code, shard) DO UPDATE SET stories = t.stories + EXCLUDED.stories;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

DROP FUNCTION count_shard();
