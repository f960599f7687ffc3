-- +goose Up
-- story_countries counts the stories tagged with each country, for the
-- console's country lists, which offer the desk's own countries first.
-- Finding them from the stories read the whole archive on every page
-- that offers countries (43 ms at 100,000 stories; 19 ms through the GIN
-- index on countries, which reads each country's whole list). As
-- subscriber_tallies does for subscribers, statement triggers keep the
-- counts with every statement that writes items, and each country's
-- count is spread over shards by connection, so that imports committing
-- at once on different connections do not queue on one row.
CREATE TABLE story_countries (
    code    text NOT NULL,
    shard   int NOT NULL,
    stories bigint NOT NULL,
    PRIMARY KEY (code, shard)
);

-- Each statement's rows count +1 for the countries they have now and -1
-- for those they had; an update that changes no story's countries
-- cancels out and writes nothing. Countries are taken in order. (A
-- statement trigger on INSERT has only the new rows, on DELETE only the
-- old: one function each.)
-- +goose StatementBegin
CREATE FUNCTION story_countries_insert() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE FUNCTION story_countries_delete() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE FUNCTION story_countries_update() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- +goose StatementBegin
CREATE FUNCTION story_countries_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM story_countries;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER story_countries_insert AFTER INSERT ON items
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION story_countries_insert();
CREATE TRIGGER story_countries_delete AFTER DELETE ON items
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION story_countries_delete();
CREATE TRIGGER story_countries_update AFTER UPDATE ON items
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION story_countries_update();
CREATE TRIGGER story_countries_truncate AFTER TRUNCATE ON items
    FOR EACH STATEMENT EXECUTE FUNCTION story_countries_truncate();

-- The stories already there.
INSERT INTO story_countries (code, shard, stories)
SELECT c, 0, count(*) FROM items, unnest(countries) AS c GROUP BY c;

-- +goose Down
DROP TRIGGER story_countries_insert ON items;
DROP TRIGGER story_countries_delete ON items;
DROP TRIGGER story_countries_update ON items;
DROP TRIGGER story_countries_truncate ON items;
DROP FUNCTION story_countries_insert(), story_countries_delete(), story_countries_update(), story_countries_truncate();
DROP TABLE story_countries;
