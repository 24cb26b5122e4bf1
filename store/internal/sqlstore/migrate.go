package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migrate applies the migrations in fsys (files named NNNN_name.sql, applied
// in numeric order) that schema_migrations does not yet record, each in its
// own transaction together with its record, so a failed migration leaves
// the schema as the previous one left it.
//
// A database migrated by a newer Hallmark is refused rather than used: this
// binary does not know what the newer schema means.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS) error {
	type migration struct {
		version int64
		name    string
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	var ms []migration
	for _, n := range names {
		num, _, ok := strings.Cut(n, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || v <= 0 {
			return fmt.Errorf("migration %q: name must start with a positive number and an underscore", n)
		}
		ms = append(ms, migration{v, n})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return fmt.Errorf("migrations %q and %q share a version", ms[i-1].name, ms[i].name)
		}
	}

	for _, m := range ms {
		body, err := fs.ReadFile(fsys, m.name)
		if err != nil {
			return err
		}
		if err := apply(ctx, db, d, m.version, path.Base(m.name), string(body)); err != nil {
			return fmt.Errorf("%s migration %s: %w", d.Name, m.name, err)
		}
	}

	var newest sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("%s: reading schema version: %w", d.Name, err)
	}
	if len(ms) > 0 && newest.Int64 > ms[len(ms)-1].version {
		return fmt.Errorf("%s: database schema version %d is newer than this binary knows (%d): upgrade Hallmark",
			d.Name, newest.Int64, ms[len(ms)-1].version)
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, d Dialect, version int64, name, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // after Commit, a no-op
	if d.MigrationLock != "" {
		if _, err := tx.ExecContext(ctx, d.MigrationLock); err != nil {
			return err
		}
	}
	// Inside the locked transaction, so concurrent first starts do not race
	// on creating it.
	if _, err := tx.ExecContext(ctx, d.MigrationsTable); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		version, name, d.Time(norm(time.Now()))); err != nil {
		return err
	}
	return tx.Commit()
}
