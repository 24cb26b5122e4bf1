-- The review queue: held listings by the risk of their latest decision,
-- then oldest first. Finding "the latest decision" of every held listing
-- at query time means a group-by over all decisions, which is what made the
-- console's first queue view slow (~250 ms at 100,000 listings). The
-- listing instead carries a copy of its latest decision's summary, kept by
-- a trigger in the same statement (and so the same transaction) as the
-- decision's insert, whatever code path writes it, so it cannot drift.
--
-- latest_detectors is ",det1,det2," (the distinct detectors of the
-- decision's signals, comma-fenced) so a detector filter is one LIKE.
ALTER TABLE listings ADD COLUMN latest_decision_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE listings ADD COLUMN latest_action      TEXT    NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN latest_score       REAL    NOT NULL DEFAULT 0;
ALTER TABLE listings ADD COLUMN latest_brand_id    TEXT    NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN latest_decided_at  TEXT;
ALTER TABLE listings ADD COLUMN latest_detectors   TEXT    NOT NULL DEFAULT ',';

UPDATE listings SET
    latest_decision_id = d.id, latest_action = d.action, latest_score = d.score,
    latest_brand_id = d.brand_id, latest_decided_at = d.decided_at,
    latest_detectors = COALESCE((SELECT ',' || group_concat(DISTINCT json_extract(s.value, '$.detector')) || ','
                                 FROM json_each(d.signals) s), ',')
FROM (SELECT id, listing_id, action, score, brand_id, signals, decided_at,
             row_number() OVER (PARTITION BY listing_id ORDER BY decided_at DESC, id DESC) AS n
      FROM decisions) d
WHERE d.listing_id = listings.id AND d.n = 1;

-- Decisions may arrive out of time order (an import, a replay): only a
-- newer one replaces the copy, with the same order LatestDecision uses.
CREATE TRIGGER decisions_latest AFTER INSERT ON decisions
BEGIN
    UPDATE listings SET
        latest_decision_id = NEW.id, latest_action = NEW.action, latest_score = NEW.score,
        latest_brand_id = NEW.brand_id, latest_decided_at = NEW.decided_at,
        latest_detectors = COALESCE((SELECT ',' || group_concat(DISTINCT json_extract(s.value, '$.detector')) || ','
                                     FROM json_each(NEW.signals) s), ',')
    WHERE id = NEW.listing_id
      AND (latest_decided_at IS NULL OR latest_decided_at < NEW.decided_at
           OR (latest_decided_at = NEW.decided_at AND latest_decision_id < NEW.id));
END;

-- Partial indexes over held listings only (about one in ten): the queue's
-- order, unfiltered and under each equality filter, so every page is an
-- index walk with no sort. status leads although it is constant here: then
-- "status = 'held'" is an equality on the index too, and the planner,
-- which has no statistics, prefers it to listings_status plus a sort.
CREATE INDEX listings_queue          ON listings (status, latest_score DESC, latest_decided_at, id, latest_detectors) WHERE status = 'held';
CREATE INDEX listings_queue_brand    ON listings (status, latest_brand_id, latest_score DESC, latest_decided_at, id) WHERE status = 'held';
CREATE INDEX listings_queue_category ON listings (status, category, latest_score DESC, latest_decided_at, id) WHERE status = 'held';
CREATE INDEX listings_queue_seller   ON listings (status, seller_id, latest_score DESC, latest_decided_at, id) WHERE status = 'held';

-- A reviewer's claim on a case: others cannot decide it until it expires
-- or is released. A row whose expires_at has passed is no claim at all; it
-- is overwritten by the next claim rather than swept.
CREATE TABLE review_claims (
    listing_id TEXT PRIMARY KEY REFERENCES listings(id),
    reviewer   TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    claimed_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
