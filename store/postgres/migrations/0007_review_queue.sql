-- The review queue: held listings by the risk of their latest decision,
-- then oldest first. See the SQLite migration of the same number for why
-- the listing carries a trigger-kept copy of its latest decision's summary.
ALTER TABLE listings ADD COLUMN latest_decision_id bigint           NOT NULL DEFAULT 0;
ALTER TABLE listings ADD COLUMN latest_action      text             NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN latest_score       double precision NOT NULL DEFAULT 0;
ALTER TABLE listings ADD COLUMN latest_brand_id    text             NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN latest_decided_at  timestamptz;
ALTER TABLE listings ADD COLUMN latest_detectors   text             NOT NULL DEFAULT ',';

CREATE FUNCTION decision_detectors(signals jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(',' || string_agg(DISTINCT e->>'detector', ',') || ',', ',')
    FROM jsonb_array_elements(signals) e
$$;

UPDATE listings SET
    latest_decision_id = d.id, latest_action = d.action, latest_score = d.score,
    latest_brand_id = d.brand_id, latest_decided_at = d.decided_at,
    latest_detectors = decision_detectors(d.signals)
FROM (SELECT DISTINCT ON (listing_id) id, listing_id, action, score, brand_id, signals, decided_at
      FROM decisions ORDER BY listing_id, decided_at DESC, id DESC) d
WHERE d.listing_id = listings.id;

CREATE FUNCTION decisions_latest() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE listings SET
        latest_decision_id = NEW.id, latest_action = NEW.action, latest_score = NEW.score,
        latest_brand_id = NEW.brand_id, latest_decided_at = NEW.decided_at,
        latest_detectors = decision_detectors(NEW.signals)
    WHERE id = NEW.listing_id
      AND (latest_decided_at IS NULL OR (latest_decided_at, latest_decision_id) < (NEW.decided_at, NEW.id));
    RETURN NULL;
END;
$$;
CREATE TRIGGER decisions_latest AFTER INSERT ON decisions
    FOR EACH ROW EXECUTE FUNCTION decisions_latest();

CREATE INDEX listings_queue          ON listings (status, latest_score DESC, latest_decided_at, id, latest_detectors) WHERE status = 'held';
CREATE INDEX listings_queue_brand    ON listings (status, latest_brand_id, latest_score DESC, latest_decided_at, id) WHERE status = 'held';
CREATE INDEX listings_queue_category ON listings (status, category, latest_score DESC, latest_decided_at, id) WHERE status = 'held';
CREATE INDEX listings_queue_seller   ON listings (status, seller_id, latest_score DESC, latest_decided_at, id) WHERE status = 'held';

CREATE TABLE review_claims (
    listing_id text PRIMARY KEY REFERENCES listings(id),
    reviewer   text NOT NULL,
    name       text NOT NULL DEFAULT '',
    claimed_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
