// Package postgres is the store for deployments that outgrow one machine's
// SQLite file: PostgreSQL (or a compatible distributed SQL database) through
// pgx v5 and its connection pool.
//
// The queries are the ones the SQLite store runs (package sqlstore); this
// package supplies the schema, the connection and the error mapping.
//
// Its tests need a server and are skipped without one:
//
//	HALLMARK_TEST_POSTGRES_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./store/postgres
//
// Each test works in a schema of its own, dropped afterwards.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a store.Store backed by a PostgreSQL database.
type DB struct {
	store.Store
	// The console's queries, kept outside store.Store (see store.Review).
	store.Review
	store.Users
	// db is kept for the test hook that proves the audit log cannot be
	// changed even with raw SQL.
	db *sql.DB
}

var dialect = sqlstore.Dialect{
	Name:            "postgres",
	Time:            sqlstore.PostgresTime,
	Classify:        classify,
	MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`,
	// READ COMMITTED would let ListBrands see a brand from before a change
	// and its marks from after it.
	Snapshot: sql.LevelRepeatableRead,
	// Keyed by schema, so that databases holding several Hallmark schemas
	// (tests do) do not wait on each other.
	MigrationLock: `SELECT pg_advisory_xact_lock(hashtext('hallmark.migrate.' || coalesce(current_schema(), '')))`,
}

// Open connects to the database named by dsn (a URL or key=value string as
// libpq reads it) and migrates it to the current schema.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open for a configuration built in code, for example with a
// search_path in ConnConfig.RuntimeParams to keep Hallmark in its own schema.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*DB, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// database/sql over the pgx pool: the queries are shared with SQLite
	// through database/sql, while pgxpool manages the connections.
	db := stdlib.OpenDBFromPool(pool)
	closeAll := func() error {
		err := db.Close()
		pool.Close()
		return err
	}
	if err := db.PingContext(ctx); err != nil {
		closeAll()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	fsys, err := fs.Sub(migrations, "migrations")
	if err == nil {
		err = sqlstore.Migrate(ctx, db, dialect, fsys)
	}
	if err != nil {
		closeAll()
		return nil, err
	}
	s := sqlstore.New(db, db, dialect, closeAll)
	return &DB{Store: s, Review: s, Users: s, db: db}, nil
}

// classify maps constraint violations to the hallmark error kinds.
func classify(err error) error {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return nil
	}
	switch e.Code {
	case "23505", "23503": // unique_violation, foreign_key_violation
		return hallmark.ErrConflict
	case "23514", "23502", "22P02", "22021": // check, not null, invalid text, bad encoding
		return hallmark.ErrInvalid
	}
	return nil
}
