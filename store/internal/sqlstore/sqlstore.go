// Package sqlstore is the one implementation of store.Store over
// database/sql that the SQLite and PostgreSQL packages share. They differ
// only in what a Dialect describes: how times are stored, how driver errors
// are classified and how migrations are serialized; every query is written
// once, with numbered ($1) parameters that both drivers accept.
//
// Keeping one implementation is what makes "the same test suite runs against
// both" cheap: a behaviour cannot drift between the two databases.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

// Dialect is what differs between the databases.
type Dialect struct {
	// Name is used in error messages: "sqlite", "postgres".
	Name string
	// Time turns a UTC time, already truncated to microseconds, into a query
	// parameter of the database's time columns.
	Time func(time.Time) any
	// Classify returns hallmark.ErrConflict or hallmark.ErrInvalid for a
	// constraint violation, or nil for any other error.
	Classify func(error) error
	// MigrationsTable creates schema_migrations if it does not exist.
	MigrationsTable string
	// Snapshot is the isolation level of multi-query reads: SQLite's
	// default already reads one snapshot; PostgreSQL needs RepeatableRead.
	Snapshot sql.IsolationLevel
	// MigrationLock, if not empty, runs first in each migration transaction
	// so that two processes starting at once do not both apply a migration.
	MigrationLock string
}

// DB implements store.Store.
type DB struct {
	// r serves reads outside transactions, w every transaction. For SQLite
	// they are distinct pools (many readers, one writer); for PostgreSQL
	// they are the same.
	r, w    *sql.DB
	d       Dialect
	now     func() time.Time
	closers []func() error

	// stmts caches the statements of the hot paths (publish-time screening
	// and authentication), prepared once per pool: database/sql then keeps
	// them prepared on each connection it lends, so the driver does not
	// parse and plan the same SQL on every call.
	stmtMu sync.Mutex
	stmts  map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	pool *sql.DB
	q    string
}

var (
	_ store.Store  = (*DB)(nil)
	_ store.Review = (*DB)(nil)
	_ store.Users  = (*DB)(nil)
)

// New wraps open pools. closers run in order on Close.
func New(r, w *sql.DB, d Dialect, closers ...func() error) *DB {
	return &DB{r: r, w: w, d: d, now: time.Now, closers: closers}
}

// Close releases the pools.
func (db *DB) Close() error {
	var errs []error
	db.stmtMu.Lock()
	for k, st := range db.stmts {
		errs = append(errs, st.Close())
		delete(db.stmts, k)
	}
	db.stmtMu.Unlock()
	for _, c := range db.closers {
		errs = append(errs, c())
	}
	return errors.Join(errs...)
}

// Ping reports whether both pools answer.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.r.PingContext(ctx); err != nil {
		return db.wrap("ping", err)
	}
	if db.w != db.r {
		if err := db.w.PingContext(ctx); err != nil {
			return db.wrap("ping", err)
		}
	}
	return nil
}

// tx runs fn in a write transaction and commits if fn returns nil. Any
// error rolls everything back: no caller ever sees half a write.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return db.wrap("begin", err)
	}
	defer tx.Rollback() // after Commit, a no-op
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return db.wrap("commit", err)
	}
	return nil
}

// prepared returns q prepared on pool, preparing it on first use. Only
// constant SQL belongs here: the cache is keyed by the text and never
// evicts.
//
// Call it before opening a transaction and bind the result with
// tx.StmtContext: database/sql reuses the statement already prepared on the
// transaction's connection. Preparing on the write pool from inside a
// transaction would wait forever for SQLite's single writer connection.
func (db *DB) prepared(ctx context.Context, pool *sql.DB, q string) (*sql.Stmt, error) {
	k := stmtKey{pool, q}
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if st, ok := db.stmts[k]; ok {
		return st, nil
	}
	st, err := pool.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if db.stmts == nil {
		db.stmts = map[stmtKey]*sql.Stmt{}
	}
	db.stmts[k] = st
	return st, nil
}

// preparedAll is prepared for several queries, in order.
func (db *DB) preparedAll(ctx context.Context, pool *sql.DB, qs ...string) ([]*sql.Stmt, error) {
	out := make([]*sql.Stmt, len(qs))
	for i, q := range qs {
		st, err := db.prepared(ctx, pool, q)
		if err != nil {
			return nil, err
		}
		out[i] = st
	}
	return out, nil
}

func (d Dialect) snapshot() *sql.TxOptions {
	return &sql.TxOptions{Isolation: d.Snapshot, ReadOnly: true}
}

// wrap names the operation and classifies err so that callers can test it
// with errors.Is against the hallmark sentinels.
func (db *DB) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %s: %w", db.d.Name, op, hallmark.ErrNotFound)
	}
	if class := db.d.Classify(err); class != nil {
		return fmt.Errorf("%s %s: %w: %w", db.d.Name, op, class, err)
	}
	return fmt.Errorf("%s %s: %w", db.d.Name, op, err)
}

func (db *DB) notFound(what, id string) error {
	return fmt.Errorf("%s: %s %q: %w", db.d.Name, what, id, hallmark.ErrNotFound)
}

// ts normalizes a time for storage: UTC, microseconds (what PostgreSQL
// keeps), so a value reads back exactly as it was written on either database.
func (db *DB) ts(t time.Time) any { return db.d.Time(norm(t)) }

func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nowOr returns t if set, else the store's now, normalized.
func (db *DB) nowOr(t time.Time) time.Time {
	if t.IsZero() {
		return norm(db.now())
	}
	return norm(t)
}

// or returns t normalized, or def if t is zero: one "now" per operation
// keeps created <= updated.
func or(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return norm(t)
}

// timeCol scans a time column of either dialect: time.Time from PostgreSQL,
// fixed-width text from SQLite.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*c.t = v.UTC()
		return nil
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	}
	return fmt.Errorf("cannot scan %T into a time", src)
}

func (c timeCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	*c.t = t.UTC()
	return nil
}

// nullTimeCol scans a nullable time column.
type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(src any) error {
	if src == nil {
		*c.t = nil
		return nil
	}
	var t time.Time
	if err := (timeCol{&t}).Scan(src); err != nil {
		return err
	}
	*c.t = &t
	return nil
}

// SQLiteTime is the SQLite Dialect.Time: fixed-width text, so that string
// order is time order.
func SQLiteTime(t time.Time) any { return t.Format("2006-01-02T15:04:05.000000Z") }

// PostgresTime is the PostgreSQL Dialect.Time.
func PostgresTime(t time.Time) any { return t }
