-- Genuine product data a rights holder registers: names and identifiers
-- (GTINs, model numbers) that screening reads as marks of the brand, and a
-- per-product minimum price that outranks the brand's floor. Identifiers
-- are a JSON list: they are only ever read and written with their product.
CREATE TABLE products (
    brand_id    text NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
    pos         integer NOT NULL,
    name        text NOT NULL,
    category    text NOT NULL DEFAULT '',
    min_price   double precision NOT NULL DEFAULT 0,
    currency    text NOT NULL DEFAULT '',
    identifiers text NOT NULL DEFAULT '[]',
    PRIMARY KEY (brand_id, pos)
);
