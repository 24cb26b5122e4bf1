package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark/store/sqlite"
)

// TestImportKeepsImageHashes imports a registry with a protected photo and
// checks that the store holds its hashes, variants included, so that a
// server rebuilds the full image index from the database.
func TestImportKeepsImageHashes(t *testing.T) {
	dir := t.TempDir()
	writeImage(t, dir, "front.png", photo(11, 400, 300))
	reg := writeFile(t, dir, "registry.json", `{"brands":[{"id":"acme","name":"Acme","terms":["Acme"],"min_price":50,"images":["front.png"]}],
"sellers":[{"id":"s1","name":"Seller One"}]}`)
	db := filepath.Join(dir, "h.db")
	out, stderr, err := runCLI(t, "import", "--db", db, "--registry", reg)
	if err != nil || !strings.Contains(out, "imported 1 brands and 1 sellers") {
		t.Fatalf("import: %v %q %q", err, out, stderr)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := st.GetBrand(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Images) != 1 || b.Images[0].ID != "acme/front.png" || len(b.Images[0].PDQ) != 64 || len(b.Images[0].Variants) < 10 {
		t.Fatalf("images = %+v", b.Images)
	}
	// A broken registry writes nothing.
	bad := writeFile(t, dir, "bad.json", `{"brands":[{"id":"b2","name":"B","images":["missing.png"]}]}`)
	if _, _, err := runCLI(t, "import", "--db", db, "--registry", bad); err == nil || !strings.Contains(err.Error(), "missing.png") {
		t.Fatalf("bad import: %v", err)
	}
	if _, err := st.GetBrand(context.Background(), "b2"); err == nil {
		t.Fatal("a failed import stored its brand")
	}
}
