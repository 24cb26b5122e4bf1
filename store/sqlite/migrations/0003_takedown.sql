-- Notice-and-takedown (package notice): accounts, sessions, IP rights,
-- notices, statements of reasons, counter-notices, appeals, notifier
-- standing and durable timers.
--
-- The five record tables share one shape: the workflow's record as JSON in
-- body, and beside it the columns that tenancy checks, filters and figures
-- read (brand, seller, status, parent, times). Both are written from the
-- same value in the same statement, so they cannot disagree.

CREATE TABLE rights (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    brand_id   TEXT NOT NULL,
    seller_id  TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    ref_id     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    body       TEXT NOT NULL
);
CREATE INDEX rights_brand ON rights (brand_id, id);
CREATE INDEX rights_seller ON rights (seller_id, id);
CREATE INDEX rights_ref ON rights (ref_id, id);
CREATE INDEX rights_decided ON rights (decided_at);

CREATE TABLE notices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    brand_id   TEXT NOT NULL,
    seller_id  TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    ref_id     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    body       TEXT NOT NULL
);
CREATE INDEX notices_brand ON notices (brand_id, id);
CREATE INDEX notices_seller ON notices (seller_id, id);
CREATE INDEX notices_ref ON notices (ref_id, id);
CREATE INDEX notices_decided ON notices (decided_at);

CREATE TABLE statements (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    brand_id   TEXT NOT NULL,
    seller_id  TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    ref_id     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    body       TEXT NOT NULL
);
CREATE INDEX statements_brand ON statements (brand_id, id);
CREATE INDEX statements_seller ON statements (seller_id, id);
CREATE INDEX statements_ref ON statements (ref_id, id);
CREATE INDEX statements_decided ON statements (decided_at);

CREATE TABLE counter_notices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    brand_id   TEXT NOT NULL,
    seller_id  TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    ref_id     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    body       TEXT NOT NULL
);
CREATE INDEX counter_notices_brand ON counter_notices (brand_id, id);
CREATE INDEX counter_notices_seller ON counter_notices (seller_id, id);
CREATE INDEX counter_notices_ref ON counter_notices (ref_id, id);
CREATE INDEX counter_notices_decided ON counter_notices (decided_at);

CREATE TABLE appeals (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    brand_id   TEXT NOT NULL,
    seller_id  TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    ref_id     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    body       TEXT NOT NULL
);
CREATE INDEX appeals_brand ON appeals (brand_id, id);
CREATE INDEX appeals_seller ON appeals (seller_id, id);
CREATE INDEX appeals_ref ON appeals (ref_id, id);
CREATE INDEX appeals_decided ON appeals (decided_at);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'rights_holder', 'seller')),
    brand_ids     TEXT NOT NULL DEFAULT '[]',
    seller_id     TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Only the SHA-256 of a session token is kept: a copy of the database
-- logs no one in.
CREATE TABLE sessions (
    hash       BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE notifier_standing (
    brand_id   TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Durable timers: a restart loses none, and the due index makes finding
-- the next ones cheap however many are pending.
CREATE TABLE timers (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind   TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    due_at TEXT NOT NULL
);
CREATE INDEX timers_due ON timers (due_at, id);
CREATE INDEX timers_ref ON timers (ref_id, kind);
