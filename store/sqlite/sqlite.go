// Package sqlite is the embedded store: SQLite through modernc.org/sqlite, a
// pure-Go driver, so the hallmark binary stays static and needs no server.
//
// SQLite allows one writer at a time. Rather than let concurrent requests
// race for the write lock and fail with SQLITE_BUSY, every write goes through
// a pool of exactly one connection (database/sql queues the rest), while
// reads use a separate pool that, in WAL mode, never waits for the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a store.Store backed by one SQLite database file.
type DB struct {
	store.Store
	// The console's queries, kept outside store.Store (see store.Review).
	store.Review
	store.Users
	// w is the writer pool, kept for the test hook that proves the audit
	// log cannot be changed even with raw SQL.
	w *sql.DB
}

var dialect = sqlstore.Dialect{
	Name:            "sqlite",
	Time:            sqlstore.SQLiteTime,
	Classify:        classify,
	MigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
	// A plain BEGIN on one connection already reads a single snapshot.
	Snapshot: sql.LevelDefault,
}

// Pragmas common to both pools. busy_timeout still matters with a single
// writer: another process (a backup, the sqlite3 shell, a second hallmark)
// may hold the lock for a moment.
const common = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"

// Open opens (creating if needed) the database at path and migrates it to
// the current schema. path ":memory:" gives a private in-memory database on a
// single connection, for tests and demos.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: empty database path: %w", hallmark.ErrInvalid)
	}
	if path == ":memory:" {
		// Each connection to :memory: is its own database, so reads and
		// writes must share the one connection.
		w, err := openPool(ctx, ":memory:?"+common, 1)
		if err != nil {
			return nil, err
		}
		if err := migrate(ctx, w); err != nil {
			w.Close()
			return nil, err
		}
		s := sqlstore.New(w, w, dialect, w.Close)
		return &DB{Store: s, Review: s, Users: s, w: w}, nil
	}
	if strings.ContainsAny(path, "?#") {
		// The driver would read what follows as connection parameters.
		return nil, fmt.Errorf("sqlite: database path %q must not contain '?' or '#': %w", path, hallmark.ErrInvalid)
	}
	// IMMEDIATE takes the write lock at BEGIN, not at the first write, so a
	// transaction never fails halfway through for want of the lock.
	// synchronous=NORMAL is durable in WAL mode except for the last
	// transactions before a power loss, and much faster than FULL.
	//
	// wal_autocheckpoint(0): the checkpoint that copies the WAL back into
	// the database (and fsyncs it) would otherwise run inside whichever
	// commit crosses 1000 pages, adding milliseconds to that one request:
	// it was most of the publish call's p99. A background connection does
	// it instead (see checkpointer).
	w, err := openPool(ctx, "file:"+path+"?"+common+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate&_pragma=wal_autocheckpoint(0)", 1)
	if err != nil {
		return nil, err
	}
	// The writer creates the file and switches it to WAL before any reader
	// connects. query_only guards against a write slipping onto a reader.
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := openPool(ctx, "file:"+path+"?"+common+"&_pragma=query_only(1)", 4)
	if err != nil {
		w.Close()
		return nil, err
	}
	ck, err := openPool(ctx, "file:"+path+"?"+common, 1)
	if err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	stop := startCheckpointer(ck, checkpointEvery)
	s := sqlstore.New(r, w, dialect, stop, r.Close, w.Close)
	return &DB{Store: s, Review: s, Users: s, w: w}, nil
}

// checkpointEvery is how often the background checkpointer runs. The WAL
// grows by about 14 pages per screening between runs, so at a thousand
// screenings a second it stays near the size at which SQLite itself would
// checkpoint (1000 pages).
const checkpointEvery = 100 * time.Millisecond

// startCheckpointer copies the WAL into the database every interval, on its
// own connection, in PASSIVE mode: it waits for no reader and no writer, and
// copies what no reader still needs; the writer starts the WAL over once all
// of it has been copied. Closing the last connection checkpoints whatever is
// left. The returned function stops it and closes its connection.
func startCheckpointer(ck *sql.DB, every time.Duration) func() error {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			// A failure (the disk full, say) is not lost: the WAL keeps
			// every change, and the next run or the final close retries.
			_, _ = ck.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}()
	return func() error {
		cancel()
		<-done
		return ck.Close()
	}
}

func migrate(ctx context.Context, w *sql.DB) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	return sqlstore.Migrate(ctx, w, dialect, fsys)
}

func openPool(ctx context.Context, dsn string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return db, nil
}

// classify maps constraint violations to the hallmark error kinds.
func classify(err error) error {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return nil
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT_DATATYPE:
		return hallmark.ErrInvalid
	case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		return nil // the audit log refusing a change: not the caller's data at fault
	}
	if e.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return hallmark.ErrConflict // unique, primary key, foreign key
	}
	return nil
}
