-- Images uploaded through the API for listings to name ("upload:ID"). The
-- bytes are kept, not only hashes: a reviewer looks at the picture, and a
-- later hashing method can be run again over what was uploaded.
CREATE TABLE uploads (
    id           TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    data         BYTEA NOT NULL,
    actor        TEXT NOT NULL,
    created_at   timestamptz NOT NULL
);
