-- Hallmark schema, SQLite dialect.
--
-- Times are TEXT in one fixed-width UTC form (2006-01-02T15:04:05.000000Z),
-- so that comparing strings compares times and indexes order correctly.
-- JSON is TEXT. Booleans are 0/1.

CREATE TABLE brands (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    category   TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE marks (
    id       INTEGER PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    text     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    ordinary INTEGER NOT NULL DEFAULT 0,
    UNIQUE (brand_id, kind, text)
);

CREATE TABLE trademarks (
    id       INTEGER PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    mark     TEXT NOT NULL,
    number   TEXT NOT NULL,
    office   TEXT NOT NULL,
    classes  TEXT NOT NULL DEFAULT '[]',
    UNIQUE (brand_id, office, number)
);

CREATE TABLE price_floors (
    id       INTEGER PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    category TEXT NOT NULL DEFAULT '',
    amount   REAL NOT NULL,
    currency TEXT NOT NULL,
    UNIQUE (brand_id, category, currency)
);

-- No foreign key to sellers: a brand may name a seller it has authorized
-- before that seller ever lists here.
CREATE TABLE authorized_sellers (
    brand_id  TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    seller_id TEXT NOT NULL,
    pos       INTEGER NOT NULL,
    PRIMARY KEY (brand_id, seller_id)
);
CREATE INDEX authorized_sellers_seller ON authorized_sellers (seller_id);

-- Image ids are global: the same reference image cannot belong to two brands.
CREATE TABLE brand_images (
    id       TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    pos      INTEGER NOT NULL,
    label    TEXT NOT NULL DEFAULT '',
    pdq      TEXT NOT NULL,
    quality  INTEGER NOT NULL
);

CREATE INDEX marks_brand ON marks (brand_id);
CREATE INDEX trademarks_brand ON trademarks (brand_id);
CREATE INDEX price_floors_brand ON price_floors (brand_id);
CREATE INDEX brand_images_brand ON brand_images (brand_id, pos);

-- One row. Bumped in the same transaction as any brand change, so a
-- screening engine that reads it knows whether its registry is stale.
CREATE TABLE registry_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO registry_version (id, version) VALUES (1, 0);

CREATE TABLE sellers (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    country    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE listings (
    id          TEXT PRIMARY KEY,
    seller_id   TEXT NOT NULL REFERENCES sellers(id),
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    price       REAL NOT NULL,
    currency    TEXT NOT NULL,
    category    TEXT NOT NULL DEFAULT '',
    images      TEXT NOT NULL DEFAULT '[]',
    status      TEXT NOT NULL CHECK (status IN ('active', 'held', 'removed')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX listings_seller ON listings (seller_id, id);
CREATE INDEX listings_status ON listings (status, id);

-- AUTOINCREMENT: decision and audit ids are cited as evidence and must never
-- be reused, even after the newest row is gone.
-- brand_id has no foreign key: a decision outlives the brand it named.
CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    listing_id     TEXT NOT NULL REFERENCES listings(id),
    action         TEXT NOT NULL CHECK (action IN ('allow', 'review', 'block')),
    score          REAL NOT NULL,
    brand_id       TEXT NOT NULL DEFAULT '',
    reasons        TEXT NOT NULL DEFAULT '[]',
    signals        TEXT NOT NULL DEFAULT '[]',
    policy_version TEXT NOT NULL DEFAULT '',
    decided_at     TEXT NOT NULL
);
CREATE INDEX decisions_action ON decisions (action, decided_at DESC, id DESC);
CREATE INDEX decisions_listing ON decisions (listing_id, decided_at DESC, id DESC);
CREATE INDEX decisions_brand ON decisions (brand_id, decided_at DESC, id DESC);
CREATE INDEX decisions_time ON decisions (decided_at DESC, id DESC);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);

-- The log is evidence: the database itself refuses to change it, whatever
-- code or person holds a connection.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'integration', 'reviewer')),
    prefix     TEXT NOT NULL,
    hash       BLOB NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
