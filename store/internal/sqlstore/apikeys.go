package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hallmark-dev/hallmark"
)

const apiKeyCols = `id, name, role, prefix, hash, created_at, revoked_at`

func scanAPIKey(row interface{ Scan(...any) error }) (hallmark.APIKey, error) {
	var k hallmark.APIKey
	var role string
	err := row.Scan(&k.ID, &k.Name, &role, &k.Prefix, &k.Hash, timeCol{&k.CreatedAt}, nullTimeCol{&k.RevokedAt})
	k.Role = hallmark.Role(role)
	return k, err
}

// CreateAPIKey stores a key and sets k.ID and k.CreatedAt.
func (db *DB) CreateAPIKey(ctx context.Context, k *hallmark.APIKey) error {
	if k == nil {
		return fmt.Errorf("%s create api key: %w", db.d.Name, &hallmark.ValidationError{Field: "key", Message: "is required"})
	}
	if err := validKey(k); err != nil {
		return fmt.Errorf("%s create api key: %w", db.d.Name, err)
	}
	created := db.nowOr(k.CreatedAt)
	var revoked any
	if k.RevokedAt != nil {
		revoked = db.ts(*k.RevokedAt)
	}
	var id int64
	err := db.w.QueryRowContext(ctx, `
		INSERT INTO api_keys (name, role, prefix, hash, created_at, revoked_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		k.Name, string(k.Role), k.Prefix, k.Hash, db.d.Time(created), revoked).Scan(&id)
	if err != nil {
		return db.wrap("create api key", err)
	}
	k.ID, k.CreatedAt = id, created
	if k.RevokedAt != nil {
		r := norm(*k.RevokedAt)
		k.RevokedAt = &r
	}
	return nil
}

func validKey(k *hallmark.APIKey) error {
	if err := text("name", k.Name, hallmark.MaxTitleLen, true); err != nil {
		return err
	}
	switch k.Role {
	case hallmark.RoleAdmin, hallmark.RoleIntegration, hallmark.RoleReviewer:
	default:
		return &hallmark.ValidationError{Field: "role", Message: fmt.Sprintf("unknown role %q", k.Role)}
	}
	if err := text("prefix", k.Prefix, hallmark.MaxIDLen, true); err != nil {
		return err
	}
	if len(k.Hash) == 0 {
		return &hallmark.ValidationError{Field: "hash", Message: "is required"}
	}
	return nil
}

// APIKeysByPrefix returns the unrevoked keys with this prefix, by id.
func (db *DB) APIKeysByPrefix(ctx context.Context, prefix string) ([]hallmark.APIKey, error) {
	return db.keys(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL ORDER BY id`, prefix)
}

// ListAPIKeys returns every key, revoked ones included, by id.
func (db *DB) ListAPIKeys(ctx context.Context) ([]hallmark.APIKey, error) {
	return db.keys(ctx, `SELECT `+apiKeyCols+` FROM api_keys ORDER BY id`)
}

func (db *DB) keys(ctx context.Context, q string, args ...any) ([]hallmark.APIKey, error) {
	var out []hallmark.APIKey
	err := db.each(ctx, db.r, q, args, func(rows *sql.Rows) error {
		k, err := scanAPIKey(rows)
		if err != nil {
			return err
		}
		out = append(out, k)
		return nil
	})
	return out, err
}

// RevokeAPIKey revokes a key. Revoking a revoked key keeps the first
// revocation time: that is when the key stopped being trusted.
func (db *DB) RevokeAPIKey(ctx context.Context, id int64, at time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`,
			db.d.Time(db.nowOr(at)), id)
		if err != nil {
			return db.wrap("revoke api key", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return db.wrap("revoke api key", err)
		} else if n > 0 {
			return nil
		}
		var exists int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_keys WHERE id = $1`, id).Scan(&exists); err != nil {
			return db.wrap("revoke api key", err)
		}
		if exists == 0 {
			return db.notFound("api key", fmt.Sprint(id))
		}
		return nil
	})
}
