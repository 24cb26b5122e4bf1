package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

const listingCols = `id, seller_id, title, description, price, currency, category, images, status, created_at, updated_at`

func scanListing(rows interface{ Scan(...any) error }) (*hallmark.Listing, error) {
	var l hallmark.Listing
	var images []byte
	var status string
	if err := rows.Scan(&l.ID, &l.SellerID, &l.Title, &l.Description, &l.Price, &l.Currency, &l.Category,
		&images, &status, timeCol{&l.CreatedAt}, timeCol{&l.UpdatedAt}); err != nil {
		return nil, err
	}
	l.Status = hallmark.ListingStatus(status)
	if err := json.Unmarshal(images, &l.Images); err != nil {
		return nil, err
	}
	if len(l.Images) == 0 {
		l.Images = nil
	}
	return &l, nil
}

// GetListing returns one listing.
func (db *DB) GetListing(ctx context.Context, id string) (*hallmark.Listing, error) {
	st, err := db.prepared(ctx, db.r, sqlGetListing)
	if err != nil {
		return nil, db.wrap("get listing", err)
	}
	l, err := scanListing(st.QueryRowContext(ctx, id))
	if err == sql.ErrNoRows {
		return nil, db.notFound("listing", id)
	}
	if err != nil {
		return nil, db.wrap("get listing", err)
	}
	return l, nil
}

// ListListings returns listings ordered by id, after the cursor.
func (db *DB) ListListings(ctx context.Context, f store.ListingFilter) ([]hallmark.Listing, error) {
	var w where
	w.add(`id > ?`, f.After)
	if f.SellerID != "" {
		w.add(`seller_id = ?`, f.SellerID)
	}
	if f.Status != "" {
		if !validStatus(f.Status) {
			return nil, fmt.Errorf("%s list listings: %w", db.d.Name, &hallmark.ValidationError{Field: "status", Message: fmt.Sprintf("unknown status %q", f.Status)})
		}
		w.add(`status = ?`, string(f.Status))
	}
	q := `SELECT ` + listingCols + ` FROM listings` + w.String() + ` ORDER BY id`
	q += w.limit(f.LimitOrDefault())
	var out []hallmark.Listing
	err := db.each(ctx, db.r, q, w.args, func(rows *sql.Rows) error {
		l, err := scanListing(rows)
		if err != nil {
			return err
		}
		out = append(out, *l)
		return nil
	})
	return out, err
}

func validStatus(s hallmark.ListingStatus) bool {
	switch s {
	case hallmark.StatusActive, hallmark.StatusHeld, hallmark.StatusRemoved:
		return true
	}
	return false
}

// SetListingStatus changes a listing's status and records who did it, from
// what, and why, in one transaction.
func (db *DB) SetListingStatus(ctx context.Context, id string, status hallmark.ListingStatus, actor, reason string) error {
	if !validStatus(status) {
		return fmt.Errorf("%s set listing status: %w", db.d.Name, &hallmark.ValidationError{Field: "status", Message: fmt.Sprintf("unknown status %q", status)})
	}
	now := norm(db.now())
	return db.tx(ctx, func(tx *sql.Tx) error {
		var from string
		err := tx.QueryRowContext(ctx, `SELECT status FROM listings WHERE id = $1`, id).Scan(&from)
		if err == sql.ErrNoRows {
			return db.notFound("listing", id)
		}
		if err != nil {
			return db.wrap("set listing status", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE listings SET status = $1, updated_at = $2 WHERE id = $3`,
			string(status), db.d.Time(now), id); err != nil {
			return db.wrap("set listing status", err)
		}
		detail, err := json.Marshal(map[string]string{"from": from, "to": string(status), "reason": reason})
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, &hallmark.AuditEntry{
			At: now, Actor: actor, Action: "status_change", ObjectType: "listing", ObjectID: id, Detail: string(detail),
		})
	})
}

// The statements of SaveScreening, kept prepared (see DB.prepared).
const (
	sqlSellerExists  = `SELECT COUNT(*) FROM sellers WHERE id = $1`
	sqlUpsertListing = `
		INSERT INTO listings (` + listingCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
			price = excluded.price, currency = excluded.currency, category = excluded.category,
			images = excluded.images, status = excluded.status, updated_at = excluded.updated_at
		WHERE listings.seller_id = excluded.seller_id
		RETURNING created_at`
	sqlInsertDecision = `
		INSERT INTO decisions (listing_id, action, score, brand_id, reasons, signals, policy_version, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`
	sqlGetListing = `SELECT ` + listingCols + ` FROM listings WHERE id = $1`
)

// statusFor is the listing status a decision puts a listing in.
func statusFor(a hallmark.Action) (hallmark.ListingStatus, bool) {
	switch a {
	case hallmark.Allow:
		return hallmark.StatusActive, true
	case hallmark.Review:
		return hallmark.StatusHeld, true
	case hallmark.Block:
		return hallmark.StatusRemoved, true
	}
	return "", false
}

// SaveScreening stores the listing, its decision and an audit entry in one
// transaction. On success it sets l.Status, l.CreatedAt, l.UpdatedAt, d.ID,
// d.ListingID and d.DecidedAt; on failure nothing is written and neither is
// changed.
//
// A listing id already used by another seller is refused (ErrConflict)
// rather than silently moved: listing ids are the marketplace's, and a
// listing changing hands is not something screening should paper over.
func (db *DB) SaveScreening(ctx context.Context, l *hallmark.Listing, d *hallmark.Decision, actor string) error {
	if l == nil || d == nil {
		return fmt.Errorf("%s save screening: %w", db.d.Name, &hallmark.ValidationError{Field: "listing", Message: "listing and decision are required"})
	}
	if err := l.Validate(); err != nil {
		return fmt.Errorf("%s save screening: %w", db.d.Name, err)
	}
	if d.ListingID != "" && d.ListingID != l.ID {
		return fmt.Errorf("%s save screening: %w", db.d.Name, &hallmark.ValidationError{Field: "listing_id", Message: "decision is for another listing"})
	}
	status, ok := statusFor(d.Action)
	if !ok {
		return fmt.Errorf("%s save screening: %w", db.d.Name, &hallmark.ValidationError{Field: "action", Message: d.Action.String()})
	}
	if math.IsNaN(d.Score) || math.IsInf(d.Score, 0) {
		return fmt.Errorf("%s save screening: %w", db.d.Name, &hallmark.ValidationError{Field: "score", Message: "must be a finite number"})
	}
	images, err := jsonArray(l.Images)
	if err != nil {
		return err
	}
	reasons, err := jsonArray(d.Reasons)
	if err != nil {
		return fmt.Errorf("%s save screening: reasons: %w: %w", db.d.Name, hallmark.ErrInvalid, err)
	}
	signals, err := jsonArray(d.Signals)
	if err != nil {
		return fmt.Errorf("%s save screening: signals: %w: %w", db.d.Name, hallmark.ErrInvalid, err)
	}
	now := norm(db.now())
	created, decidedAt := or(l.CreatedAt, now), or(d.DecidedAt, now)

	// Prepared before the transaction: see prepared.
	st, err := db.preparedAll(ctx, db.w, sqlSellerExists, sqlUpsertListing, sqlInsertDecision, sqlInsertAudit)
	if err != nil {
		return db.wrap("save screening", err)
	}
	var id int64
	// The seller's counters (SellerHistory) follow in the same transaction,
	// kept by the triggers of migration 0002.
	err = db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.StmtContext(ctx, st[0]).QueryRowContext(ctx, l.SellerID).Scan(&n); err != nil {
			return db.wrap("save screening", err)
		}
		if n == 0 {
			return db.notFound("seller", l.SellerID)
		}
		err := tx.StmtContext(ctx, st[1]).QueryRowContext(ctx,
			l.ID, l.SellerID, l.Title, l.Description, l.Price, l.Currency, l.Category, images, string(status),
			db.d.Time(created), db.d.Time(now)).Scan(timeCol{&created})
		if err == sql.ErrNoRows {
			return fmt.Errorf("%s save screening: listing %q belongs to another seller: %w", db.d.Name, l.ID, hallmark.ErrConflict)
		}
		if err != nil {
			return db.wrap("save screening", err)
		}
		if err := tx.StmtContext(ctx, st[2]).QueryRowContext(ctx,
			l.ID, d.Action.String(), d.Score, d.BrandID, reasons, signals, d.PolicyVersion, db.d.Time(decidedAt)).Scan(&id); err != nil {
			return db.wrap("save screening", err)
		}
		detail, err := json.Marshal(struct {
			DecisionID    int64           `json:"decision_id"`
			Action        hallmark.Action `json:"action"`
			Score         float64         `json:"score"`
			BrandID       string          `json:"brand_id,omitempty"`
			PolicyVersion string          `json:"policy_version,omitempty"`
			Status        string          `json:"status"`
		}{id, d.Action, d.Score, d.BrandID, d.PolicyVersion, string(status)})
		if err != nil {
			return err
		}
		return db.appendAuditWith(ctx, tx.StmtContext(ctx, st[3]), &hallmark.AuditEntry{
			At: now, Actor: actor, Action: "decision", ObjectType: "listing", ObjectID: l.ID, Detail: string(detail),
		})
	})
	if err != nil {
		return err
	}
	l.Status, l.CreatedAt, l.UpdatedAt = status, created, now
	d.ID, d.ListingID, d.DecidedAt = id, l.ID, decidedAt
	return nil
}
