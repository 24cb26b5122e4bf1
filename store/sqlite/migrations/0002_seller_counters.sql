-- Per-seller counters for SellerHistory, which every publish-time screening
-- reads: counting a seller's listings and joining all their decisions on
-- each call made screening slower the more a seller had listed.
--
-- The counters are kept by triggers, so they change in the same statement
-- (and so the same transaction) as the rows they count, whatever code path
-- writes them, and cannot drift. Semantics are those of the queries they
-- replace:
--   listings  every listing of the seller (listings never change seller and
--             are never deleted);
--   removed   listings whose current status is 'removed';
--   blocks,   every block and review decision on the seller's listings, not
--   reviews   only the latest per listing (decisions are never deleted).

ALTER TABLE sellers ADD COLUMN listings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN removed  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN blocks   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sellers ADD COLUMN reviews  INTEGER NOT NULL DEFAULT 0;

UPDATE sellers SET
    listings = (SELECT COUNT(*) FROM listings l WHERE l.seller_id = sellers.id),
    removed  = (SELECT COUNT(*) FROM listings l WHERE l.seller_id = sellers.id AND l.status = 'removed'),
    blocks   = (SELECT COUNT(*) FROM decisions d JOIN listings l ON l.id = d.listing_id
                WHERE l.seller_id = sellers.id AND d.action = 'block'),
    reviews  = (SELECT COUNT(*) FROM decisions d JOIN listings l ON l.id = d.listing_id
                WHERE l.seller_id = sellers.id AND d.action = 'review');

CREATE TRIGGER listings_count_insert AFTER INSERT ON listings
BEGIN
    UPDATE sellers SET listings = listings + 1, removed = removed + (NEW.status = 'removed')
    WHERE id = NEW.seller_id;
END;

CREATE TRIGGER listings_count_status AFTER UPDATE OF status ON listings
WHEN (OLD.status = 'removed') <> (NEW.status = 'removed')
BEGIN
    UPDATE sellers SET removed = removed + (NEW.status = 'removed') - (OLD.status = 'removed')
    WHERE id = NEW.seller_id;
END;

CREATE TRIGGER decisions_count_insert AFTER INSERT ON decisions
WHEN NEW.action IN ('block', 'review')
BEGIN
    UPDATE sellers SET blocks = blocks + (NEW.action = 'block'), reviews = reviews + (NEW.action = 'review')
    WHERE id = (SELECT seller_id FROM listings WHERE id = NEW.listing_id);
END;
