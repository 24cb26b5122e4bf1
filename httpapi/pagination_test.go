package httpapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestPagination follows next_after to the end of each list and checks
// that every item comes exactly once.
func TestPagination(t *testing.T) {
	e := newEnv(t, nil)
	const n = 7
	for i := range n {
		title := "shoe"
		if i%2 == 0 {
			title = "check this shoe"
		}
		if r := e.do("POST", "/v1/listings", e.integ, listing(fmt.Sprintf("p%d", i), "s1", title)); r.status != 201 {
			t.Fatalf("publish: %d %s", r.status, r.body)
		}
	}
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/v1/listings?seller_id=s1", n},
		{"/v1/decisions", n},
		{"/v1/decisions?action=review", 4},
		{"/v1/listings/p0/audit", 1},
		{"/v1/sellers", 2},
	} {
		seen := map[string]bool{}
		after := ""
		for pages := 0; ; pages++ {
			if pages > n+1 {
				t.Fatalf("%s: pagination does not end", tc.path)
			}
			q := tc.path
			sep := "?"
			if strings.Contains(q, "?") {
				sep = "&"
			}
			q += sep + "limit=2"
			if after != "" {
				q += "&after=" + url.QueryEscape(after)
			}
			r := e.do("GET", q, e.admin, nil)
			if r.status != 200 {
				t.Fatalf("%s: %d %s", q, r.status, r.body)
			}
			m := r.json(t)
			for _, it := range m["items"].([]any) {
				id := fmt.Sprint(it.(map[string]any)["id"])
				if seen[id] {
					t.Errorf("%s: %s seen twice", tc.path, id)
				}
				seen[id] = true
			}
			next, _ := m["next_after"].(string)
			if next == "" {
				break
			}
			after = next
		}
		if len(seen) != tc.want {
			t.Errorf("%s: %d items over all pages, want %d", tc.path, len(seen), tc.want)
		}
	}
	if r := e.do("GET", "/v1/decisions?after=garbage", e.admin, nil); r.status != 400 {
		t.Errorf("bad cursor: %d %s", r.status, r.body)
	}
	for _, p := range []string{"/v1/brands/none", "/v1/api-keys/999", "/v1/api-keys/x"} {
		if r := e.do("DELETE", p, e.admin, nil); r.status != 404 {
			t.Errorf("DELETE %s = %d %s", p, r.status, r.body)
		}
	}
}

// FuzzPublish throws arbitrary bodies at the publish call: whatever the
// body, the answer is a well-formed JSON error or a 201, never a 500.
func FuzzPublish(f *testing.F) {
	f.Add([]byte(`{"id":"x","seller_id":"s1","title":"Acme shoe","price":12.5,"currency":"USD"}`))
	f.Add([]byte(`{"id":"x","seller_id":"s1","title":"replica","price":1e308,"currency":"EUR","images":["a"]}`))
	f.Add([]byte("{\"id\":\"\xff\"}"))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`{"price":"NaN"}`))
	e := newEnv(f, newMemStore())
	e.scr.noFaults = true
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/v1/listings", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.integ)
		w := httptest.NewRecorder()
		e.api.ServeHTTP(w, req)
		r := resp{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
		switch {
		case r.status == http.StatusCreated:
		case r.status >= 400 && r.status < 500:
			if code, _ := r.errCode(t); code == "" {
				t.Errorf("no error code: %s", r.body)
			}
		default:
			t.Errorf("status %d for %q: %s", r.status, body, r.body)
		}
	})
}
