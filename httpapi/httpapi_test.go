package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

// fakeScreener stands in for the screening engine: it blocks titles
// containing "replica", sends "check" to review and allows the rest.
// "boom" makes it fail and "explode" makes it panic, to test the error paths.
type fakeScreener struct {
	noFaults  bool // disables "boom" and "explode", for fuzzing
	reloads   atomic.Int64
	reloadErr error
}

func (f *fakeScreener) Screen(_ context.Context, l *hallmark.Listing, _ hallmark.SellerHistory) (*hallmark.Decision, error) {
	t := strings.ToLower(l.Title)
	d := &hallmark.Decision{ListingID: l.ID, Action: hallmark.Allow, Reasons: []hallmark.Reason{}, PolicyVersion: "fake-1"}
	switch {
	case strings.Contains(t, "explode") && !f.noFaults:
		panic("fake screener exploded")
	case strings.Contains(t, "boom") && !f.noFaults:
		return nil, errors.New("fake screener: connection to /var/secret/registry.db refused")
	case strings.Contains(t, "replica"):
		d.Action, d.Score, d.BrandID = hallmark.Block, 0.97, "acme"
		d.Reasons = []hallmark.Reason{{Rule: "replica_with_mark", Action: hallmark.Block, Weight: 1, Message: "replica cue next to a brand mark", BrandID: "acme"}}
	case strings.Contains(t, "check"):
		d.Action, d.Score, d.BrandID = hallmark.Review, 0.5, "acme"
		d.Reasons = []hallmark.Reason{{Rule: "mark_low_price", Action: hallmark.Review, Weight: 0.5, Message: "brand mark at a low price", BrandID: "acme"}}
	}
	return d, nil
}

func (f *fakeScreener) Reload(context.Context) error {
	f.reloads.Add(1)
	return f.reloadErr
}

type testEnv struct {
	t        testing.TB
	srv      *httptest.Server
	api      *Server
	store    store.Store
	scr      *fakeScreener
	reg      *prometheus.Registry
	logs     *syncBuffer
	admin    string
	integ    string
	reviewer string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func newEnv(t testing.TB, st store.Store) *testEnv { return newEnvWith(t, st, nil) }

// newEnvWith starts a server on st (a fresh sqlite store if nil) with the
// given screener, or the fake one if scr is nil.
func newEnvWith(t testing.TB, st store.Store, scr Screener) *testEnv {
	t.Helper()
	if st == nil {
		st = openTestStore(t)
	}
	e := &testEnv{t: t, store: st, scr: &fakeScreener{}, reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	if scr == nil {
		scr = e.scr
	}
	api, err := New(Config{
		Store:    st,
		Screener: scr,
		Logger:   slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Clock:    func() time.Time { return testNow },
		Registry: e.reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.api = api
	e.srv = httptest.NewServer(api)
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	for _, k := range []struct {
		dst  *string
		role hallmark.Role
	}{{&e.admin, hallmark.RoleAdmin}, {&e.integ, hallmark.RoleIntegration}, {&e.reviewer, hallmark.RoleReviewer}} {
		if *k.dst, err = CreateAPIKey(ctx, st, "test "+string(k.role), k.role); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutSeller(ctx, &hallmark.Seller{ID: "s1", Name: "Seller One", Country: "DE", CreatedAt: testNow.Add(-400 * 24 * time.Hour)}, "test"); err != nil {
		t.Fatal(err)
	}
	if err := st.PutSeller(ctx, &hallmark.Seller{ID: "s2", Name: "Seller Two", CreatedAt: testNow.Add(-2 * 24 * time.Hour)}, "test"); err != nil {
		t.Fatal(err)
	}
	return e
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %.300s", err, r.body)
	}
	return m
}

func (r resp) errCode(t testing.TB) (code, field string) {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	if e == nil {
		t.Fatalf("no error object in %.300s", r.body)
	}
	code, _ = e["code"].(string)
	field, _ = e["field"].(string)
	return code, field
}

// do sends a request. body may be nil, a string or []byte (sent as is) or
// anything else (sent as JSON).
func (e *testEnv) do(method, path, key string, body any) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return e.send(req)
}

func (e *testEnv) send(req *http.Request) resp {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("%s %s: reading body: %v", req.Method, req.URL.Path, err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func listing(id, seller, title string) map[string]any {
	return map[string]any{"id": id, "seller_id": seller, "title": title, "price": 129.5, "currency": "USD", "category": "shoes"}
}

var acme = map[string]any{
	"id": "acme", "name": "Acme", "category": "shoes",
	"marks":        []any{map[string]any{"text": "Acme", "kind": "word"}},
	"trademarks":   []any{map[string]any{"mark": "ACME", "number": "US-123", "office": "USPTO", "classes": []int{25}}},
	"price_floors": []any{map[string]any{"amount": 80, "currency": "USD"}},
}

// TestRoutes walks every route's happy path in one scenario, then checks
// from the request metrics that no registered pattern was left untested.
func TestRoutes(t *testing.T) {
	e := newEnv(t, nil)
	var decisionID, reviewID string
	steps := []struct {
		name         string
		method, path string
		key          string
		body         any
		want         int
		check        func(t *testing.T, m map[string]any)
	}{
		{"healthz", "GET", "/healthz", "", nil, 200, nil},
		{"readyz", "GET", "/readyz", "", nil, 200, nil},
		{"openapi", "GET", "/v1/openapi.json", "", nil, 200, func(t *testing.T, m map[string]any) {
			if m["openapi"] != "3.1.0" {
				t.Errorf("openapi = %v", m["openapi"])
			}
		}},
		{"put seller", "PUT", "/v1/sellers/s3", e.admin, map[string]any{"name": "Seller Three", "country": "FR"}, 200, func(t *testing.T, m map[string]any) {
			if m["id"] != "s3" || m["created_at"] == "0001-01-01T00:00:00Z" {
				t.Errorf("seller = %v", m)
			}
		}},
		{"get seller", "GET", "/v1/sellers/s3", e.reviewer, nil, 200, nil},
		{"list sellers", "GET", "/v1/sellers?limit=2", e.admin, nil, 200, func(t *testing.T, m map[string]any) {
			if n := len(m["items"].([]any)); n != 2 || m["next_after"] != "s2" {
				t.Errorf("got %d sellers, next_after %v", n, m["next_after"])
			}
		}},
		{"put brand", "PUT", "/v1/brands/acme", e.admin, acme, 200, func(t *testing.T, m map[string]any) {
			if m["name"] != "Acme" || len(m["marks"].([]any)) != 1 {
				t.Errorf("brand = %v", m)
			}
		}},
		{"add mark", "POST", "/v1/brands/acme/marks", e.admin, map[string]any{"text": "Acme Air", "kind": "product_line"}, 201, func(t *testing.T, m map[string]any) {
			if len(m["marks"].([]any)) != 2 {
				t.Errorf("marks = %v", m["marks"])
			}
		}},
		{"add price floor", "POST", "/v1/brands/acme/price-floors", e.admin, map[string]any{"amount": 70, "currency": "EUR", "category": "shoes"}, 201, func(t *testing.T, m map[string]any) {
			if len(m["price_floors"].([]any)) != 2 {
				t.Errorf("price_floors = %v", m["price_floors"])
			}
		}},
		{"add product", "POST", "/v1/brands/acme/products", e.admin, map[string]any{"name": "Acme Runner", "identifiers": []any{"AR-100", "4006381333931"}, "min_price": 80, "currency": "EUR"}, 201, func(t *testing.T, m map[string]any) {
			if ps, _ := m["products"].([]any); len(ps) != 1 {
				t.Errorf("products = %v", m["products"])
			}
		}},
		{"authorize seller", "PUT", "/v1/brands/acme/authorized-sellers/s3", e.admin, nil, 200, func(t *testing.T, m map[string]any) {
			if fmt.Sprint(m["authorized_sellers"]) != "[s3]" {
				t.Errorf("authorized_sellers = %v", m["authorized_sellers"])
			}
		}},
		{"deauthorize seller", "DELETE", "/v1/brands/acme/authorized-sellers/s3", e.admin, nil, 200, func(t *testing.T, m map[string]any) {
			if m["authorized_sellers"] != nil {
				t.Errorf("authorized_sellers = %v", m["authorized_sellers"])
			}
		}},
		{"get brand", "GET", "/v1/brands/acme", e.reviewer, nil, 200, nil},
		{"list brands", "GET", "/v1/brands", e.admin, nil, 200, func(t *testing.T, m map[string]any) {
			if len(m["items"].([]any)) != 1 {
				t.Errorf("brands = %v", m["items"])
			}
		}},
		{"publish allowed", "POST", "/v1/listings", e.integ, listing("l1", "s1", "Running shoe, blue"), 201, func(t *testing.T, m map[string]any) {
			l, d := m["listing"].(map[string]any), m["decision"].(map[string]any)
			if d["action"] != "allow" || l["status"] != "active" || d["listing_id"] != "l1" {
				t.Errorf("got %v", m)
			}
		}},
		{"publish review", "POST", "/v1/listings", e.integ, listing("l2", "s1", "Acme runner, check it out"), 201, func(t *testing.T, m map[string]any) {
			d := m["decision"].(map[string]any)
			if d["action"] != "review" || m["listing"].(map[string]any)["status"] != "held" {
				t.Errorf("got %v", m)
			}
			reviewID = fmt.Sprint(d["id"])
		}},
		{"publish blocked", "POST", "/v1/listings", e.admin, listing("l3", "s2", "Acme replica 1:1"), 201, func(t *testing.T, m map[string]any) {
			d := m["decision"].(map[string]any)
			if d["action"] != "block" || m["listing"].(map[string]any)["status"] != "removed" {
				t.Errorf("got %v", m)
			}
			decisionID = fmt.Sprint(d["id"])
		}},
		{"re-publish (edit) re-screens", "POST", "/v1/listings", e.integ, listing("l1", "s1", "Acme replica, edited"), 201, func(t *testing.T, m map[string]any) {
			if m["decision"].(map[string]any)["action"] != "block" {
				t.Errorf("got %v", m)
			}
		}},
		{"get listing", "GET", "/v1/listings/l1", e.integ, nil, 200, func(t *testing.T, m map[string]any) {
			if m["title"] != "Acme replica, edited" || m["status"] != "removed" {
				t.Errorf("listing = %v", m)
			}
		}},
		{"list listings", "GET", "/v1/listings?seller_id=s1&status=held", e.reviewer, nil, 200, func(t *testing.T, m map[string]any) {
			items := m["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["id"] != "l2" {
				t.Errorf("listings = %v", items)
			}
		}},
		{"latest decision", "GET", "/v1/listings/l1/decision", e.integ, nil, 200, func(t *testing.T, m map[string]any) {
			if m["action"] != "block" {
				t.Errorf("decision = %v", m)
			}
		}},
		{"review queue", "GET", "/v1/decisions?action=review", e.reviewer, nil, 200, func(t *testing.T, m map[string]any) {
			items := m["items"].([]any)
			if len(items) != 1 || fmt.Sprint(items[0].(map[string]any)["id"]) != reviewID {
				t.Errorf("queue = %v", items)
			}
		}},
		{"get decision", "GET", "/v1/decisions/{decision}", e.integ, nil, 200, func(t *testing.T, m map[string]any) {
			if m["listing_id"] != "l3" {
				t.Errorf("decision = %v", m)
			}
		}},
		{"status change", "POST", "/v1/listings/l2/status", e.reviewer, map[string]any{"status": "active", "reason": "genuine: invoice checked"}, 200, func(t *testing.T, m map[string]any) {
			if m["status"] != "active" {
				t.Errorf("listing = %v", m)
			}
		}},
		{"audit", "GET", "/v1/listings/l2/audit", e.reviewer, nil, 200, func(t *testing.T, m map[string]any) {
			if n := len(m["items"].([]any)); n < 2 {
				t.Errorf("audit has %d entries, want the decision and the status change", n)
			}
		}},
		{"import", "POST", "/v1/import", e.admin, map[string]any{
			"sellers": []any{map[string]any{"id": "s9", "name": "Nine"}},
			"brands":  []any{map[string]any{"id": "zeta", "name": "Zeta", "marks": []any{map[string]any{"text": "Zeta", "kind": "word"}}}},
		}, 200, func(t *testing.T, m map[string]any) {
			if m["brands"] != 1.0 || m["sellers"] != 1.0 {
				t.Errorf("import = %v", m)
			}
		}},
		{"create api key", "POST", "/v1/api-keys", e.admin, map[string]any{"name": "ci", "role": "integration"}, 201, func(t *testing.T, m map[string]any) {
			if s, _ := m["secret"].(string); !strings.HasPrefix(s, "hm_") || len(s) != 46 {
				t.Errorf("secret = %q", s)
			}
		}},
		{"list api keys", "GET", "/v1/api-keys", e.admin, nil, 200, func(t *testing.T, m map[string]any) {
			items := m["items"].([]any)
			if len(items) != 4 {
				t.Errorf("keys = %v", items)
			}
			for _, it := range items {
				for k := range it.(map[string]any) {
					if k == "hash" || k == "secret" {
						t.Errorf("key list leaks %q", k)
					}
				}
			}
		}},
		{"revoke api key", "DELETE", "/v1/api-keys/4", e.admin, nil, 204, nil},
		{"delete brand", "DELETE", "/v1/brands/zeta", e.admin, nil, 204, nil},
		{"metrics", "GET", "/metrics", "", nil, 200, nil},
	}
	for _, st := range steps {
		path := strings.ReplaceAll(st.path, "{decision}", decisionID)
		r := e.do(st.method, path, st.key, st.body)
		if r.status != st.want {
			t.Fatalf("%s: %s %s = %d, want %d: %s", st.name, st.method, path, r.status, st.want, r.body)
		}
		if st.check != nil && len(r.body) > 0 && st.path != "/metrics" {
			st.check(t, r.json(t))
		}
	}
	// Every brand change reloaded the engine: put, mark, floor, product,
	// authorize, deauthorize, import, delete.
	if n := e.scr.reloads.Load(); n != 8 {
		t.Errorf("Reload called %d times, want 8", n)
	}
	// Every registered route answered a 2xx at least once.
	ok := answered2xx(t, e.reg)
	for _, p := range e.api.Patterns() {
		// The takedown routes have their own scenario (takedown_test.go),
		// which checks their coverage the same way.
		if !ok[p] && p != "GET /metrics" && !isTakedownRoute(p) && !isImageRoute(p) { // /metrics was scraped before its own count
			t.Errorf("no happy-path request reached %q", p)
		}
	}
	r := e.do("GET", "/metrics", "", nil)
	for _, want := range []string{`hallmark_screening_decisions_total{action="block"} 2`, `hallmark_http_request_duration_seconds_bucket{code="201",route="POST /v1/listings"`} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestPublishRejects sends bad listings; each must get a clear 4xx with the
// right code and leave nothing behind.
func TestPublishRejects(t *testing.T) {
	e := newEnv(t, nil)
	huge := `{"id":"x","seller_id":"s1","title":"` + strings.Repeat("a", 10<<20) + `","price":1,"currency":"USD"}`
	tests := []struct {
		name      string
		body      string
		ctype     string
		chunked   bool
		status    int
		code      string
		field     string
		messageIn string
	}{
		{name: "invalid json", body: `{"id":"x",`, status: 400, code: "invalid_json"},
		{name: "not an object", body: `["x"]`, status: 400, code: "invalid_json"},
		{name: "empty body", body: ``, status: 400, code: "invalid_json"},
		{name: "trailing garbage", body: `{"id":"x","seller_id":"s1","title":"t","price":1,"currency":"USD"} {"id":"y"}`, status: 400, code: "invalid_json"},
		{name: "invalid utf-8 in title", body: "{\"id\":\"x\",\"seller_id\":\"s1\",\"title\":\"Acme \xff\xfe shoe\",\"price\":1,\"currency\":\"USD\"}", status: 422, code: "invalid_field", field: "title"},
		{name: "negative price", body: `{"id":"x","seller_id":"s1","title":"t","price":-1,"currency":"USD"}`, status: 422, code: "invalid_field", field: "price", messageIn: "negative"},
		{name: "price 1e12", body: `{"id":"x","seller_id":"s1","title":"t","price":1e12,"currency":"USD"}`, status: 422, code: "invalid_field", field: "price"},
		{name: "price as string", body: `{"id":"x","seller_id":"s1","title":"t","price":"12","currency":"USD"}`, status: 422, code: "invalid_field", field: "price"},
		{name: "unknown currency", body: `{"id":"x","seller_id":"s1","title":"t","price":1,"currency":"XYZ"}`, status: 422, code: "invalid_field", field: "currency", messageIn: "XYZ"},
		{name: "missing title", body: `{"id":"x","seller_id":"s1","price":1,"currency":"USD"}`, status: 422, code: "invalid_field", field: "title"},
		{name: "unknown seller", body: `{"id":"x","seller_id":"nobody","title":"t","price":1,"currency":"USD"}`, status: 422, code: "unknown_seller", field: "seller_id"},
		{name: "10 MB title", body: huge, status: 413, code: "body_too_large"},
		{name: "10 MB title, chunked", body: huge, chunked: true, status: 413, code: "body_too_large"},
		{name: "wrong content type", body: `{"id":"x","seller_id":"s1","title":"t","price":1,"currency":"USD"}`, ctype: "text/plain", status: 415, code: "unsupported_media_type"},
		{name: "missing content type", body: `{"id":"x","seller_id":"s1","title":"t","price":1,"currency":"USD"}`, ctype: "-", status: 415, code: "unsupported_media_type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rd io.Reader = strings.NewReader(tc.body)
			if tc.chunked {
				rd = io.MultiReader(rd) // hides the length: sent chunked
			}
			req, _ := http.NewRequest("POST", e.srv.URL+"/v1/listings", rd)
			switch tc.ctype {
			case "":
				req.Header.Set("Content-Type", "application/json; charset=utf-8")
			case "-":
			default:
				req.Header.Set("Content-Type", tc.ctype)
			}
			req.Header.Set("Authorization", "Bearer "+e.integ)
			r := e.send(req)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			code, field := r.errCode(t)
			if code != tc.code || field != tc.field {
				t.Errorf("code %q field %q, want %q %q: %s", code, field, tc.code, tc.field, r.body)
			}
			if tc.messageIn != "" && !strings.Contains(string(r.body), tc.messageIn) {
				t.Errorf("message does not mention %q: %s", tc.messageIn, r.body)
			}
			if g := e.do("GET", "/v1/listings/x", e.integ, nil); g.status != 404 {
				t.Errorf("GET afterwards = %d, want 404", g.status)
			}
			if a := e.do("GET", "/v1/listings/x/audit", e.admin, nil); a.status != 200 || len(a.json(t)["items"].([]any)) != 0 {
				t.Errorf("audit afterwards = %d %s, want empty", a.status, a.body)
			}
		})
	}
	t.Run("edit moving listing to another seller", func(t *testing.T) {
		if r := e.do("POST", "/v1/listings", e.integ, listing("own", "s1", "shoe")); r.status != 201 {
			t.Fatalf("first publish: %d %s", r.status, r.body)
		}
		r := e.do("POST", "/v1/listings", e.integ, listing("own", "s2", "shoe"))
		if code, _ := r.errCode(t); r.status != 409 || code != "conflict" {
			t.Errorf("got %d %s, want 409 conflict", r.status, r.body)
		}
		g := e.do("GET", "/v1/listings/own", e.integ, nil)
		if got := g.json(t)["seller_id"]; g.status != 200 || got != "s1" {
			t.Errorf("after the refused move: %d %s", g.status, g.body)
		}
		if d := e.do("GET", "/v1/decisions?listing_id=own", e.integ, nil); len(d.json(t)["items"].([]any)) != 1 {
			t.Errorf("the refused move left a decision: %s", d.body)
		}
	})
}

func TestAuth(t *testing.T) {
	e := newEnv(t, nil)
	revoked, err := CreateAPIKey(context.Background(), e.store, "old", hallmark.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := e.store.ListAPIKeys(context.Background())
	for _, k := range keys {
		if k.Name == "old" {
			if r := e.do("DELETE", fmt.Sprintf("/v1/api-keys/%d", k.ID), e.admin, nil); r.status != 204 {
				t.Fatalf("revoke: %d %s", r.status, r.body)
			}
		}
	}
	good := listing("a1", "s1", "shoe")
	tests := []struct {
		name         string
		method, path string
		auth         string // the whole Authorization header
		body         any
		status       int
		code         string
	}{
		{"no key", "GET", "/v1/listings", "", nil, 401, "unauthenticated"},
		{"not bearer", "GET", "/v1/listings", "Basic " + e.admin, nil, 401, "unauthenticated"},
		{"garbage key", "GET", "/v1/listings", "Bearer nonsense", nil, 401, "unauthenticated"},
		{"unknown key", "GET", "/v1/listings", "Bearer hm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", nil, 401, "unauthenticated"},
		{"right prefix, wrong rest", "GET", "/v1/listings", "Bearer " + e.admin[:20] + strings.Repeat("A", 26), nil, 401, "unauthenticated"},
		{"revoked key", "GET", "/v1/listings", "Bearer " + revoked, nil, 401, "unauthenticated"},
		{"integration on admin route", "PUT", "/v1/brands/acme", "Bearer " + e.integ, acme, 403, "forbidden"},
		{"integration on key admin", "GET", "/v1/api-keys", "Bearer " + e.integ, nil, 403, "forbidden"},
		{"integration on status change", "POST", "/v1/listings/a1/status", "Bearer " + e.integ, map[string]any{"status": "removed", "reason": "x"}, 403, "forbidden"},
		{"reviewer publishing", "POST", "/v1/listings", "Bearer " + e.reviewer, good, 403, "forbidden"},
		{"reviewer on import", "POST", "/v1/import", "Bearer " + e.reviewer, map[string]any{}, 403, "forbidden"},
		{"integration publishing", "POST", "/v1/listings", "Bearer " + e.integ, good, 201, ""},
		{"reviewer reading the queue", "GET", "/v1/decisions?action=review", "Bearer " + e.reviewer, nil, 200, ""},
		{"reviewer deciding", "POST", "/v1/listings/a1/status", "Bearer " + e.reviewer, map[string]any{"status": "held", "reason": "ask for invoice"}, 200, ""},
		{"public healthz", "GET", "/healthz", "", nil, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rd io.Reader
			if tc.body != nil {
				b, _ := json.Marshal(tc.body)
				rd = bytes.NewReader(b)
			}
			req, _ := http.NewRequest(tc.method, e.srv.URL+tc.path, rd)
			if tc.body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			r := e.send(req)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.code != "" {
				if code, _ := r.errCode(t); code != tc.code {
					t.Errorf("code %q, want %q", code, tc.code)
				}
			}
			if tc.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	if strings.Contains(e.logs.String(), revoked) {
		t.Error("a key secret reached the log")
	}
}

// TestOpenAPIParity fails when a route is added without documenting it, or
// documented without being served.
func TestOpenAPIParity(t *testing.T) {
	e := newEnv(t, newMemStore())
	r := e.do("GET", "/v1/openapi.json", "", nil)
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Components.SecuritySchemes["apiKey"] == nil {
		t.Errorf("openapi %q, security schemes %v", doc.OpenAPI, doc.Components.SecuritySchemes)
	}
	var documented []string
	for path, item := range doc.Paths {
		for method := range item {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	served := e.api.Patterns()
	slices.Sort(documented)
	slices.Sort(served)
	for _, p := range served {
		if !slices.Contains(documented, p) {
			t.Errorf("route %q is served but not in the OpenAPI document", p)
		}
	}
	for _, p := range documented {
		if !slices.Contains(served, p) {
			t.Errorf("route %q is in the OpenAPI document but not served", p)
		}
	}
	// Every $ref points at something.
	var all map[string]any
	_ = json.Unmarshal(r.body, &all)
	opIDs := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if id, ok := v["operationId"].(string); ok {
				if opIDs[id] {
					t.Errorf("operationId %q is not unique", id)
				}
				opIDs[id] = true
			}
			if ref, ok := v["$ref"].(string); ok {
				var cur any = all
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := cur.(map[string]any)
					cur = m[part]
				}
				if cur == nil {
					t.Errorf("dangling $ref %q", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(all)
	if len(opIDs) != len(served) {
		t.Errorf("%d operationIds for %d routes", len(opIDs), len(served))
	}
}

func TestImportAllOrNothing(t *testing.T) {
	e := newEnv(t, nil)
	brand := func(id string) map[string]any {
		return map[string]any{"id": id, "name": strings.ToUpper(id), "marks": []any{map[string]any{"text": id, "kind": "word"}},
			"price_floors": []any{map[string]any{"amount": 10, "currency": "USD"}}}
	}
	bad := brand("gamma")
	bad["price_floors"] = []any{map[string]any{"amount": 10, "currency": "XYZ"}}
	tests := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"bad currency in third brand", map[string]any{
			"sellers": []any{map[string]any{"id": "n1", "name": "New One"}},
			"brands":  []any{brand("alpha"), brand("beta"), bad},
		}, "brands[2].price_floors[0].currency"},
		{"bad seller after good brands", map[string]any{
			"sellers": []any{map[string]any{"id": "n1", "name": "New One"}, map[string]any{"id": "n2", "name": ""}},
			"brands":  []any{brand("alpha")},
		}, "sellers[1].name"},
		{"duplicate brand id", map[string]any{"brands": []any{brand("alpha"), brand("alpha")}}, "brands[1].id"},
		{"bad brand id", map[string]any{"brands": []any{brand("Alpha Corp")}}, "brands[0].id"},
		{"bad mark kind", map[string]any{"brands": []any{map[string]any{"id": "alpha", "name": "A", "marks": []any{map[string]any{"text": "a", "kind": "logo"}}}}}, "brands[0].marks[0].kind"},
		{"empty mark", map[string]any{"brands": []any{map[string]any{"id": "alpha", "name": "A", "marks": []any{map[string]any{"text": " ", "kind": "word"}}}}}, "brands[0].marks[0].text"},
		{"mark too long", map[string]any{"brands": []any{map[string]any{"id": "alpha", "name": "A", "marks": []any{map[string]any{"text": strings.Repeat("x", 201), "kind": "word"}}}}}, "brands[0].marks[0].text"},
		{"negative floor", map[string]any{"brands": []any{map[string]any{"id": "alpha", "name": "A", "price_floors": []any{map[string]any{"amount": -5, "currency": "USD"}}}}}, "brands[0].price_floors[0].amount"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", "/v1/import", e.admin, tc.body)
			if r.status != 422 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if code, field := r.errCode(t); code != "invalid_field" || field != tc.field {
				t.Errorf("code %q field %q, want invalid_field %q", code, field, tc.field)
			}
			if !strings.Contains(string(r.body), tc.field) {
				t.Errorf("message does not name %s: %s", tc.field, r.body)
			}
			if b := e.do("GET", "/v1/brands", e.admin, nil); len(b.json(t)["items"].([]any)) != 0 {
				t.Errorf("brands were written: %s", b.body)
			}
			if s := e.do("GET", "/v1/sellers/n1", e.admin, nil); s.status != 404 {
				t.Errorf("seller n1 was written: %d", s.status)
			}
		})
	}
	if n := e.scr.reloads.Load(); n != 0 {
		t.Errorf("Reload called %d times for failed imports", n)
	}
	r := e.do("POST", "/v1/import", e.admin, map[string]any{
		"sellers": []any{map[string]any{"id": "n1", "name": "New One"}},
		"brands":  []any{brand("alpha"), brand("beta")},
	})
	if r.status != 200 {
		t.Fatalf("good import: %d %s", r.status, r.body)
	}
	if b := e.do("GET", "/v1/brands", e.admin, nil); len(b.json(t)["items"].([]any)) != 2 {
		t.Errorf("brands after import: %s", b.body)
	}
	if n := e.scr.reloads.Load(); n != 1 {
		t.Errorf("Reload called %d times, want once per import", n)
	}
}

func TestBrandValidation(t *testing.T) {
	e := newEnv(t, newMemStore())
	tests := []struct {
		name, path string
		body       any
		status     int
		field      string
	}{
		{"id mismatch", "/v1/brands/acme", map[string]any{"id": "other", "name": "A"}, 422, "id"},
		{"bad id in path", "/v1/brands/ACME", map[string]any{"name": "A"}, 422, "id"},
		{"no name", "/v1/brands/acme", map[string]any{}, 422, "name"},
		{"invalid utf-8 mark", "/v1/brands/acme", "{\"name\":\"A\",\"marks\":[{\"text\":\"\xff\",\"kind\":\"word\"}]}", 422, "marks"},
		{"duplicate mark", "/v1/brands/acme", map[string]any{"name": "A", "marks": []any{map[string]any{"text": "A", "kind": "word"}, map[string]any{"text": "a", "kind": "word"}}}, 422, "marks[1].text"},
		{"mark of another brand", "/v1/brands/acme", map[string]any{"name": "A", "marks": []any{map[string]any{"brand_id": "zeta", "text": "A", "kind": "word"}}}, 422, "marks[0].brand_id"},
		{"bad pdq", "/v1/brands/acme", map[string]any{"name": "A", "images": []any{map[string]any{"id": "i1", "pdq": "abc"}}}, 422, "images[0].pdq"},
		{"bad gtin", "/v1/brands/acme", map[string]any{"name": "A", "products": []any{map[string]any{"name": "P", "identifiers": []any{"4006381333932"}}}}, 422, "products[0].identifiers[0]"},
		{"bad nice class", "/v1/brands/acme", map[string]any{"name": "A", "trademarks": []any{map[string]any{"mark": "A", "number": "1", "office": "EUIPO", "classes": []int{99}}}}, 422, "trademarks[0].classes[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("PUT", tc.path, e.admin, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if _, field := r.errCode(t); field != tc.field {
				t.Errorf("field %q, want %q: %s", field, tc.field, r.body)
			}
		})
	}
	for path, body := range map[string]any{
		"/v1/brands/nope/marks":        map[string]any{"text": "x", "kind": "word"},
		"/v1/brands/nope/price-floors": map[string]any{"amount": 1, "currency": "USD"},
		"/v1/brands/nope/products":     map[string]any{"name": "P"},
	} {
		if r := e.do("POST", path, e.admin, body); r.status != 404 {
			t.Errorf("POST %s on a missing brand = %d", path, r.status)
		}
	}
	if n := e.scr.reloads.Load(); n != 0 {
		t.Errorf("Reload called %d times for rejected changes", n)
	}
}

func TestErrorPaths(t *testing.T) {
	ms := newMemStore()
	e := newEnv(t, ms)
	t.Run("unknown route", func(t *testing.T) {
		r := e.do("GET", "/v1/nothing", e.admin, nil)
		if code, _ := r.errCode(t); r.status != 404 || code != "not_found" {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("wrong method", func(t *testing.T) {
		r := e.do("PATCH", "/v1/listings", e.admin, nil)
		if code, _ := r.errCode(t); r.status != 405 || code != "method_not_allowed" || !strings.Contains(r.header.Get("Allow"), "POST") {
			t.Errorf("%d %v %s", r.status, r.header, r.body)
		}
	})
	t.Run("headers", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.srv.URL+"/healthz", nil)
		req.Header.Set("X-Request-Id", "abc-123")
		r := e.send(req)
		if r.header.Get("X-Request-Id") != "abc-123" || r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("headers %v", r.header)
		}
		req.Header.Set("X-Request-Id", "evil\tid with spaces")
		if r := e.send(req); r.header.Get("X-Request-Id") == "" || strings.Contains(r.header.Get("X-Request-Id"), " ") {
			t.Errorf("unsafe request id echoed: %q", r.header.Get("X-Request-Id"))
		}
	})
	t.Run("screener error does not leak", func(t *testing.T) {
		r := e.do("POST", "/v1/listings", e.integ, listing("b1", "s1", "boom"))
		if code, _ := r.errCode(t); r.status != 500 || code != "internal" || strings.Contains(string(r.body), "secret") {
			t.Errorf("%d %s", r.status, r.body)
		}
		if !strings.Contains(e.logs.String(), "/var/secret/registry.db") {
			t.Error("internal error was not logged")
		}
		if g := e.do("GET", "/v1/listings/b1", e.integ, nil); g.status != 404 {
			t.Errorf("failed screening stored the listing: %d", g.status)
		}
	})
	t.Run("panic recovered", func(t *testing.T) {
		r := e.do("POST", "/v1/listings", e.integ, listing("p1", "s1", "explode"))
		if code, _ := r.errCode(t); r.status != 500 || code != "internal" {
			t.Errorf("%d %s", r.status, r.body)
		}
		if r := e.do("GET", "/healthz", "", nil); r.status != 200 {
			t.Error("server died after a panic")
		}
	})
	t.Run("store write error", func(t *testing.T) {
		ms.putErr = errors.New("database is locked: /data/hallmark.db")
		defer func() { ms.putErr = nil }()
		r := e.do("POST", "/v1/listings", e.integ, listing("w1", "s1", "shoe"))
		if r.status != 500 || strings.Contains(string(r.body), "hallmark.db") {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("reload failure", func(t *testing.T) {
		e.scr.reloadErr = errors.New("rules file missing")
		defer func() { e.scr.reloadErr = nil }()
		r := e.do("PUT", "/v1/brands/acme", e.admin, acme)
		if code, _ := r.errCode(t); r.status != 500 || code != "reload_failed" {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("not ready", func(t *testing.T) {
		ms.pingErr = errors.New("connection refused")
		defer func() { ms.pingErr = nil }()
		r := e.do("GET", "/readyz", "", nil)
		if code, _ := r.errCode(t); r.status != 503 || code != "unavailable" {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
	t.Run("bad query", func(t *testing.T) {
		for _, q := range []string{"/v1/listings?limit=0", "/v1/listings?limit=x", "/v1/listings?status=gone", "/v1/decisions?action=maybe"} {
			r := e.do("GET", q, e.admin, nil)
			if code, _ := r.errCode(t); r.status != 400 || code != "invalid_field" {
				t.Errorf("%s: %d %s", q, r.status, r.body)
			}
		}
	})
	t.Run("status change needs a reason", func(t *testing.T) {
		r := e.do("POST", "/v1/listings/l1/status", e.admin, map[string]any{"status": "removed"})
		if _, field := r.errCode(t); r.status != 422 || field != "reason" {
			t.Errorf("%d %s", r.status, r.body)
		}
		r = e.do("POST", "/v1/listings/none/status", e.admin, map[string]any{"status": "removed", "reason": "fake"})
		if r.status != 404 {
			t.Errorf("%d %s", r.status, r.body)
		}
	})
}

func TestListenAndServeShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	go func() { done <- ListenAndServe(ctx, "127.0.0.1:0", h, slog.New(slog.DiscardHandler)) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ListenAndServe did not return after cancel")
	}
}

// answered2xx reads the request metrics and returns the route patterns that
// answered a 2xx at least once.
func answered2xx(t testing.TB, reg prometheus.Gatherer) map[string]bool {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	ok := map[string]bool{}
	for _, mf := range mfs {
		if mf.GetName() != "hallmark_http_requests_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			var route, code string
			for _, lp := range m.GetLabel() {
				switch lp.GetName() {
				case "route":
					route = lp.GetValue()
				case "code":
					code = lp.GetValue()
				}
			}
			if strings.HasPrefix(code, "2") {
				ok[route] = true
			}
		}
	}
	return ok
}
