-- Genuine product data a rights holder registers: names and identifiers
-- (GTINs, model numbers) that screening reads as marks of the brand, and a
-- per-product minimum price that outranks the brand's floor. Identifiers
-- are a JSON list: they are only ever read and written with their product.
CREATE TABLE products (
    brand_id    TEXT NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL DEFAULT '',
    min_price   REAL NOT NULL DEFAULT 0,
    currency    TEXT NOT NULL DEFAULT '',
    identifiers TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (brand_id, pos)
);
