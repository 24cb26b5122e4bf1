package httpapi

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
)

// A key revoked through the API stops working at once, although it was
// cached a moment before; one revoked behind the API's back (another
// process) works until the cache entry expires.
func TestKeyCacheRevocation(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	secret, err := CreateAPIKey(ctx, e.store, "cached", hallmark.RoleIntegration)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", "/v1/listings", secret, nil); r.status != 200 {
		t.Fatalf("fresh key: %d %s", r.status, r.body)
	}
	var id int64
	keys, _ := e.store.ListAPIKeys(ctx)
	for _, k := range keys {
		if k.Name == "cached" {
			id = k.ID
		}
	}
	if r := e.do("DELETE", fmt.Sprintf("/v1/api-keys/%d", id), e.admin, nil); r.status != 204 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/v1/listings", secret, nil); r.status != 401 {
		t.Fatalf("revoked through the API, still cached: %d %s", r.status, r.body)
	}

	// Revoked in the store directly, as another process would.
	other, err := CreateAPIKey(ctx, e.store, "other", hallmark.RoleIntegration)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", "/v1/listings", other, nil); r.status != 200 {
		t.Fatalf("fresh key: %d %s", r.status, r.body)
	}
	keys, _ = e.store.ListAPIKeys(ctx)
	for _, k := range keys {
		if k.Name == "other" {
			if err := e.store.RevokeAPIKey(ctx, k.ID, testNow); err != nil {
				t.Fatal(err)
			}
		}
	}
	if r := e.do("GET", "/v1/listings", other, nil); r.status != 200 {
		t.Fatalf("within the TTL the cached key should still work: %d", r.status)
	}
	// Age the entry past the TTL.
	sum := sha256.Sum256([]byte(other))
	e.api.keys.mu.Lock()
	ent := e.api.keys.entries[sum]
	ent.expires = time.Now().Add(-time.Second)
	e.api.keys.entries[sum] = ent
	e.api.keys.mu.Unlock()
	if r := e.do("GET", "/v1/listings", other, nil); r.status != 401 {
		t.Fatalf("after the TTL a key revoked elsewhere must fail: %d", r.status)
	}
}

// A lookup that began before a revocation must not cache the key after it.
func TestKeyCacheGeneration(t *testing.T) {
	var c keyCache
	sum := sha256.Sum256([]byte("k"))
	gen := c.generation()
	c.revoke(7)
	c.put(sum, &hallmark.APIKey{ID: 7}, time.Now(), gen)
	if _, ok := c.get(sum, time.Now()); ok {
		t.Fatal("stale lookup was cached")
	}
	c.put(sum, &hallmark.APIKey{ID: 7}, time.Now(), c.generation())
	if _, ok := c.get(sum, time.Now()); !ok {
		t.Fatal("fresh lookup was not cached")
	}
	if _, ok := c.get(sum, time.Now().Add(KeyCacheTTL)); ok {
		t.Fatal("entry outlived its TTL")
	}
}
