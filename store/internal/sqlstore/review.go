package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

// ReviewQueue reads held listings through the partial indexes of migration
// 0007: the listing carries its latest decision's summary, so a page is an
// index walk and a join to at most Limit claims, however many decisions
// there are.
func (db *DB) ReviewQueue(ctx context.Context, f store.ReviewFilter) ([]store.ReviewCase, int, error) {
	var w where
	// A literal, not a parameter: SQLite uses a partial index only when
	// the query's condition implies the index's at planning time.
	w.conds = append(w.conds, `status = 'held'`)
	if f.BrandID != "" {
		w.add(`latest_brand_id = ?`, f.BrandID)
	}
	if f.Category != "" {
		w.add(`category = ?`, f.Category)
	}
	if f.SellerID != "" {
		w.add(`seller_id = ?`, f.SellerID)
	}
	if f.Detector != "" {
		w.add(`latest_detectors LIKE ? ESCAPE '\'`, "%,"+likeEscape(f.Detector)+",%")
	}
	var total int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM listings`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, db.wrap("review queue", err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	// The page is chosen first, by the index alone, and only its rows are
	// joined to their claims.
	now := f.Now
	if now.IsZero() {
		now = db.now()
	}
	nowArg := len(w.args) + 1
	args := append(append([]any(nil), w.args...), db.ts(now), store.Page{Limit: f.Limit}.LimitOrDefault(), max(f.Offset, 0))
	q := `SELECT ` + prefixed("l.", listingCols) + `, l.latest_decision_id, l.latest_action, l.latest_score,
			l.latest_brand_id, l.latest_decided_at, c.reviewer, c.name, c.claimed_at, c.expires_at
		FROM (SELECT * FROM listings` + w.String() + `
			ORDER BY latest_score DESC, latest_decided_at, id
			LIMIT $` + strconv.Itoa(nowArg+1) + ` OFFSET $` + strconv.Itoa(nowArg+2) + `) l
		LEFT JOIN review_claims c ON c.listing_id = l.id AND c.expires_at > $` + strconv.Itoa(nowArg) + `
		ORDER BY l.latest_score DESC, l.latest_decided_at, l.id`
	var out []store.ReviewCase
	err := db.each(ctx, db.r, q, args, func(rows *sql.Rows) error {
		var rc store.ReviewCase
		var images []byte
		var status, action string
		var decided *time.Time
		var reviewer, name sql.NullString
		var claimed, expires *time.Time
		l := &rc.Listing
		if err := rows.Scan(&l.ID, &l.SellerID, &l.Title, &l.Description, &l.Price, &l.Currency, &l.Category,
			&images, &status, timeCol{&l.CreatedAt}, timeCol{&l.UpdatedAt},
			&rc.DecisionID, &action, &rc.Score, &rc.BrandID, nullTimeCol{&decided},
			&reviewer, &name, nullTimeCol{&claimed}, nullTimeCol{&expires}); err != nil {
			return err
		}
		l.Status = hallmark.ListingStatus(status)
		if err := json.Unmarshal(images, &l.Images); err != nil {
			return err
		}
		if len(l.Images) == 0 {
			l.Images = nil
		}
		if action != "" {
			a, err := hallmark.ParseAction(action)
			if err != nil {
				return err
			}
			rc.Action = a
		}
		if decided != nil {
			rc.DecidedAt = *decided
		}
		if reviewer.Valid && claimed != nil && expires != nil {
			rc.Claim = &store.Claim{ListingID: l.ID, Reviewer: reviewer.String, Name: name.String, ClaimedAt: *claimed, ExpiresAt: *expires}
		}
		out = append(out, rc)
		return nil
	})
	if err != nil {
		return nil, 0, db.wrap("review queue", err)
	}
	return out, total, nil
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ClaimCase takes or extends a claim in one statement: the upsert only
// overwrites a claim of the same reviewer or one already expired, so two
// reviewers claiming at once cannot both win, on either database.
func (db *DB) ClaimCase(ctx context.Context, listingID, reviewer, name string, now time.Time, ttl time.Duration) (*store.Claim, error) {
	if reviewer == "" || ttl <= 0 {
		return nil, fmt.Errorf("%s claim case: %w", db.d.Name, &hallmark.ValidationError{Field: "claim", Message: "a reviewer and a positive duration are required"})
	}
	now = norm(now)
	c := &store.Claim{ListingID: listingID, Reviewer: reviewer, Name: name, ClaimedAt: now, ExpiresAt: norm(now.Add(ttl))}
	var held *store.Claim
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM listings WHERE id = $1`, listingID).Scan(&n); err != nil {
			return db.wrap("claim case", err)
		}
		if n == 0 {
			return db.notFound("listing", listingID)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO review_claims (listing_id, reviewer, name, claimed_at, expires_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (listing_id) DO UPDATE SET reviewer = excluded.reviewer, name = excluded.name,
				claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
			WHERE review_claims.reviewer = excluded.reviewer OR review_claims.expires_at <= excluded.claimed_at`,
			listingID, reviewer, name, db.d.Time(c.ClaimedAt), db.d.Time(c.ExpiresAt))
		if err != nil {
			return db.wrap("claim case", err)
		}
		if k, err := res.RowsAffected(); err != nil {
			return db.wrap("claim case", err)
		} else if k == 0 {
			held, err = db.getClaim(ctx, tx, listingID, now)
			if err != nil {
				return err
			}
			return fmt.Errorf("%s claim case: listing %q is claimed by %s: %w", db.d.Name, listingID, held.Reviewer, hallmark.ErrConflict)
		}
		detail, err := json.Marshal(map[string]string{"expires_at": c.ExpiresAt.Format(time.RFC3339)})
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, &hallmark.AuditEntry{At: now, Actor: reviewer, Action: "claim",
			ObjectType: "listing", ObjectID: listingID, Detail: string(detail)})
	})
	if held != nil {
		return held, err
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

type rowQueryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (db *DB) getClaim(ctx context.Context, q rowQueryer, listingID string, now time.Time) (*store.Claim, error) {
	c := &store.Claim{ListingID: listingID}
	err := q.QueryRowContext(ctx, `SELECT reviewer, name, claimed_at, expires_at FROM review_claims
		WHERE listing_id = $1 AND expires_at > $2`, listingID, db.ts(now)).
		Scan(&c.Reviewer, &c.Name, timeCol{&c.ClaimedAt}, timeCol{&c.ExpiresAt})
	if err == sql.ErrNoRows {
		return nil, db.notFound("claim on listing", listingID)
	}
	if err != nil {
		return nil, db.wrap("get claim", err)
	}
	return c, nil
}

// GetClaim returns the live claim on a listing.
func (db *DB) GetClaim(ctx context.Context, listingID string, now time.Time) (*store.Claim, error) {
	return db.getClaim(ctx, db.r, listingID, now)
}

// ReleaseClaim drops reviewer's claim on a listing, if there is one.
func (db *DB) ReleaseClaim(ctx context.Context, listingID, reviewer string) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM review_claims WHERE listing_id = $1 AND reviewer = $2`, listingID, reviewer)
	return db.wrap("release claim", err)
}
