package httpapi

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/store/sqlite"
)

// openTestStore opens the real embedded store on a temporary file, so the
// tests exercise the same SQL, transactions and error mapping as production.
func openTestStore(t testing.TB) store.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hallmark.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
