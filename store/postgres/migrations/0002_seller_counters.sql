-- Per-seller counters for SellerHistory, which every publish-time screening
-- reads: counting a seller's listings and joining all their decisions on
-- each call made screening slower the more a seller had listed.
--
-- The counters are kept by triggers, so they change in the same statement
-- (and so the same transaction) as the rows they count, whatever code path
-- writes them, and cannot drift; the seller row's lock serializes
-- concurrent updates of one seller's counters. Semantics are those of the
-- queries they replace:
--   listings  every listing of the seller (listings never change seller and
--             are never deleted);
--   removed   listings whose current status is 'removed';
--   blocks,   every block and review decision on the seller's listings, not
--   reviews   only the latest per listing (decisions are never deleted).

ALTER TABLE sellers
    ADD COLUMN listings bigint NOT NULL DEFAULT 0,
    ADD COLUMN removed  bigint NOT NULL DEFAULT 0,
    ADD COLUMN blocks   bigint NOT NULL DEFAULT 0,
    ADD COLUMN reviews  bigint NOT NULL DEFAULT 0;

UPDATE sellers SET
    listings = (SELECT COUNT(*) FROM listings l WHERE l.seller_id = sellers.id),
    removed  = (SELECT COUNT(*) FROM listings l WHERE l.seller_id = sellers.id AND l.status = 'removed'),
    blocks   = (SELECT COUNT(*) FROM decisions d JOIN listings l ON l.id = d.listing_id
                WHERE l.seller_id = sellers.id AND d.action = 'block'),
    reviews  = (SELECT COUNT(*) FROM decisions d JOIN listings l ON l.id = d.listing_id
                WHERE l.seller_id = sellers.id AND d.action = 'review');

CREATE FUNCTION listings_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE sellers SET listings = listings + 1,
            removed = removed + (NEW.status = 'removed')::int
        WHERE id = NEW.seller_id;
    ELSIF (OLD.status = 'removed') <> (NEW.status = 'removed') THEN
        UPDATE sellers SET removed = removed + (NEW.status = 'removed')::int - (OLD.status = 'removed')::int
        WHERE id = NEW.seller_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER listings_count AFTER INSERT OR UPDATE OF status ON listings
    FOR EACH ROW EXECUTE FUNCTION listings_count();

CREATE FUNCTION decisions_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.action IN ('block', 'review') THEN
        UPDATE sellers SET blocks = blocks + (NEW.action = 'block')::int,
            reviews = reviews + (NEW.action = 'review')::int
        WHERE id = (SELECT seller_id FROM listings WHERE id = NEW.listing_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER decisions_count AFTER INSERT ON decisions
    FOR EACH ROW EXECUTE FUNCTION decisions_count();
