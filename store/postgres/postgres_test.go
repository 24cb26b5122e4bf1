package postgres

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/store/storetest"
)

// open returns a store in a schema of its own, created for this test and
// dropped after it, so tests and packages running in parallel against one
// database never see each other's rows.
func open(t *testing.T) *DB {
	t.Helper()
	dsn := os.Getenv("HALLMARK_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("HALLMARK_TEST_POSTGRES_DSN not set: skipping PostgreSQL store tests")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connecting to %s: %v", dsn, err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })

	// rand.Text is base32: letters and digits, safe in an identifier.
	schema := "hallmark_test_" + strings.ToLower(rand.Text()[:16])
	ident := pgx.Identifier{schema}.Sanitize()
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+ident); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP SCHEMA "+ident+" CASCADE"); err != nil {
			t.Errorf("dropping test schema %s: %v", schema, err)
		}
	})

	db, err := OpenConfig(ctx, configFor(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	// Registered after the schema's cleanup, so it runs before it.
	t.Cleanup(func() { db.Close() })
	return db
}

// configFor is the pool configuration of a store kept in schema.
func configFor(t *testing.T, schema string) *pgxpool.Config {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(os.Getenv("HALLMARK_TEST_POSTGRES_DSN"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = 4
	// Tests need no durability; each subtest migrates a fresh schema.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	return cfg
}

func TestStore(t *testing.T) {
	if os.Getenv("HALLMARK_TEST_POSTGRES_DSN") == "" {
		t.Skip("HALLMARK_TEST_POSTGRES_DSN not set: skipping PostgreSQL store tests")
	}
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

// TestMigrateTwice opens the same schema twice: the second Open must find
// every migration recorded and apply nothing.
func TestMigrateTwice(t *testing.T) {
	db := open(t)
	var schema string
	if err := db.db.QueryRowContext(t.Context(), `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	again, err := OpenConfig(t.Context(), configFor(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
}

// TestConcurrentOpen starts two stores on one empty schema at once, as two
// replicas rolling out together do: the migration lock must let exactly one
// of them migrate and the other find the work done.
func TestConcurrentOpen(t *testing.T) {
	db := open(t) // creates and migrates the schema
	var schema string
	if err := db.db.QueryRowContext(t.Context(), `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	// Start again from nothing inside that schema.
	if err := db.ExecRaw(t.Context(), `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
		t.Fatal(err)
	}
	if err := db.ExecRaw(t.Context(), `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	cfg := configFor(t, schema)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			s, err := OpenConfig(t.Context(), cfg.Copy())
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
