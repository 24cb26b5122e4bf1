package httpapi

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store"
)

// TestTakedownTenancy proves that brand A's rights holder can never read,
// list or act on brand B's notices, evidence or rights, and that a seller
// never sees another seller's restrictions, whatever ids are guessed.
func TestTakedownTenancy(t *testing.T) {
	backends(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newTDEnv(t, open(t), notice.Config{})
		e.publish("a1", "s1")
		e.publish("a2", "s1")
		e.publish("b1", "s2")
		acmeRight := e.verifiedRight("acme")
		boltRight := e.verifiedRight("bolt")
		na := e.fileNotice("acme", acmeRight, "a1", "a2")
		e.decide(na, true, false)
		nb := e.fileNotice("bolt", boltRight, "b1")
		e.decide(nb, true, false)
		sa := e.statementFor(na)
		sb := e.statementFor(nb)
		cna := e.id(e.must(e.as("s1", "POST", "/v1/statements/"+sa+"/counter-notice", map[string]any{
			"explanation": "genuine", "contact": map[string]string{"name": "S1", "email": "s1@example.com"}}), 201))
		e.must(e.as("s1", "POST", "/v1/statements/"+sa+"/appeal", map[string]any{"explanation": "genuine"}), 201)
		before := e.auditCount()

		// Bolt's rights holder, against everything of acme's, and every id
		// it could guess.
		for id := 1; id <= 12; id++ {
			s := fmt.Sprint(id)
			for _, path := range []string{"/v1/notices/", "/v1/rights/", "/v1/counter-notices/"} {
				r := e.as("bolt", "GET", path+s, nil)
				if r.status == 200 && e.obj(r)["brand_id"] != "bolt" {
					t.Errorf("bolt read %s%s: %.200s", path, s, r.body)
				}
			}
			if r := e.as("bolt", "GET", "/v1/statements/"+s, nil); r.status != 404 {
				t.Errorf("a rights holder read statement %s: %d", s, r.status)
			}
		}
		for _, c := range []struct{ method, path string }{
			{"GET", "/v1/notices/" + na}, {"GET", "/v1/rights/" + acmeRight}, {"GET", "/v1/counter-notices/" + cna},
			{"GET", "/v1/notifiers/acme"}, {"GET", "/v1/my/brands/acme"},
		} {
			if r := e.as("bolt", c.method, c.path, nil); r.status != 404 {
				t.Errorf("bolt %s %s: %d, want 404", c.method, c.path, r.status)
			}
		}
		for _, c := range []struct {
			method, path string
			body         any
			want         int
		}{
			{"POST", "/v1/counter-notices/" + cna + "/legal-action", map[string]any{"case": "x"}, 404},
			{"PUT", "/v1/my/brands/acme/authorized-sellers/s2", nil, 404},
			{"POST", "/v1/my/brands/acme/price-floors", map[string]any{"amount": 1, "currency": "USD"}, 404},
			{"POST", "/v1/my/brands/acme/products", map[string]any{"name": "Acme Fake", "identifiers": []any{"AF-1"}}, 404},
			{"POST", "/v1/notices", noticeBody("acme", acmeRight, "a1"), 403},
			{"POST", "/v1/rights", rightBody("acme"), 403},
			{"POST", "/v1/rights/" + acmeRight + "/verification", map[string]any{"approve": true, "reason": "x"}, 403},
			{"POST", "/v1/notices/" + na + "/decision", map[string]any{"accept": false, "reason": "x"}, 403},
			{"GET", "/v1/notices?brand_id=acme", nil, 403},
			{"GET", "/v1/rights?brand_id=acme", nil, 403},
			{"GET", "/v1/counter-notices?brand_id=acme", nil, 403},
			{"GET", "/v1/statements", nil, 403},
			{"GET", "/v1/appeals", nil, 403},
			{"POST", "/v1/users", map[string]any{"email": "x@example.com", "name": "x", "role": "admin", "password": tdPassword}, 403},
		} {
			if r := e.as("bolt", c.method, c.path, c.body); r.status != c.want {
				t.Errorf("bolt %s %s: %d, want %d: %.200s", c.method, c.path, r.status, c.want, r.body)
			}
		}
		for _, path := range []string{"/v1/notices", "/v1/rights", "/v1/counter-notices"} {
			for _, it := range e.items(e.must(e.as("bolt", "GET", path, nil), 200)) {
				if it["brand_id"] != "bolt" {
					t.Errorf("bolt listed %s: %v", path, it)
				}
			}
		}
		fig := e.obj(e.must(e.as("bolt", "GET", "/v1/takedown-figures", nil), 200))
		for _, b := range fig["brands"].([]any) {
			if b.(map[string]any)["brand_id"] != "bolt" {
				t.Errorf("bolt's figures show %v", b)
			}
		}

		// Seller s2, against s1's restrictions.
		for id := 1; id <= 12; id++ {
			s := fmt.Sprint(id)
			for _, path := range []string{"/v1/statements/", "/v1/counter-notices/"} {
				r := e.as("s2", "GET", path+s, nil)
				if r.status == 200 && e.obj(r)["seller_id"] != "s2" {
					t.Errorf("s2 read %s%s", path, s)
				}
			}
			for _, path := range []string{"/v1/notices/", "/v1/rights/"} {
				if r := e.as("s2", "GET", path+s, nil); r.status != 404 {
					t.Errorf("a seller read %s%s: %d", path, s, r.status)
				}
			}
		}
		for _, c := range []struct {
			method, path string
			body         any
			want         int
		}{
			{"GET", "/v1/statements/" + sa, nil, 404},
			{"POST", "/v1/statements/" + sa + "/counter-notice", map[string]any{"explanation": "x", "contact": map[string]string{"name": "x", "email": "x@example.com"}}, 404},
			{"POST", "/v1/statements/" + sa + "/appeal", map[string]any{"explanation": "x"}, 404},
			{"GET", "/v1/statements?seller_id=s1", nil, 403},
			{"GET", "/v1/appeals?seller_id=s1", nil, 403},
			{"GET", "/v1/notices", nil, 403},
			{"GET", "/v1/takedown-figures", nil, 403},
			{"POST", "/v1/notices", noticeBody("acme", acmeRight, "a1"), 403},
		} {
			if r := e.as("s2", c.method, c.path, c.body); r.status != c.want {
				t.Errorf("s2 %s %s: %d, want %d: %.200s", c.method, c.path, r.status, c.want, r.body)
			}
		}
		for _, path := range []string{"/v1/statements", "/v1/counter-notices", "/v1/appeals"} {
			for _, it := range e.items(e.must(e.as("s2", "GET", path, nil), 200)) {
				if it["seller_id"] != "s2" {
					t.Errorf("s2 listed %s: %v", path, it)
				}
			}
		}
		// s2's own statement is readable; an integration key reads nothing.
		e.must(e.as("s2", "GET", "/v1/statements/"+sb, nil), 200)
		if r := e.do("GET", "/v1/notices", e.integ, nil); r.status != 403 {
			t.Errorf("integration key listed notices: %d", r.status)
		}
		if r := e.do("GET", "/v1/notices", "", nil); r.status != 401 {
			t.Errorf("anonymous listed notices: %d", r.status)
		}
		if after := e.auditCount(); after != before {
			t.Errorf("refused requests wrote %d audit entries", after-before)
		}
		if s := e.status("a1"); s != "removed" {
			t.Errorf("a1 is %s", s)
		}
	})
}

func (e *tdEnv) auditCount() int {
	e.t.Helper()
	es, err := e.store.ListAudit(context.Background(), "", "", store.Page{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(es)
}

// TestTakedownBadInput sends the notices and counter-notices the workflow
// must refuse: each gets a clear 4xx and changes nothing.
func TestTakedownBadInput(t *testing.T) {
	backends(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newTDEnv(t, open(t), notice.Config{})
		e.publish("l1", "s1")
		acme := e.verifiedRight("acme")
		bolt := e.verifiedRight("bolt")
		pending := e.id(e.must(e.as("acme", "POST", "/v1/rights", map[string]any{"brand_id": "acme", "mark": "ACME", "number": "EU-2",
			"office": "EUIPO", "classes": []int{18}, "owner": "Acme Inc."}), 201))
		before := e.auditCount()
		many := make([]string, 301)
		for i := range many {
			many[i] = fmt.Sprintf("x%d", i)
		}
		noGoodFaith := noticeBody("acme", acme, "l1")
		noGoodFaith["good_faith"] = false
		noContact := noticeBody("acme", acme, "l1")
		delete(noContact, "contact")
		for _, c := range []struct {
			name  string
			body  any
			want  int
			field string
		}{
			{"another brand's right", noticeBody("acme", bolt, "l1"), 422, "right_id"},
			{"unverified right", noticeBody("acme", pending, "l1"), 422, "right_id"},
			{"no such right", noticeBody("acme", "999", "l1"), 422, "right_id"},
			{"301 listings", noticeBody("acme", acme, many...), 422, "listing_ids"},
			{"no listings", noticeBody("acme", acme), 422, "listing_ids"},
			{"unknown listing", noticeBody("acme", acme, "nope"), 422, "listing_ids"},
			{"duplicate listing", noticeBody("acme", acme, "l1", "l1"), 422, "listing_ids"},
			{"missing good faith", noGoodFaith, 422, "good_faith"},
			{"missing contact", noContact, 422, "contact.name"},
			{"another brand", noticeBody("bolt", bolt, "l1"), 403, ""},
			{"not JSON", "{", 400, ""},
		} {
			r := e.as("acme", "POST", "/v1/notices", c.body)
			if r.status != c.want {
				t.Errorf("%s: %d, want %d: %.300s", c.name, r.status, c.want, r.body)
				continue
			}
			if _, field := r.errCode(t); field != c.field {
				t.Errorf("%s: field %q, want %q", c.name, field, c.field)
			}
		}
		if n := e.items(e.must(e.as("reviewer", "GET", "/v1/notices", nil), 200)); len(n) != 0 {
			t.Errorf("refused notices were stored: %v", n)
		}
		if s := e.status("l1"); s != "active" {
			t.Errorf("l1 is %s", s)
		}
		if after := e.auditCount(); after != before {
			t.Errorf("refused notices wrote %d audit entries", after-before)
		}

		// A counter-notice after the period.
		n := e.fileNotice("acme", acme, "l1")
		e.decide(n, true, false)
		st := e.statementFor(n)
		e.clk.Advance(15*day + time.Second)
		before = e.auditCount()
		r := e.as("s1", "POST", "/v1/statements/"+st+"/counter-notice", map[string]any{
			"explanation": "late", "contact": map[string]string{"name": "S1", "email": "s1@example.com"}})
		if code, _ := r.errCode(t); r.status != 409 || code != "period_over" {
			t.Errorf("late counter-notice: %d %s", r.status, r.body)
		}
		// Deciding twice, and bad decisions.
		if r := e.as("reviewer", "POST", "/v1/notices/"+n+"/decision", map[string]any{"accept": false, "reason": "x"}); r.status != 409 {
			t.Errorf("second decision: %d", r.status)
		}
		if r := e.as("reviewer", "POST", "/v1/notices/"+n+"/decision", map[string]any{"reason": "x"}); r.status != 422 {
			t.Errorf("decision without accept: %d", r.status)
		}
		if r := e.as("reviewer", "POST", "/v1/notices/abc/decision", map[string]any{"accept": true, "reason": "x"}); r.status != 404 {
			t.Errorf("decision on a bad id: %d", r.status)
		}
		if after := e.auditCount(); after != before {
			t.Errorf("refused requests wrote %d audit entries", after-before)
		}
		// An appeal after six months.
		e.clk.Advance(184 * day)
		if r := e.as("s1", "POST", "/v1/statements/"+st+"/appeal", map[string]any{"explanation": "late"}); r.status != 409 {
			t.Errorf("late appeal: %d %s", r.status, r.body)
		}
		// Logins.
		if r := e.do("POST", "/v1/login", "", map[string]string{"email": "acme@example.com", "password": "wrong password!!"}); r.status != 401 {
			t.Errorf("wrong password: %d", r.status)
		}
		if r := e.do("POST", "/v1/login", "", map[string]string{"email": "nobody@example.com", "password": tdPassword}); r.status != 401 {
			t.Errorf("unknown email: %d", r.status)
		}
		if r := e.do("POST", "/v1/users", e.admin, map[string]any{"email": "short@example.com", "name": "x", "role": "admin", "password": "short"}); r.status != 422 {
			t.Errorf("short password: %d", r.status)
		}
		if r := e.do("POST", "/v1/users", e.admin, map[string]any{"email": "acme@example.com", "name": "x", "role": "admin", "password": tdPassword}); r.status != 409 {
			t.Errorf("duplicate email: %d", r.status)
		}
	})
}

// TestFastLaneAndMisuse: a notifier gains the fast lane after accurate
// notices, removes listings at once, loses the lane when counter-notices
// against it succeed; a notifier filing manifestly unfounded notices is
// warned, then suspended, then allowed back.
func TestFastLaneAndMisuse(t *testing.T) {
	backends(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		e := newTDEnv(t, open(t), notice.Config{FastLaneMinDecided: 3})
		acme := e.verifiedRight("acme")
		for i := range 5 {
			e.publish(fmt.Sprintf("l%d", i), "s1")
		}
		for i := range 3 {
			e.decide(e.fileNotice("acme", acme, fmt.Sprintf("l%d", i)), true, false)
		}
		st := e.obj(e.must(e.as("acme", "GET", "/v1/notifiers/acme", nil), 200))
		if st["fast_lane"] != true {
			t.Fatalf("no fast lane after 3 of 3 accepted: %v", st)
		}
		// In the lane: removed at once, by automated means, and said so.
		n := e.obj(e.must(e.as("acme", "POST", "/v1/notices", noticeBody("acme", acme, "l3")), 201))
		if n["status"] != "accepted" || n["automated"] != true {
			t.Fatalf("fast-lane notice: %v", n)
		}
		if s := e.status("l3"); s != "removed" {
			t.Fatalf("l3 is %s", s)
		}
		stmt := e.obj(e.must(e.as("s1", "GET", "/v1/statements/"+fmt.Sprint(int64(n["statement_ids"].([]any)[0].(float64))), nil), 200))
		if stmt["automated_decision"] != true || !strings.Contains(stmt["facts"].(string), "automated") {
			t.Errorf("statement does not say the decision was automated: %v", stmt)
		}
		// A successful counter-notice (1 of 1 > 5%) loses the lane.
		e.must(e.as("s1", "POST", fmt.Sprintf("/v1/statements/%d/counter-notice", int64(stmt["id"].(float64))), map[string]any{
			"explanation": "genuine", "contact": map[string]string{"name": "S1", "email": "s1@example.com"}}), 201)
		e.clk.Advance(16 * day)
		e.runDue()
		if st := e.obj(e.must(e.as("acme", "GET", "/v1/notifiers/acme", nil), 200)); st["fast_lane"] != false {
			t.Fatalf("fast lane kept after counter-notices succeeded: %v", st)
		}
		n2 := e.obj(e.must(e.as("acme", "POST", "/v1/notices", noticeBody("acme", acme, "l4")), 201))
		if n2["status"] != "received" {
			t.Errorf("notice after losing the lane: %v", n2)
		}

		// Misuse: warned, then suspended, then back after the period.
		bolt := e.verifiedRight("bolt")
		e.publish("m1", "s2")
		e.decide(e.fileNotice("bolt", bolt, "m1"), false, true)
		if st := e.obj(e.must(e.as("bolt", "GET", "/v1/notifiers/bolt", nil), 200)); st["warnings"].(float64) != 1 || st["suspended_until"] != nil {
			t.Fatalf("after one unfounded notice: %v", st)
		}
		e.decide(e.fileNotice("bolt", bolt, "m1"), false, true)
		r := e.as("bolt", "POST", "/v1/notices", noticeBody("bolt", bolt, "m1"))
		if code, _ := r.errCode(t); r.status != 403 || code != "notifier_suspended" {
			t.Fatalf("suspended notifier filed: %d %s", r.status, r.body)
		}
		e.clk.Advance(31 * day)
		e.must(e.as("bolt", "POST", "/v1/notices", noticeBody("bolt", bolt, "m1")), 201)
	})
}

// TestTimersSurviveRestart: a counter-notice filed before a restart is
// restored by the scheduler of the next process.
func TestTimersSurviveRestart(t *testing.T) {
	backends(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		st := open(t)
		e := newTDEnv(t, st, notice.Config{})
		e.publish("l1", "s1")
		n := e.fileNotice("acme", e.verifiedRight("acme"), "l1")
		e.decide(n, true, false)
		e.must(e.as("s1", "POST", "/v1/statements/"+e.statementFor(n)+"/counter-notice", map[string]any{
			"explanation": "genuine", "contact": map[string]string{"name": "S1", "email": "s1@example.com"}}), 201)
		// A new process: nothing in memory survives but the database.
		later := e.clk.Now().Add(15*day + time.Hour)
		svc := notice.New(st, notice.Config{Clock: func() time.Time { return later }})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { svc.Run(ctx, time.Millisecond, func(err error) { t.Error(err) }); close(done) }()
		deadline := time.Now().Add(10 * time.Second)
		for e.status("l1") != "active" {
			if time.Now().After(deadline) {
				t.Fatal("the restarted scheduler did not restore the listing")
			}
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		<-done
	})
}

// TestSessionExpiry: a session stops working after its TTL.
func TestSessionExpiry(t *testing.T) {
	e := newTDEnv(t, openTestStore(t), notice.Config{SessionTTL: time.Hour})
	e.must(e.as("s1", "GET", "/v1/me", nil), 200)
	e.clk.Advance(time.Hour)
	if r := e.as("s1", "GET", "/v1/me", nil); r.status != 401 {
		t.Errorf("expired session: %d", r.status)
	}
}
