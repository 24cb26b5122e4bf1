-- Hallmark schema, PostgreSQL dialect.
--
-- Times are timestamptz (microsecond precision; the Go side truncates to
-- match so values round-trip exactly). Structured evidence is jsonb so it
-- can be queried; the audit detail is text so it is kept byte for byte.

CREATE TABLE brands (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    category   text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE marks (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id text NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    text     text NOT NULL,
    kind     text NOT NULL,
    ordinary boolean NOT NULL DEFAULT false,
    UNIQUE (brand_id, kind, text)
);

CREATE TABLE trademarks (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id text NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    mark     text NOT NULL,
    number   text NOT NULL,
    office   text NOT NULL,
    classes  jsonb NOT NULL DEFAULT '[]',
    UNIQUE (brand_id, office, number)
);

CREATE TABLE price_floors (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    brand_id text NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    category text NOT NULL DEFAULT '',
    amount   double precision NOT NULL,
    currency text NOT NULL,
    UNIQUE (brand_id, category, currency)
);

-- No foreign key to sellers: a brand may name a seller it has authorized
-- before that seller ever lists here.
CREATE TABLE authorized_sellers (
    brand_id  text NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    seller_id text NOT NULL,
    pos       integer NOT NULL,
    PRIMARY KEY (brand_id, seller_id)
);
CREATE INDEX authorized_sellers_seller ON authorized_sellers (seller_id);

-- Image ids are global: the same reference image cannot belong to two brands.
CREATE TABLE brand_images (
    id       text PRIMARY KEY,
    brand_id text NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    pos      integer NOT NULL,
    label    text NOT NULL DEFAULT '',
    pdq      text NOT NULL,
    quality  integer NOT NULL
);

CREATE INDEX marks_brand ON marks (brand_id);
CREATE INDEX trademarks_brand ON trademarks (brand_id);
CREATE INDEX price_floors_brand ON price_floors (brand_id);
CREATE INDEX brand_images_brand ON brand_images (brand_id, pos);

-- One row. Bumped in the same transaction as any brand change, so a
-- screening engine that reads it knows whether its registry is stale. The
-- row lock also serializes concurrent brand changes.
CREATE TABLE registry_version (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO registry_version (id, version) VALUES (1, 0);

CREATE TABLE sellers (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    country    text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);

CREATE TABLE listings (
    id          text PRIMARY KEY,
    seller_id   text NOT NULL REFERENCES sellers(id),
    title       text NOT NULL,
    description text NOT NULL DEFAULT '',
    price       double precision NOT NULL,
    currency    text NOT NULL,
    category    text NOT NULL DEFAULT '',
    images      jsonb NOT NULL DEFAULT '[]',
    status      text NOT NULL CHECK (status IN ('active', 'held', 'removed')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX listings_seller ON listings (seller_id, id);
CREATE INDEX listings_status ON listings (status, id);

-- brand_id has no foreign key: a decision outlives the brand it named.
CREATE TABLE decisions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    listing_id     text NOT NULL REFERENCES listings(id),
    action         text NOT NULL CHECK (action IN ('allow', 'review', 'block')),
    score          double precision NOT NULL,
    brand_id       text NOT NULL DEFAULT '',
    reasons        jsonb NOT NULL DEFAULT '[]',
    signals        jsonb NOT NULL DEFAULT '[]',
    policy_version text NOT NULL DEFAULT '',
    decided_at     timestamptz NOT NULL
);
CREATE INDEX decisions_action ON decisions (action, decided_at DESC, id DESC);
CREATE INDEX decisions_listing ON decisions (listing_id, decided_at DESC, id DESC);
CREATE INDEX decisions_brand ON decisions (brand_id, decided_at DESC, id DESC);
CREATE INDEX decisions_time ON decisions (decided_at DESC, id DESC);

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   text NOT NULL,
    detail      text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);

-- The log is evidence: the database itself refuses to change it, whatever
-- code or person holds a connection. TRUNCATE skips row triggers, hence the
-- statement-level one.
CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE api_keys (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    role       text NOT NULL CHECK (role IN ('admin', 'integration', 'reviewer')),
    prefix     text NOT NULL,
    hash       bytea NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
