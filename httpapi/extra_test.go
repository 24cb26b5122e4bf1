package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hallmark-dev/hallmark"
)

// TestAPIKeyStorage checks that only the prefix and the hash of a key are
// stored, never the secret.
func TestAPIKeyStorage(t *testing.T) {
	st := openTestStore(t)
	secret, err := CreateAPIKey(context.Background(), st, "bootstrap", hallmark.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "hm_") || len(secret) != 3+43 {
		t.Fatalf("secret %q: want hm_ and 43 base64url characters", secret)
	}
	keys, err := st.ListAPIKeys(context.Background())
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v, %v", keys, err)
	}
	cands, err := st.APIKeysByPrefix(context.Background(), secret[:keyPrefixLen])
	if err != nil || len(cands) != 1 {
		t.Fatalf("by prefix: %v, %v", cands, err)
	}
	sum := sha256.Sum256([]byte(secret))
	if k := cands[0]; k.Prefix != secret[:12] || !bytes.Equal(k.Hash, sum[:]) || k.Role != hallmark.RoleAdmin {
		t.Errorf("stored key %+v", k)
	}
	if _, err := CreateAPIKey(context.Background(), st, "x", "superuser"); err == nil {
		t.Error("unknown role accepted")
	}
	if _, err := CreateAPIKey(context.Background(), st, "", hallmark.RoleAdmin); err == nil {
		t.Error("empty name accepted")
	}
}

// TestConcurrentBrandEdits: the read-modify-write convenience routes must
// not lose each other's changes.
func TestConcurrentBrandEdits(t *testing.T) {
	e := newEnv(t, nil)
	if r := e.do("PUT", "/v1/brands/acme", e.admin, acme); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.do("POST", "/v1/brands/acme/marks", e.admin, map[string]any{"text": fmt.Sprintf("Acme %d", i), "kind": "product_line"})
			if r.status != 201 {
				t.Errorf("%d %s", r.status, r.body)
			}
		}()
	}
	wg.Wait()
	r := e.do("GET", "/v1/brands/acme", e.admin, nil)
	if got := len(r.json(t)["marks"].([]any)); got != n+1 {
		t.Errorf("%d marks after %d concurrent additions, want %d", got, n, n+1)
	}
}

// TestImportBodyLimit: an import may be far larger than an ordinary body.
func TestImportBodyLimit(t *testing.T) {
	e := newEnv(t, nil)
	big := map[string]any{"sellers": []any{map[string]any{"id": "n1", "name": "N", "notes": strings.Repeat("x", 2<<20)}}}
	if r := e.do("POST", "/v1/import", e.admin, big); r.status != 200 {
		t.Errorf("2 MiB import: %d %s", r.status, r.body)
	}
	if r := e.do("PUT", "/v1/sellers/n2", e.admin, big["sellers"].([]any)[0]); r.status != 413 {
		t.Errorf("2 MiB seller: %d, want 413", r.status)
	}
}
