package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
)

// querier is what both *sql.DB and *sql.Tx offer, so that reads can run
// inside or outside a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// PutBrand creates a brand or replaces it whole. It sets b.CreatedAt (kept
// from the first version) and the ids and brand ids of what b owns.
func (db *DB) PutBrand(ctx context.Context, b *hallmark.Brand, actor string) error {
	if err := validBrand(b); err != nil {
		return fmt.Errorf("%s put brand: %w", db.d.Name, err)
	}
	updated := norm(db.now())
	now := or(b.CreatedAt, updated)
	return db.tx(ctx, func(tx *sql.Tx) error {
		var existing int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM brands WHERE id = $1`, b.ID).Scan(&existing); err != nil {
			return db.wrap("put brand", err)
		}
		var created time.Time
		err := tx.QueryRowContext(ctx, `
			INSERT INTO brands (id, name, category, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category, updated_at = excluded.updated_at
			RETURNING created_at`,
			b.ID, b.Name, b.Category, db.d.Time(now), db.d.Time(updated)).Scan(timeCol{&created})
		if err != nil {
			return db.wrap("put brand", err)
		}
		b.CreatedAt = created

		// Replace, not merge: the caller's brand is the whole truth.
		for _, q := range []string{
			`DELETE FROM marks WHERE brand_id = $1`,
			`DELETE FROM trademarks WHERE brand_id = $1`,
			`DELETE FROM price_floors WHERE brand_id = $1`,
			`DELETE FROM authorized_sellers WHERE brand_id = $1`,
			`DELETE FROM brand_images WHERE brand_id = $1`,
			`DELETE FROM products WHERE brand_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, b.ID); err != nil {
				return db.wrap("put brand", err)
			}
		}
		for i := range b.Marks {
			m := &b.Marks[i]
			m.BrandID = b.ID
			if err := tx.QueryRowContext(ctx,
				`INSERT INTO marks (brand_id, text, kind, ordinary) VALUES ($1, $2, $3, $4) RETURNING id`,
				b.ID, m.Text, string(m.Kind), m.Ordinary).Scan(&m.ID); err != nil {
				return db.wrap("put brand mark", err)
			}
		}
		for i := range b.Trademarks {
			t := &b.Trademarks[i]
			t.BrandID = b.ID
			classes, err := jsonArray(t.Classes)
			if err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx,
				`INSERT INTO trademarks (brand_id, mark, number, office, classes) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
				b.ID, t.Mark, t.Number, t.Office, classes).Scan(&t.ID); err != nil {
				return db.wrap("put brand trademark", err)
			}
		}
		for i := range b.PriceFloors {
			f := &b.PriceFloors[i]
			f.BrandID = b.ID
			if err := tx.QueryRowContext(ctx,
				`INSERT INTO price_floors (brand_id, category, amount, currency) VALUES ($1, $2, $3, $4) RETURNING id`,
				b.ID, f.Category, f.Amount, f.Currency).Scan(&f.ID); err != nil {
				return db.wrap("put brand price floor", err)
			}
		}
		for i, s := range b.AuthorizedSellers {
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO authorized_sellers (brand_id, seller_id, pos) VALUES ($1, $2, $3)`,
				b.ID, s, i); err != nil {
				return db.wrap("put brand authorized seller", err)
			}
		}
		for i := range b.Images {
			im := &b.Images[i]
			im.BrandID = b.ID
			variants := ""
			if len(im.Variants) > 0 {
				v, err := json.Marshal(im.Variants)
				if err != nil {
					return err
				}
				variants = string(v)
			}
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO brand_images (id, brand_id, pos, label, pdq, quality, variants) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				im.ID, b.ID, i, im.Label, im.PDQ, im.Quality, variants); err != nil {
				return db.wrap("put brand image", err)
			}
		}
		for i := range b.Products {
			p := &b.Products[i]
			ids, err := jsonArray(p.Identifiers)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO products (brand_id, pos, name, category, min_price, currency, identifiers) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				b.ID, i, p.Name, p.Category, p.MinPrice, p.Currency, ids); err != nil {
				return db.wrap("put brand product", err)
			}
		}
		if err := db.bumpRegistry(ctx, tx); err != nil {
			return err
		}
		// The audit detail is the brand as stored: what the registry said
		// from this moment on is evidence in a dispute.
		detail, err := json.Marshal(b)
		if err != nil {
			return err
		}
		action := "brand_update"
		if existing == 0 {
			action = "brand_create"
		}
		return db.appendAudit(ctx, tx, &hallmark.AuditEntry{
			Actor: actor, Action: action, ObjectType: "brand", ObjectID: b.ID, Detail: string(detail),
		})
	})
}

func (db *DB) bumpRegistry(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE registry_version SET version = version + 1 WHERE id = 1`)
	return db.wrap("bump registry version", err)
}

// GetBrand returns one brand with everything attached.
func (db *DB) GetBrand(ctx context.Context, id string) (*hallmark.Brand, error) {
	bs, err := db.loadBrands(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		return nil, db.notFound("brand", id)
	}
	return &bs[0], nil
}

// ListBrands returns every brand, ordered by id, with everything attached.
// It reads one query per table inside one read-only transaction, so the
// registry it returns is a consistent snapshot however large it is.
func (db *DB) ListBrands(ctx context.Context) ([]hallmark.Brand, error) {
	return db.loadBrands(ctx, "")
}

// loadBrands loads one brand (id set) or all (id empty). The WHERE clauses
// are constant text chosen by branch; the id is always a parameter.
func (db *DB) loadBrands(ctx context.Context, id string) (_ []hallmark.Brand, err error) {
	tx, err := db.r.BeginTx(ctx, db.d.snapshot())
	if err != nil {
		return nil, db.wrap("list brands", err)
	}
	defer tx.Rollback() // read-only: nothing to commit

	where, brandWhere, args := "", "", []any(nil)
	if id != "" {
		where, brandWhere, args = " WHERE brand_id = $1", " WHERE id = $1", []any{id}
	}

	var brands []hallmark.Brand
	index := map[string]int{}
	err = db.each(ctx, tx, `SELECT id, name, category, created_at FROM brands`+brandWhere+` ORDER BY id`, args, func(rows *sql.Rows) error {
		var b hallmark.Brand
		if err := rows.Scan(&b.ID, &b.Name, &b.Category, timeCol{&b.CreatedAt}); err != nil {
			return err
		}
		index[b.ID] = len(brands)
		brands = append(brands, b)
		return nil
	})
	if err != nil || len(brands) == 0 {
		return brands, err
	}
	owner := func(brandID string) *hallmark.Brand {
		if i, ok := index[brandID]; ok {
			return &brands[i]
		}
		return nil // cannot happen: foreign keys, and one snapshot
	}

	err = db.each(ctx, tx, `SELECT brand_id, id, text, kind, ordinary FROM marks`+where+` ORDER BY brand_id, id`, args, func(rows *sql.Rows) error {
		var m hallmark.Mark
		var kind string
		if err := rows.Scan(&m.BrandID, &m.ID, &m.Text, &kind, &m.Ordinary); err != nil {
			return err
		}
		m.Kind = hallmark.MarkKind(kind)
		if b := owner(m.BrandID); b != nil {
			b.Marks = append(b.Marks, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, tx, `SELECT brand_id, id, mark, number, office, classes FROM trademarks`+where+` ORDER BY brand_id, id`, args, func(rows *sql.Rows) error {
		var t hallmark.Trademark
		var classes []byte
		if err := rows.Scan(&t.BrandID, &t.ID, &t.Mark, &t.Number, &t.Office, &classes); err != nil {
			return err
		}
		if err := json.Unmarshal(classes, &t.Classes); err != nil {
			return err
		}
		if b := owner(t.BrandID); b != nil {
			b.Trademarks = append(b.Trademarks, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, tx, `SELECT brand_id, id, category, amount, currency FROM price_floors`+where+` ORDER BY brand_id, id`, args, func(rows *sql.Rows) error {
		var f hallmark.PriceFloor
		if err := rows.Scan(&f.BrandID, &f.ID, &f.Category, &f.Amount, &f.Currency); err != nil {
			return err
		}
		if b := owner(f.BrandID); b != nil {
			b.PriceFloors = append(b.PriceFloors, f)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, tx, `SELECT brand_id, seller_id FROM authorized_sellers`+where+` ORDER BY brand_id, pos`, args, func(rows *sql.Rows) error {
		var brandID, sellerID string
		if err := rows.Scan(&brandID, &sellerID); err != nil {
			return err
		}
		if b := owner(brandID); b != nil {
			b.AuthorizedSellers = append(b.AuthorizedSellers, sellerID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, tx, `SELECT brand_id, id, label, pdq, quality, variants FROM brand_images`+where+` ORDER BY brand_id, pos`, args, func(rows *sql.Rows) error {
		var im hallmark.BrandImage
		var variants string
		if err := rows.Scan(&im.BrandID, &im.ID, &im.Label, &im.PDQ, &im.Quality, &variants); err != nil {
			return err
		}
		if variants != "" {
			if err := json.Unmarshal([]byte(variants), &im.Variants); err != nil {
				return fmt.Errorf("brand %s image %s: stored variants: %w", im.BrandID, im.ID, err)
			}
		}
		if b := owner(im.BrandID); b != nil {
			b.Images = append(b.Images, im)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, tx, `SELECT brand_id, name, category, min_price, currency, identifiers FROM products`+where+` ORDER BY brand_id, pos`, args, func(rows *sql.Rows) error {
		var brandID, ids string
		var p hallmark.Product
		if err := rows.Scan(&brandID, &p.Name, &p.Category, &p.MinPrice, &p.Currency, &ids); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(ids), &p.Identifiers); err != nil {
			return fmt.Errorf("brand %s product %q: stored identifiers: %w", brandID, p.Name, err)
		}
		if len(p.Identifiers) == 0 {
			p.Identifiers = nil // as the brand was put: omitted, not empty
		}
		if b := owner(brandID); b != nil {
			b.Products = append(b.Products, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return brands, nil
}

// each runs a query and calls fn for every row.
func (db *DB) each(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return db.wrap("query", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return db.wrap("scan", err)
		}
	}
	return db.wrap("query", rows.Err())
}

// DeleteBrand removes a brand and everything it owns (by cascade).
func (db *DB) DeleteBrand(ctx context.Context, id, actor string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM brands WHERE id = $1`, id)
		if err != nil {
			return db.wrap("delete brand", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return db.wrap("delete brand", err)
		} else if n == 0 {
			return db.notFound("brand", id)
		}
		if err := db.bumpRegistry(ctx, tx); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, &hallmark.AuditEntry{
			Actor: actor, Action: "brand_delete", ObjectType: "brand", ObjectID: id, Detail: "{}",
		})
	})
}

// RegistryVersion returns the counter every brand change bumps.
func (db *DB) RegistryVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.r.QueryRowContext(ctx, `SELECT version FROM registry_version WHERE id = 1`).Scan(&v)
	return v, db.wrap("registry version", err)
}

func validBrand(b *hallmark.Brand) error {
	if b == nil {
		return &hallmark.ValidationError{Field: "brand", Message: "is required"}
	}
	if err := text("id", b.ID, hallmark.MaxIDLen, true); err != nil {
		return err
	}
	if err := text("name", b.Name, hallmark.MaxTitleLen, true); err != nil {
		return err
	}
	if err := text("category", b.Category, hallmark.MaxCategoryLen, false); err != nil {
		return err
	}
	for _, m := range b.Marks {
		if err := text("marks.text", m.Text, hallmark.MaxTitleLen, true); err != nil {
			return err
		}
		switch m.Kind {
		case hallmark.MarkWord, hallmark.MarkProductLine, hallmark.MarkAbbreviation:
		default:
			return &hallmark.ValidationError{Field: "marks.kind", Message: fmt.Sprintf("unknown kind %q", m.Kind)}
		}
	}
	for _, t := range b.Trademarks {
		if err := text("trademarks.number", t.Number, hallmark.MaxIDLen, true); err != nil {
			return err
		}
		if err := text("trademarks.office", t.Office, hallmark.MaxIDLen, true); err != nil {
			return err
		}
		if err := text("trademarks.mark", t.Mark, hallmark.MaxTitleLen, false); err != nil {
			return err
		}
	}
	for _, f := range b.PriceFloors {
		if err := hallmark.ValidPrice("price_floors.amount", f.Amount); err != nil {
			return err
		}
		if !hallmark.KnownCurrency(f.Currency) {
			return &hallmark.ValidationError{Field: "price_floors.currency", Message: fmt.Sprintf("unknown currency %q", f.Currency)}
		}
		if err := text("price_floors.category", f.Category, hallmark.MaxCategoryLen, false); err != nil {
			return err
		}
	}
	for _, s := range b.AuthorizedSellers {
		if err := text("authorized_sellers", s, hallmark.MaxIDLen, true); err != nil {
			return err
		}
	}
	for _, im := range b.Images {
		if err := text("images.id", im.ID, hallmark.MaxIDLen, true); err != nil {
			return err
		}
		if err := text("images.label", im.Label, hallmark.MaxTitleLen, false); err != nil {
			return err
		}
		if !isHex(im.PDQ, 64) {
			return &hallmark.ValidationError{Field: "images.pdq", Message: "must be 64 hexadecimal digits"}
		}
		if im.Quality < 0 || im.Quality > 100 {
			return &hallmark.ValidationError{Field: "images.quality", Message: "must be between 0 and 100"}
		}
	}
	for i := range b.Products {
		if err := b.Products[i].ValidatePath(fmt.Sprintf("products[%d].", i)); err != nil {
			return err
		}
	}
	return nil
}

// text checks a stored string the way hallmark.Listing.Validate does.
func text(field, s string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return &hallmark.ValidationError{Field: field, Message: "is required"}
	case len(s) > max:
		return &hallmark.ValidationError{Field: field, Message: fmt.Sprintf("is too long (%d bytes, at most %d)", len(s), max)}
	case !utf8.ValidString(s):
		return &hallmark.ValidationError{Field: field, Message: "is not valid UTF-8"}
	case strings.IndexByte(s, 0) >= 0:
		// PostgreSQL text cannot hold NUL; refusing it on both keeps them alike.
		return &hallmark.ValidationError{Field: field, Message: "contains a NUL byte"}
	}
	return nil
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// jsonArray encodes a slice, writing an empty array rather than null so the
// column always holds an array.
func jsonArray[T any](v []T) (string, error) {
	if v == nil {
		return "[]", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}
