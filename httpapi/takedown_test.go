package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/store/postgres"
)

// isTakedownRoute reports whether a pattern is one of takedown.go's, which
// TestTakedownFlow covers rather than TestRoutes.
func isTakedownRoute(p string) bool {
	for _, o := range takedownOps {
		if o.method+" "+o.path == p {
			return true
		}
	}
	return false
}

// clock is a settable test clock: 15-day periods pass in a call.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// backends runs fn against SQLite and, when HALLMARK_TEST_POSTGRES_DSN is
// set, PostgreSQL: the whole flow on both databases.
func backends(t *testing.T, fn func(t *testing.T, open func(t *testing.T) store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, func(t *testing.T) store.Store { return openTestStore(t) }) })
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv("HALLMARK_TEST_POSTGRES_DSN") == "" {
			t.Skip("HALLMARK_TEST_POSTGRES_DSN not set")
		}
		fn(t, openPostgres)
	})
}

// openPostgres opens a store in a schema of its own, dropped afterwards.
func openPostgres(t *testing.T) store.Store {
	t.Helper()
	dsn := os.Getenv("HALLMARK_TEST_POSTGRES_DSN")
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })
	schema := "hallmark_td_" + strings.ToLower(rand.Text()[:16])
	ident := pgx.Identifier{schema}.Sanitize()
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+ident); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec(context.Background(), "DROP SCHEMA "+ident+" CASCADE") })
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "off"
	cfg.MaxConns = 4
	db, err := postgres.OpenConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// tdEnv is a server with people: an admin and a reviewer, rights holders
// of acme and of bolt, and the sellers s1 and s2, each logged in.
type tdEnv struct {
	*testEnv
	clk      *clock
	svc      *notice.Service
	sessions map[string]string // who -> session token
}

const tdPassword = "correct horse battery"

func newTDEnv(t testing.TB, st store.Store, cfg notice.Config) *tdEnv {
	t.Helper()
	clk := &clock{t: testNow}
	cfg.Clock = clk.Now
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 365 * day // the scenarios span months of test time
	}
	svc := notice.New(st, cfg)
	e := &testEnv{t: t, store: st, scr: &fakeScreener{}, reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	api, err := New(Config{Store: st, Screener: e.scr, Clock: clk.Now, Registry: e.reg, Takedown: svc,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	e.api = api
	e.srv = httptest.NewServer(api)
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	if e.admin, err = CreateAPIKey(ctx, st, "admin", hallmark.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if e.integ, err = CreateAPIKey(ctx, st, "integ", hallmark.RoleIntegration); err != nil {
		t.Fatal(err)
	}
	if e.reviewer, err = CreateAPIKey(ctx, st, "reviewer", hallmark.RoleReviewer); err != nil {
		t.Fatal(err)
	}
	te := &tdEnv{testEnv: e, clk: clk, svc: svc, sessions: map[string]string{}}
	for _, b := range []string{"acme", "bolt"} {
		te.must(e.do("PUT", "/v1/brands/"+b, e.admin, map[string]any{"id": b, "name": strings.ToUpper(b)}), 200)
	}
	for _, s := range []string{"s1", "s2"} {
		te.must(e.do("PUT", "/v1/sellers/"+s, e.admin, map[string]any{"id": s, "name": "Seller " + s}), 200)
	}
	users := []map[string]any{
		{"email": "admin@example.com", "name": "Ada Admin", "role": "admin"},
		{"email": "reviewer@example.com", "name": "Rita Reviewer", "role": "reviewer"},
		{"email": "acme@example.com", "name": "Acme Legal", "role": "rights_holder", "brand_ids": []string{"acme"}},
		{"email": "bolt@example.com", "name": "Bolt Legal", "role": "rights_holder", "brand_ids": []string{"bolt"}},
		{"email": "s1@example.com", "name": "Seller One", "role": "seller", "seller_id": "s1"},
		{"email": "s2@example.com", "name": "Seller Two", "role": "seller", "seller_id": "s2"},
	}
	for _, u := range users {
		u["password"] = tdPassword
		te.must(e.do("POST", "/v1/users", e.admin, u), 201)
		who, _, _ := strings.Cut(u["email"].(string), "@")
		te.sessions[who] = te.login(u["email"].(string), tdPassword)
	}
	return te
}

func (e *tdEnv) login(email, password string) string {
	e.t.Helper()
	r := e.do("POST", "/v1/login", "", map[string]string{"email": email, "password": password})
	e.must(r, 200)
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == sessionCookie {
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
				e.t.Errorf("session cookie lacks Secure/HttpOnly/SameSite=Strict/Path=/: %+v", c)
			}
			return c.Value
		}
	}
	e.t.Fatalf("login set no session cookie: %v", r.header)
	return ""
}

// as sends a request as one of the logged-in people.
func (e *tdEnv) as(who, method, path string, body any) resp {
	e.t.Helper()
	var rd *strings.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = strings.NewReader(string(b))
	} else {
		rd = strings.NewReader("")
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok, ok := e.sessions[who]; ok {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
	} else if who != "" {
		e.t.Fatalf("nobody called %q", who)
	}
	return e.send(req)
}

func (e *tdEnv) must(r resp, status int) resp {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d: %.500s\nserver log: %.2000s", r.status, status, r.body, e.logs.String())
	}
	return r
}

func (e *tdEnv) obj(r resp) map[string]any { e.t.Helper(); return r.json(e.t) }

func (e *tdEnv) id(r resp) string {
	e.t.Helper()
	return fmt.Sprint(int64(e.obj(r)["id"].(float64)))
}

func (e *tdEnv) items(r resp) []map[string]any {
	e.t.Helper()
	var p struct{ Items []map[string]any }
	if err := json.Unmarshal(r.body, &p); err != nil {
		e.t.Fatal(err)
	}
	return p.Items
}

// publish puts a live listing of seller up.
func (e *tdEnv) publish(id, seller string) {
	e.t.Helper()
	e.must(e.do("POST", "/v1/listings", e.integ, listing(id, seller, "Acme running shoes "+id)), 201)
}

func (e *tdEnv) status(listingID string) string {
	e.t.Helper()
	return e.obj(e.must(e.do("GET", "/v1/listings/"+listingID, e.admin, nil), 200))["status"].(string)
}

// verifiedRight submits a trademark for brand as its rights holder and has
// the reviewer verify it.
func (e *tdEnv) verifiedRight(brand string) string {
	e.t.Helper()
	id := e.id(e.must(e.as(brand, "POST", "/v1/rights", rightBody(brand)), 201))
	e.must(e.as("reviewer", "POST", "/v1/rights/"+id+"/verification", map[string]any{"approve": true, "reason": "registration checked at the office"}), 200)
	return id
}

func rightBody(brand string) map[string]any {
	return map[string]any{"brand_id": brand, "mark": strings.ToUpper(brand), "number": "US-" + brand + "-1", "office": "USPTO",
		"classes": []int{25}, "owner": strings.ToUpper(brand) + " Inc.", "documents": []string{"https://docs.example/" + brand + ".pdf"}}
}

func noticeBody(brand, right string, listings ...string) map[string]any {
	var rid int64
	fmt.Sscan(right, &rid)
	return map[string]any{"brand_id": brand, "right_id": rid, "listing_ids": listings,
		"explanation": "counterfeit " + strings.ToUpper(brand) + " goods: the logo and the box are fakes", "good_faith": true,
		"contact": map[string]string{"name": "Legal", "email": "legal@" + brand + ".example"}}
}

// fileNotice files and returns the notice id.
func (e *tdEnv) fileNotice(brand, right string, listings ...string) string {
	e.t.Helper()
	r := e.must(e.as(brand, "POST", "/v1/notices", noticeBody(brand, right, listings...)), 201)
	return e.id(r)
}

func (e *tdEnv) decide(noticeID string, accept bool, unfounded bool) map[string]any {
	e.t.Helper()
	return e.obj(e.must(e.as("reviewer", "POST", "/v1/notices/"+noticeID+"/decision",
		map[string]any{"accept": accept, "reason": "checked the listing photos", "manifestly_unfounded": unfounded}), 200))
}

func (e *tdEnv) statementFor(noticeID string) string {
	e.t.Helper()
	n := e.obj(e.must(e.as("reviewer", "GET", "/v1/notices/"+noticeID, nil), 200))
	ids, _ := n["statement_ids"].([]any)
	if len(ids) == 0 {
		e.t.Fatalf("notice %s has no statements: %v", noticeID, n)
	}
	return fmt.Sprint(int64(ids[0].(float64)))
}

func (e *tdEnv) runDue() int {
	e.t.Helper()
	n, err := e.svc.RunDue(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

const day = 24 * time.Hour

// TestTakedownFlow walks notice, takedown, statement of reasons,
// counter-notice, restoration on expiry, legal action, appeal with
// reversal and the figures, on both databases.
func TestTakedownFlow(t *testing.T) {
	backends(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newTDEnv(t, open(t), notice.Config{})
		for _, l := range []string{"l1", "l2", "l3"} {
			e.publish(l, "s1")
		}
		e.must(e.as("acme", "GET", "/v1/me", nil), 200)
		right := e.verifiedRight("acme")
		e.must(e.as("acme", "GET", "/v1/rights/"+right, nil), 200)
		if got := e.items(e.must(e.as("acme", "GET", "/v1/rights", nil), 200)); len(got) != 1 || got[0]["status"] != "verified" {
			t.Fatalf("rights: %v", got)
		}

		// The verified right feeds the registry screening reads.
		b := e.obj(e.must(e.do("GET", "/v1/brands/acme", e.admin, nil), 200))
		if tms, _ := b["trademarks"].([]any); len(tms) != 1 || tms[0].(map[string]any)["number"] != "US-acme-1" {
			t.Errorf("the verified right is not in the registry: %v", b["trademarks"])
		}

		// Notice: acknowledged at once, decided by a reviewer.
		n1 := e.fileNotice("acme", right, "l1")
		got := e.obj(e.must(e.as("acme", "GET", "/v1/notices/"+n1, nil), 200))
		if got["status"] != "received" || got["received_at"] == nil {
			t.Fatalf("notice not acknowledged: %v", got)
		}
		if q := e.items(e.must(e.as("reviewer", "GET", "/v1/notices?status=received", nil), 200)); len(q) != 1 {
			t.Fatalf("review queue: %v", q)
		}
		e.decide(n1, true, false)
		if s := e.status("l1"); s != "removed" {
			t.Fatalf("l1 is %s after takedown", s)
		}
		got = e.obj(e.must(e.as("acme", "GET", "/v1/notices/"+n1, nil), 200))
		if got["status"] != "accepted" || !strings.Contains(got["outcome"].(string), "1 of 1 listings removed") {
			t.Fatalf("notifier not told the outcome: %v", got)
		}

		// Statement of reasons, visible to the seller, with Art. 17 contents.
		st1 := e.statementFor(n1)
		sr := e.obj(e.must(e.as("s1", "GET", "/v1/statements/"+st1, nil), 200))
		for _, f := range []string{"measure", "facts", "ground", "redress"} {
			if s, _ := sr[f].(string); s == "" {
				t.Errorf("statement lacks %s: %v", f, sr)
			}
		}
		if sr["automated_decision"] != false || !strings.Contains(sr["ground"].(string), "US-acme-1") {
			t.Errorf("statement: %v", sr)
		}
		if l := e.items(e.must(e.as("s1", "GET", "/v1/statements", nil), 200)); len(l) != 1 {
			t.Errorf("seller's statements: %v", l)
		}

		// Counter-notice: the rights holder is told; after 15 days with no
		// legal action the listing comes back.
		cn := e.id(e.must(e.as("s1", "POST", "/v1/statements/"+st1+"/counter-notice", map[string]any{
			"explanation": "these are genuine, bought from the brand's distributor", "contact": map[string]string{"name": "S1", "email": "s1@example.com"}}), 201))
		if l := e.items(e.must(e.as("acme", "GET", "/v1/counter-notices", nil), 200)); len(l) != 1 || fmt.Sprint(l[0]["status"]) != "pending" {
			t.Fatalf("rights holder's counter-notices: %v", l)
		}
		e.must(e.as("s1", "GET", "/v1/counter-notices/"+cn, nil), 200)
		e.clk.Advance(15*day - time.Minute)
		if n := e.runDue(); n != 0 {
			t.Fatalf("%d timers fired early", n)
		}
		if s := e.status("l1"); s != "removed" {
			t.Fatalf("l1 restored early: %s", s)
		}
		e.clk.Advance(2 * time.Minute)
		if n := e.runDue(); n != 1 {
			t.Fatalf("%d timers fired, want 1", n)
		}
		if s := e.status("l1"); s != "active" {
			t.Fatalf("l1 is %s after the period", s)
		}
		if c := e.obj(e.must(e.as("s1", "GET", "/v1/counter-notices/"+cn, nil), 200)); c["status"] != "restored" {
			t.Errorf("counter-notice: %v", c)
		}
		if sr := e.obj(e.must(e.as("s1", "GET", "/v1/statements/"+st1, nil), 200)); sr["status"] != "restored" {
			t.Errorf("statement: %v", sr)
		}

		// Legal action within the period keeps the listing down.
		n2 := e.fileNotice("acme", right, "l2")
		e.decide(n2, true, false)
		st2 := e.statementFor(n2)
		cn2 := e.id(e.must(e.as("s1", "POST", "/v1/statements/"+st2+"/counter-notice", map[string]any{
			"explanation": "genuine", "contact": map[string]string{"name": "S1", "email": "s1@example.com"}}), 201))
		e.clk.Advance(3 * day)
		e.must(e.as("acme", "POST", "/v1/counter-notices/"+cn2+"/legal-action", map[string]any{"case": "Landgericht Hamburg 312 O 1/26"}), 200)
		e.clk.Advance(20 * day)
		e.runDue()
		if s := e.status("l2"); s != "removed" {
			t.Fatalf("l2 is %s despite legal action", s)
		}

		// Appeal with reversal, decided by a person.
		n3 := e.fileNotice("acme", right, "l3")
		e.decide(n3, true, false)
		st3 := e.statementFor(n3)
		ap := e.id(e.must(e.as("s1", "POST", "/v1/statements/"+st3+"/appeal", map[string]any{"explanation": "the listing is my own design"}), 201))
		if l := e.items(e.must(e.as("reviewer", "GET", "/v1/appeals?status=pending", nil), 200)); len(l) != 1 {
			t.Fatalf("appeal queue: %v", l)
		}
		// An API key is not a person.
		r := e.do("POST", "/v1/appeals/"+ap+"/decision", e.reviewer, map[string]any{"uphold": true, "reason": "x"})
		if r.status != 403 {
			t.Fatalf("appeal decided by an API key: %d", r.status)
		}
		e.must(e.as("reviewer", "POST", "/v1/appeals/"+ap+"/decision", map[string]any{"uphold": true, "reason": "the design is the seller's own"}), 200)
		if s := e.status("l3"); s != "active" {
			t.Fatalf("l3 is %s after a reversal", s)
		}
		if n := e.obj(e.must(e.as("acme", "GET", "/v1/notices/"+n3, nil), 200)); n["status"] != "overturned" {
			t.Errorf("notice after reversal: %v", n)
		}
		if l := e.items(e.must(e.as("s1", "GET", "/v1/appeals", nil), 200)); len(l) != 1 || l[0]["status"] != "upheld" {
			t.Errorf("seller's appeals: %v", l)
		}

		// The notifier appeals a rejection; upheld, the notice takes effect.
		e.publish("l4", "s1")
		n4 := e.fileNotice("acme", right, "l4")
		e.decide(n4, false, false)
		if r := e.as("s1", "POST", "/v1/notices/"+n4+"/appeal", map[string]any{"explanation": "x"}); r.status != 403 {
			t.Errorf("a seller appealed a notice: %d", r.status)
		}
		nap := e.id(e.must(e.as("acme", "POST", "/v1/notices/"+n4+"/appeal", map[string]any{"explanation": "the serial numbers are forged; see the attached test purchase"}), 201))
		if r := e.as("acme", "POST", "/v1/notices/"+n4+"/appeal", map[string]any{"explanation": "again"}); r.status != 409 {
			t.Errorf("second appeal: %d", r.status)
		}
		e.must(e.as("reviewer", "POST", "/v1/appeals/"+nap+"/decision", map[string]any{"uphold": true, "reason": "the test purchase proves it"}), 200)
		if s := e.status("l4"); s != "removed" {
			t.Fatalf("l4 is %s after the notifier's appeal was upheld", s)
		}
		if n := e.obj(e.must(e.as("acme", "GET", "/v1/notices/"+n4, nil), 200)); n["status"] != "accepted" {
			t.Errorf("notice after the notifier's appeal: %v", n)
		}

		// Figures.
		fig := e.obj(e.must(e.as("reviewer", "GET", "/v1/takedown-figures?since=2026-01-01T00:00:00Z", nil), 200))
		if fig["notices"].(float64) != 4 || fig["actioned"].(float64) != 4 || fig["counter_notices_resolved"].(float64) != 2 ||
			fig["counter_notice_success_rate"].(float64) != 0.5 {
			t.Errorf("figures: %v", fig)
		}
		if bs := fig["brands"].([]any); len(bs) != 1 || bs[0].(map[string]any)["acceptance_rate"].(float64) < 0.66 {
			t.Errorf("brand figures: %v", bs)
		}
		e.must(e.as("acme", "GET", "/v1/notifiers/acme", nil), 200)

		// Rights holders maintain their brand's data for screening.
		e.must(e.as("acme", "GET", "/v1/my/brands/acme", nil), 200)
		e.must(e.as("acme", "POST", "/v1/my/brands/acme/price-floors", map[string]any{"amount": 60, "currency": "USD"}), 201)
		prod := e.obj(e.must(e.as("acme", "POST", "/v1/my/brands/acme/products",
			map[string]any{"name": "Acme Runner 2", "identifiers": []any{"AR2-100", "4006381333931"}, "min_price": 120, "currency": "USD"}), 201))
		if ps, _ := prod["products"].([]any); len(ps) != 1 {
			t.Errorf("rights holder's product: %v", prod["products"])
		}
		if r := e.as("acme", "POST", "/v1/my/brands/acme/products", map[string]any{"name": "Acme Sock", "identifiers": []any{"4006381333932"}}); r.status != 422 ||
			!strings.Contains(string(r.body), "identifiers[0]") {
			t.Errorf("rights holder's bad GTIN: %d %.200s", r.status, r.body)
		}
		if ps, _ := e.obj(e.must(e.as("acme", "GET", "/v1/my/brands/acme", nil), 200))["products"].([]any); len(ps) != 1 {
			t.Errorf("products after a rejected add: %v", ps)
		}
		e.must(e.as("acme", "PUT", "/v1/my/brands/acme/authorized-sellers/s2", nil), 200)
		e.must(e.as("acme", "DELETE", "/v1/my/brands/acme/authorized-sellers/s2", nil), 200)

		// Every state change is audited.
		es, err := e.store.ListAudit(context.Background(), "", "", store.Page{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, a := range es {
			seen[a.Action] = true
		}
		for _, a := range []string{"right_submit", "right_verified", "notice_received", "notice_accepted", "statement_issued",
			"counter_notice_filed", "counter_notice_restored", "counter_notice_legal_action", "appeal_filed", "appeal_upheld", "notice_overturned", "status_change"} {
			if !seen[a] {
				t.Errorf("no %s in the audit log", a)
			}
		}

		e.must(e.as("s1", "POST", "/v1/logout", nil), 204)
		if r := e.as("s1", "GET", "/v1/me", nil); r.status != 401 {
			t.Errorf("session still works after logout: %d", r.status)
		}
		if t.Name() == "TestTakedownFlow/sqlite" {
			e.checkCoverage()
		}
	})
}

// checkCoverage fails for a takedown route no request answered with a 2xx.
func (e *tdEnv) checkCoverage() {
	e.t.Helper()
	// Routes the flow above does not take on its happy path.
	e.must(e.as("reviewer", "GET", "/v1/statements/"+e.statementFor("1"), nil), 200)
	ok := answered2xx(e.t, e.reg)
	for _, o := range takedownOps {
		if p := o.method + " " + o.path; !ok[p] {
			e.t.Errorf("no happy-path request reached %q", p)
		}
	}
}
