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

// PutSeller creates or updates a seller. The first CreatedAt is kept: a
// seller's age is a screening signal and must not be reset by an update.
func (db *DB) PutSeller(ctx context.Context, s *hallmark.Seller, actor string) error {
	if s == nil {
		return fmt.Errorf("%s put seller: %w", db.d.Name, &hallmark.ValidationError{Field: "seller", Message: "is required"})
	}
	for _, c := range []struct {
		field, v string
		max      int
		required bool
	}{{"id", s.ID, hallmark.MaxIDLen, true}, {"name", s.Name, hallmark.MaxTitleLen, true}, {"country", s.Country, hallmark.MaxIDLen, false}} {
		if err := text(c.field, c.v, c.max, c.required); err != nil {
			return fmt.Errorf("%s put seller: %w", db.d.Name, err)
		}
	}
	created := db.nowOr(s.CreatedAt)
	return db.tx(ctx, func(tx *sql.Tx) error {
		var existing int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sellers WHERE id = $1`, s.ID).Scan(&existing); err != nil {
			return db.wrap("put seller", err)
		}
		var at time.Time
		err := tx.QueryRowContext(ctx, `
			INSERT INTO sellers (id, name, country, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, country = excluded.country
			RETURNING created_at`,
			s.ID, s.Name, s.Country, db.d.Time(created)).Scan(timeCol{&at})
		if err != nil {
			return db.wrap("put seller", err)
		}
		s.CreatedAt = at
		detail, err := json.Marshal(s)
		if err != nil {
			return err
		}
		action := "seller_update"
		if existing == 0 {
			action = "seller_create"
		}
		return db.appendAudit(ctx, tx, &hallmark.AuditEntry{
			Actor: actor, Action: action, ObjectType: "seller", ObjectID: s.ID, Detail: string(detail),
		})
	})
}

// GetSeller returns one seller.
func (db *DB) GetSeller(ctx context.Context, id string) (*hallmark.Seller, error) {
	var s hallmark.Seller
	err := db.r.QueryRowContext(ctx, `SELECT id, name, country, created_at FROM sellers WHERE id = $1`, id).
		Scan(&s.ID, &s.Name, &s.Country, timeCol{&s.CreatedAt})
	if err == sql.ErrNoRows {
		return nil, db.notFound("seller", id)
	}
	if err != nil {
		return nil, db.wrap("get seller", err)
	}
	return &s, nil
}

// ListSellers returns sellers ordered by id, after the cursor.
func (db *DB) ListSellers(ctx context.Context, page store.Page) ([]hallmark.Seller, error) {
	var out []hallmark.Seller
	err := db.each(ctx, db.r, `SELECT id, name, country, created_at FROM sellers WHERE id > $1 ORDER BY id LIMIT $2`,
		[]any{page.After, page.LimitOrDefault()}, func(rows *sql.Rows) error {
			var s hallmark.Seller
			if err := rows.Scan(&s.ID, &s.Name, &s.Country, timeCol{&s.CreatedAt}); err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
	return out, err
}

// SellerHistory reports the seller's listings, removed listings and review
// and block decisions (every decision, not only the latest per listing: a
// seller who keeps resubmitting a blocked listing is telling us something),
// and names the brands that authorized the seller, in brand id order.
//
// It runs on every publish-time screening, so it costs the same however
// much the seller has listed: the counts are counters on the seller row,
// kept by triggers in the transactions that write listings and decisions
// (migration 0002), and both queries are index lookups. They run outside a
// transaction: the counters are one row, read atomically, and the
// authorizations are a separate fact whose order relative to them does not
// matter.
//
// An unknown seller is not an error: Known is false and the counts are zero,
// because a seller never seen before is itself a screening signal. Brands may
// authorize a seller id before it is known, so Authorized is filled anyway.
func (db *DB) SellerHistory(ctx context.Context, id string, now time.Time) (hallmark.SellerHistory, error) {
	var h hallmark.SellerHistory
	st, err := db.preparedAll(ctx, db.r, sqlSellerCounters, sqlSellerAuthorized)
	if err != nil {
		return h, db.wrap("seller history", err)
	}
	var created time.Time
	err = st[0].QueryRowContext(ctx, id).Scan(timeCol{&created}, &h.Listings, &h.Removed, &h.Blocks, &h.Reviews)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return h, db.wrap("seller history", err)
	default:
		h.Known = true
		if age := now.Sub(created).Hours() / 24; age > 0 {
			h.AgeDays = age
		}
	}
	rows, err := st[1].QueryContext(ctx, id)
	if err != nil {
		return h, db.wrap("seller history", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return h, db.wrap("seller history", err)
		}
		h.Authorized = append(h.Authorized, b)
	}
	if err := rows.Err(); err != nil {
		return h, db.wrap("seller history", err)
	}
	return h, nil
}

const (
	sqlSellerCounters   = `SELECT created_at, listings, removed, blocks, reviews FROM sellers WHERE id = $1`
	sqlSellerAuthorized = `SELECT brand_id FROM authorized_sellers WHERE seller_id = $1 ORDER BY brand_id`
)

// where accumulates constant condition fragments and their arguments,
// numbering the parameters; no value is ever written into the SQL text.
type where struct {
	conds []string
	args  []any
}

// add appends a condition in which every "?" stands for the next parameter.
func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// limit appends a LIMIT parameter and returns its clause.
func (w *where) limit(n int) string {
	w.args = append(w.args, n)
	return " LIMIT $" + strconv.Itoa(len(w.args))
}
