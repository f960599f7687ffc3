-- +goose Up
CREATE TABLE countries (
    code    text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name_en text NOT NULL,
    name_es text NOT NULL
);

CREATE TABLE regions (
    code      text PRIMARY KEY,
    name_en   text NOT NULL,
    name_es   text NOT NULL,
    countries text[] NOT NULL DEFAULT '{}',
    position  int NOT NULL DEFAULT 0
);

CREATE TABLE topics (
    slug     text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name_en  text NOT NULL,
    name_es  text NOT NULL,
    position int NOT NULL DEFAULT 0
);

CREATE TABLE items (
    id           bigserial PRIMARY KEY,
    published_on date NOT NULL,
    title        text NOT NULL,
    summary      text NOT NULL DEFAULT '',
    url          text NOT NULL DEFAULT '',
    language     text NOT NULL DEFAULT 'en',
    countries    text[] NOT NULL DEFAULT '{}',
    regions      text[] NOT NULL DEFAULT '{}',
    topics       text[] NOT NULL DEFAULT '{}',
    hidden       boolean NOT NULL DEFAULT false,
    -- fingerprint recognises the same story arriving again (see ingest).
    fingerprint  text NOT NULL UNIQUE,
    -- ingested_at places the item in the window of scheduled editions.
    ingested_at  timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX items_ingested_at ON items (ingested_at);
CREATE INDEX items_newest ON items (published_on DESC, id DESC);
CREATE INDEX items_countries ON items USING gin (countries);
CREATE INDEX items_topics ON items USING gin (topics);

CREATE TABLE subscribers (
    id                 bigserial PRIMARY KEY,
    email              text NOT NULL,
    status             text NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'erased')),
    countries          text[] NOT NULL DEFAULT '{}',
    topics             text[] NOT NULL DEFAULT '{}',
    language           text NOT NULL DEFAULT 'en',
    mode               text NOT NULL DEFAULT 'any' CHECK (mode IN ('any', 'narrow')),
    -- token reaches the preference centre and one-click unsubscribe.
    token              text NOT NULL UNIQUE,
    -- confirm_token is set while a double opt-in is outstanding.
    confirm_token      text UNIQUE,
    confirm_expires_at timestamptz,
    confirm_sent_at    timestamptz,
    hard_bounces       int NOT NULL DEFAULT 0,
    created_at         timestamptz NOT NULL DEFAULT now(),
    confirmed_at       timestamptz,
    unsubscribed_at    timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX subscribers_email ON subscribers (lower(email));
CREATE INDEX subscribers_active ON subscribers (id) WHERE status = 'active';

-- consents keeps the evidence of every opt-in and opt-out.
CREATE TABLE consents (
    id            bigserial PRIMARY KEY,
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    action        text NOT NULL CHECK (action IN ('subscribe', 'confirm', 'preferences', 'unsubscribe', 'import')),
    at            timestamptz NOT NULL DEFAULT now(),
    ip            text NOT NULL DEFAULT '',
    user_agent    text NOT NULL DEFAULT '',
    form_version  text NOT NULL DEFAULT ''
);
CREATE INDEX consents_subscriber ON consents (subscriber_id);

CREATE TABLE editions (
    id             bigserial PRIMARY KEY,
    status         text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'compiling', 'sending', 'done', 'failed')),
    reason         text NOT NULL DEFAULT '',
    -- scheduled_for is the cron tick that made the edition; unique so that
    -- several workers' schedulers make one edition per tick.
    scheduled_for  timestamptz UNIQUE,
    ingested_after timestamptz,
    ingested_until timestamptz,
    published_from date,
    published_to   date,
    items          int NOT NULL DEFAULT 0,
    total          int NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz
);

-- edition_items freezes an edition's window when the edition is made.
CREATE TABLE edition_items (
    edition_id bigint NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    item_id    bigint NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    PRIMARY KEY (edition_id, item_id)
);
CREATE INDEX edition_items_item ON edition_items (item_id);

-- edition_groups holds one digest body per group of subscribers who get the
-- same items: sections is [{kind, key, items:[id…]}].
CREATE TABLE edition_groups (
    id         bigserial PRIMARY KEY,
    edition_id bigint NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    key        text NOT NULL,
    language   text NOT NULL,
    sections   jsonb NOT NULL,
    UNIQUE (edition_id, key)
);

CREATE TABLE deliveries (
    id            bigserial PRIMARY KEY,
    edition_id    bigint NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    subscriber_id bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    group_id      bigint REFERENCES edition_groups (id) ON DELETE CASCADE,
    status        text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts      int NOT NULL DEFAULT 0,
    last_error    text NOT NULL DEFAULT '',
    lease_until   timestamptz,
    sent_at       timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    -- one delivery per person per edition: the idempotency key of every retry.
    UNIQUE (edition_id, subscriber_id)
);
CREATE INDEX deliveries_unfinished ON deliveries (edition_id, id) WHERE status IN ('pending', 'sending');
CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id);

-- +goose Down
DROP TABLE deliveries, edition_groups, edition_items, editions, consents, subscribers,
    items, topics, regions, countries;
