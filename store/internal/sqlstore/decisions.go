package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

const decisionCols = `id, listing_id, action, score, brand_id, reasons, signals, policy_version, decided_at`

func scanDecision(row interface{ Scan(...any) error }) (*hallmark.Decision, error) {
	var d hallmark.Decision
	var action string
	var reasons, signals []byte
	if err := row.Scan(&d.ID, &d.ListingID, &action, &d.Score, &d.BrandID, &reasons, &signals,
		&d.PolicyVersion, timeCol{&d.DecidedAt}); err != nil {
		return nil, err
	}
	a, err := hallmark.ParseAction(action)
	if err != nil {
		return nil, err
	}
	d.Action = a
	if err := json.Unmarshal(reasons, &d.Reasons); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(signals, &d.Signals); err != nil {
		return nil, err
	}
	if len(d.Signals) == 0 {
		d.Signals = nil // omitted in JSON, as it was before it was stored
	}
	return &d, nil
}

// GetDecision returns one decision.
func (db *DB) GetDecision(ctx context.Context, id int64) (*hallmark.Decision, error) {
	d, err := scanDecision(db.r.QueryRowContext(ctx, `SELECT `+decisionCols+` FROM decisions WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, db.notFound("decision", fmt.Sprint(id))
	}
	if err != nil {
		return nil, db.wrap("get decision", err)
	}
	return d, nil
}

// LatestDecision returns the newest decision for a listing: the latest
// decided_at, and of decisions made at the same instant the last stored.
func (db *DB) LatestDecision(ctx context.Context, listingID string) (*hallmark.Decision, error) {
	d, err := scanDecision(db.r.QueryRowContext(ctx, `SELECT `+decisionCols+` FROM decisions
		WHERE listing_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1`, listingID))
	if err == sql.ErrNoRows {
		return nil, db.notFound("decision for listing", listingID)
	}
	if err != nil {
		return nil, db.wrap("latest decision", err)
	}
	return d, nil
}

// ListDecisions returns decisions newest first (decided_at, then id, both
// descending), after the cursor made by store.DecisionCursor.
func (db *DB) ListDecisions(ctx context.Context, f store.DecisionFilter) ([]hallmark.Decision, error) {
	var w where
	if f.Action != nil {
		if _, ok := statusFor(*f.Action); !ok {
			return nil, fmt.Errorf("%s list decisions: %w", db.d.Name, &hallmark.ValidationError{Field: "action", Message: f.Action.String()})
		}
		w.add(`action = ?`, f.Action.String())
	}
	if f.BrandID != "" {
		w.add(`brand_id = ?`, f.BrandID)
	}
	if f.ListingID != "" {
		w.add(`listing_id = ?`, f.ListingID)
	}
	if f.After != "" {
		at, id, err := store.ParseDecisionCursor(f.After)
		if err != nil {
			return nil, fmt.Errorf("%s list decisions: %w", db.d.Name, err)
		}
		w.add(`(decided_at, id) < (?, ?)`, db.ts(at), id)
	}
	q := `SELECT ` + decisionCols + ` FROM decisions` + w.String() + ` ORDER BY decided_at DESC, id DESC`
	q += w.limit(f.LimitOrDefault())
	var out []hallmark.Decision
	err := db.each(ctx, db.r, q, w.args, func(rows *sql.Rows) error {
		d, err := scanDecision(rows)
		if err != nil {
			return err
		}
		out = append(out, *d)
		return nil
	})
	return out, err
}
