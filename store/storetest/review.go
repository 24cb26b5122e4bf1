package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store"
)

// reviewStore is a Store with the console's queries, which every store
// run through this suite must have.
type reviewStore interface {
	store.Store
	store.Review
}

func asReview(t *testing.T, st store.Store) reviewStore {
	t.Helper()
	s, ok := st.(reviewStore)
	if !ok {
		t.Fatalf("%T does not implement store.Review", st)
	}
	return s
}

func testReviewQueue(t *testing.T, st store.Store) {
	s := asReview(t, st)
	seller(t, s, "s1")
	seller(t, s, "s2")
	// q1..q4 held at various scores; a1 allowed (not in the queue); q5 was
	// held and then screened again as allowed, so it leaves the queue.
	add := func(id, sellerID, category, brand string, a hallmark.Action, score float64, at time.Time, det string) {
		t.Helper()
		l := listing(id, sellerID)
		l.Category = category
		d := decision(a, at)
		d.Score, d.BrandID = score, brand
		d.Signals = []hallmark.Signal{{Detector: det, Kind: "x"}}
		screen(t, s, l, d)
	}
	add("q1", "s1", "shoes", "acme", hallmark.Review, 0.5, t0, hallmark.DetectorBrand)
	add("q2", "s2", "bags", "acme", hallmark.Review, 0.9, t0.Add(time.Minute), "image_match")
	add("q3", "s1", "bags", "zeta", hallmark.Review, 0.5, t0.Add(-time.Minute), hallmark.DetectorBrand)
	add("q4", "s2", "shoes", "zeta", hallmark.Review, 0.7, t0.Add(2*time.Minute), "imagexmatch")
	add("a1", "s1", "shoes", "acme", hallmark.Allow, 0.99, t0, hallmark.DetectorBrand)
	add("q5", "s1", "shoes", "acme", hallmark.Review, 0.95, t0, hallmark.DetectorBrand)
	add("q5", "s1", "shoes", "acme", hallmark.Allow, 0.1, t0.Add(time.Hour), hallmark.DetectorBrand)
	// An older decision arriving late does not replace the latest.
	add("q4", "s2", "shoes", "zeta", hallmark.Review, 0.1, t0.Add(-time.Hour), hallmark.DetectorBrand)

	ids := func(f store.ReviewFilter) ([]string, int) {
		t.Helper()
		cs, n, err := s.ReviewQueue(ctx(t), f)
		if err != nil {
			t.Fatalf("ReviewQueue(%+v): %v", f, err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Listing.ID)
		}
		return out, n
	}
	check := func(f store.ReviewFilter, want []string, total int) {
		t.Helper()
		got, n := ids(f)
		same(t, fmt.Sprintf("queue %+v", f), got, want)
		same(t, fmt.Sprintf("total %+v", f), n, total)
	}
	// q4's stored status is held by its late decision too; its latest is 0.7.
	check(store.ReviewFilter{}, []string{"q2", "q4", "q3", "q1"}, 4)
	check(store.ReviewFilter{Limit: 2, Offset: 1}, []string{"q4", "q3"}, 4)
	check(store.ReviewFilter{BrandID: "acme"}, []string{"q2", "q1"}, 2)
	check(store.ReviewFilter{Category: "bags"}, []string{"q2", "q3"}, 2)
	check(store.ReviewFilter{SellerID: "s2"}, []string{"q2", "q4"}, 2)
	// "_" in a detector name is not a wildcard.
	check(store.ReviewFilter{Detector: "image_match"}, []string{"q2"}, 1)
	check(store.ReviewFilter{Detector: hallmark.DetectorBrand, BrandID: "zeta"}, []string{"q3"}, 1)
	check(store.ReviewFilter{Detector: "nothing"}, nil, 0)

	cs, _, err := s.ReviewQueue(ctx(t), store.ReviewFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := cs[0]
	same(t, "summary", []any{c.Action, c.Score, c.BrandID, c.DecidedAt, c.Listing.Category, c.Claim == nil},
		[]any{hallmark.Review, 0.9, "acme", t0.Add(time.Minute), "bags", true})
	d, err := s.LatestDecision(ctx(t), "q2")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "decision id", c.DecisionID, d.ID)

	// A status change takes a listing out of the queue.
	if err := s.SetListingStatus(ctx(t), "q2", hallmark.StatusRemoved, "rev", "counterfeit"); err != nil {
		t.Fatal(err)
	}
	check(store.ReviewFilter{}, []string{"q4", "q3", "q1"}, 3)
}

func testClaims(t *testing.T, st store.Store) {
	s := asReview(t, st)
	seller(t, s, "s1")
	screen(t, s, listing("c1", "s1"), decision(hallmark.Review, t0))
	now := t0.Add(time.Hour)
	ttl := 15 * time.Minute

	if _, err := s.GetClaim(ctx(t), "c1", now); !errors.Is(err, hallmark.ErrNotFound) {
		t.Fatalf("GetClaim before any claim: %v", err)
	}
	c, err := s.ClaimCase(ctx(t), "c1", "alice", "Alice", now, ttl)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "claim", *c, store.Claim{ListingID: "c1", Reviewer: "alice", Name: "Alice", ClaimedAt: now, ExpiresAt: now.Add(ttl)})
	got, err := s.GetClaim(ctx(t), "c1", now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "get claim", *got, *c)

	// Bob is refused and told who holds it.
	held, err := s.ClaimCase(ctx(t), "c1", "bob", "Bob", now.Add(time.Minute), ttl)
	wantErr(t, "claim held by another", err, hallmark.ErrConflict)
	if held == nil || held.Reviewer != "alice" {
		t.Fatalf("conflicting claim: got %+v", held)
	}
	// The queue shows the live claim.
	cs, _, err := s.ReviewQueue(ctx(t), store.ReviewFilter{Now: now.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Claim == nil || cs[0].Claim.Reviewer != "alice" || cs[0].Claim.Name != "Alice" {
		t.Fatalf("queue claim: %+v", cs)
	}
	// Alice extends her own claim.
	if _, err := s.ClaimCase(ctx(t), "c1", "alice", "Alice", now.Add(10*time.Minute), ttl); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimCase(ctx(t), "c1", "bob", "Bob", now.Add(20*time.Minute), ttl); !errors.Is(err, hallmark.ErrConflict) {
		t.Fatalf("claim before the extended expiry: %v", err)
	}
	// Expired: no claim, and bob may take it.
	late := now.Add(25 * time.Minute)
	if _, err := s.GetClaim(ctx(t), "c1", late); !errors.Is(err, hallmark.ErrNotFound) {
		t.Fatalf("GetClaim after expiry: %v", err)
	}
	cs, _, err = s.ReviewQueue(ctx(t), store.ReviewFilter{Now: late})
	if err != nil {
		t.Fatal(err)
	}
	if cs[0].Claim != nil {
		t.Fatalf("expired claim shown: %+v", cs[0].Claim)
	}
	if _, err := s.ClaimCase(ctx(t), "c1", "bob", "Bob", late, ttl); err != nil {
		t.Fatalf("claim after expiry: %v", err)
	}
	// Releasing someone else's claim does nothing; one's own drops it.
	if err := s.ReleaseClaim(ctx(t), "c1", "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetClaim(ctx(t), "c1", late); err != nil {
		t.Fatalf("claim after another's release: %v", err)
	}
	if err := s.ReleaseClaim(ctx(t), "c1", "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetClaim(ctx(t), "c1", late); !errors.Is(err, hallmark.ErrNotFound) {
		t.Fatalf("claim after release: %v", err)
	}
	_, err = s.ClaimCase(ctx(t), "nope", "bob", "Bob", late, ttl)
	wantErr(t, "claim unknown listing", err, hallmark.ErrNotFound)
	same(t, "claim audit", actions(audit(t, s, "listing", "c1")), []string{"decision", "claim", "claim", "claim"})
}

func testListUsers(t *testing.T, st store.Store) {
	s, ok := st.(store.Users)
	if !ok {
		t.Fatalf("%T does not implement store.Users", st)
	}
	if us, err := s.ListUsers(ctx(t)); err != nil || len(us) != 0 {
		t.Fatalf("ListUsers on an empty store: %v, %v", us, err)
	}
	a := &account.User{Email: "a@example.com", Name: "A", Role: account.RightsHolder, BrandIDs: []string{"acme"}, PasswordHash: "$argon2id$x", CreatedAt: t0}
	b := &account.User{Email: "b@example.com", Name: "B", Role: account.Seller, SellerID: "s1", PasswordHash: "$argon2id$y", CreatedAt: t0}
	for _, u := range []*account.User{a, b} {
		update(t, st, func(tx notice.Tx) error { return tx.CreateUser(ctx(t), u) })
	}
	us, err := s.ListUsers(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	a.PasswordHash, b.PasswordHash = "", ""
	same(t, "users", us, []account.User{*a, *b})
}
