// Package storetest is the test suite every store.Store implementation must
// pass. The SQLite and PostgreSQL packages run the same Run, so the two
// databases cannot drift apart in behaviour: ordering, error kinds,
// transactions and the audit log's immutability included.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

// RawExecer runs SQL on the database behind a store, bypassing it. Stores
// implement it in test builds only (an export_test.go), so the suite can
// prove that the database itself refuses to change the audit log. Queries
// use $1-style parameters, which both SQLite and PostgreSQL accept.
type RawExecer interface {
	ExecRaw(ctx context.Context, query string, args ...any) error
}

// Run runs the suite. open must return a new, empty, migrated store for each
// call and arrange (with t.Cleanup) for it to be closed and removed.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Ping", testPing},
		{"BrandRoundTrip", testBrandRoundTrip},
		{"BrandReplacedWhole", testBrandReplacedWhole},
		{"BrandFailedPutChangesNothing", testBrandFailedPut},
		{"BrandInvalid", testBrandInvalid},
		{"BrandDelete", testBrandDelete},
		{"ListBrands", testListBrands},
		{"Sellers", testSellers},
		{"SellerPagination", testSellerPagination},
		{"SellerHistory", testSellerHistory},
		{"SaveScreening", testSaveScreening},
		{"SaveScreeningUnknownSellerWritesNothing", testSaveScreeningUnknownSeller},
		{"SaveScreeningFailedAuditWritesNothing", testSaveScreeningFailedAudit},
		{"SaveScreeningOtherSellersListing", testSaveScreeningOtherSeller},
		{"SaveScreeningInvalid", testSaveScreeningInvalid},
		{"ListDecisions", testListDecisions},
		{"ListListings", testListListings},
		{"SetListingStatus", testSetListingStatus},
		{"Audit", testAudit},
		{"AuditImmutable", testAuditImmutable},
		{"APIKeys", testAPIKeys},
		{"Uploads", testUploads},
		{"NotFound", testNotFound},
		{"ConcurrentScreenings", testConcurrentScreenings},
		{"ReviewQueue", testReviewQueue},
		{"Claims", testClaims},
		{"ListUsers", testListUsers},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// t0 has microseconds, the precision both databases keep, and is not in the
// local zone, so a store that loses either shows up.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC)

const pdq = "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f"

func ctx(t *testing.T) context.Context { return t.Context() }

// brand returns a fully populated brand whose child values are derived from
// id, so that two brands never collide on the unique columns.
func brand(id string) *hallmark.Brand {
	return &hallmark.Brand{
		ID: id, Name: "Brand " + id, Category: "shoes",
		Marks: []hallmark.Mark{
			{Text: id, Kind: hallmark.MarkWord},
			{Text: id + " runner", Kind: hallmark.MarkProductLine, Ordinary: true},
		},
		Trademarks: []hallmark.Trademark{
			{Mark: id, Number: "TM-" + id, Office: "USPTO", Classes: []int{18, 25}},
			{Mark: id, Number: "EU-" + id, Office: "EUIPO", Classes: []int{25}},
		},
		PriceFloors: []hallmark.PriceFloor{
			{Amount: 50, Currency: "USD"},
			{Category: "bags", Amount: 300.25, Currency: "EUR"},
		},
		// Deliberately not sorted: the store keeps the order it was given.
		AuthorizedSellers: []string{"seller-z-" + id, "seller-a-" + id},
		Images: []hallmark.BrandImage{{ID: id + "-logo", Label: "logo", PDQ: pdq, Quality: 90,
			Variants: []hallmark.ImageHash{{Name: "crop-left-10", PDQ: pdq, Quality: 88}, {Name: "lightness", PDQ: pdq, Quality: 91}}}},
		// One product with everything, one with nothing optional: the
		// store keeps their order and an absent identifier list absent.
		Products: []hallmark.Product{
			{Name: id + " Runner 2", Identifiers: []string{"4006381333931", id + "-R2", "RN 2/B"}, Category: "shoes", MinPrice: 89.5, Currency: "EUR"},
			{Name: id + " Sock"},
		},
		CreatedAt: t0,
	}
}

func seller(t *testing.T, s store.Store, id string) *hallmark.Seller {
	t.Helper()
	sl := &hallmark.Seller{ID: id, Name: "Seller " + id, Country: "DE", CreatedAt: t0}
	if err := s.PutSeller(ctx(t), sl, "test"); err != nil {
		t.Fatalf("PutSeller(%s): %v", id, err)
	}
	return sl
}

func listing(id, sellerID string) *hallmark.Listing {
	return &hallmark.Listing{
		ID: id, SellerID: sellerID, Title: "Listing " + id, Description: "a description",
		Price: 19.99, Currency: "USD", Category: "shoes", Images: []string{"https://img.example/" + id + ".jpg"},
	}
}

func decision(a hallmark.Action, at time.Time) *hallmark.Decision {
	return &hallmark.Decision{
		Action: a, Score: 0.75, BrandID: "acme",
		Reasons: []hallmark.Reason{{
			Rule: "brand_and_replica", Action: a, Weight: 0.75, Message: "brand mark with replica cue", BrandID: "acme",
			Signals: []hallmark.Signal{{Detector: hallmark.DetectorBrand, Kind: "exact", BrandID: "acme", Mark: "Acme",
				Span: &hallmark.Span{Field: "title", Start: 0, End: 4}, Original: "Acme", Normalized: "acme"}},
		}},
		Signals: []hallmark.Signal{
			{Detector: hallmark.DetectorBrand, Kind: "exact", BrandID: "acme", Mark: "Acme", Span: &hallmark.Span{Field: "title", End: 4}},
			{Detector: hallmark.DetectorPrice, Kind: "below_floor", Value: 0.2, Detail: "20% of floor"},
		},
		PolicyVersion: "v1", DecidedAt: at,
	}
}

func screen(t *testing.T, s store.Store, l *hallmark.Listing, d *hallmark.Decision) {
	t.Helper()
	if err := s.SaveScreening(ctx(t), l, d, "system"); err != nil {
		t.Fatalf("SaveScreening(%s): %v", l.ID, err)
	}
}

// same fails the test if got and want differ, showing both as JSON.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("%s:\n got %s\nwant %s", what, g, w)
	}
}

func wantErr(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("%s: error %v, want one wrapping %v", what, err, kind)
	}
}

func mustVersion(t *testing.T, s store.Store) int64 {
	t.Helper()
	v, err := s.RegistryVersion(ctx(t))
	if err != nil {
		t.Fatalf("RegistryVersion: %v", err)
	}
	return v
}

func audit(t *testing.T, s store.Store, typ, id string) []hallmark.AuditEntry {
	t.Helper()
	es, err := s.ListAudit(ctx(t), typ, id, store.Page{Limit: 1000})
	if err != nil {
		t.Fatalf("ListAudit(%s, %s): %v", typ, id, err)
	}
	return es
}

func actions(es []hallmark.AuditEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

func testPing(t *testing.T, s store.Store) {
	if err := s.Ping(ctx(t)); err != nil {
		t.Fatal(err)
	}
}

func testBrandRoundTrip(t *testing.T, s store.Store) {
	b := brand("acme")
	if err := s.PutBrand(ctx(t), b, "admin"); err != nil {
		t.Fatal(err)
	}
	for i, m := range b.Marks {
		if m.ID == 0 || m.BrandID != "acme" {
			t.Fatalf("mark %d not given id and brand id: %+v", i, m)
		}
	}
	got, err := s.GetBrand(ctx(t), "acme")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "GetBrand", got, b)
	if !got.CreatedAt.Equal(t0) || got.CreatedAt.Location() != time.UTC {
		t.Fatalf("CreatedAt = %v, want %v in UTC", got.CreatedAt, t0)
	}
	es := audit(t, s, "brand", "acme")
	same(t, "audit actions", actions(es), []string{"brand_create"})
	if es[0].Actor != "admin" || !json.Valid([]byte(es[0].Detail)) {
		t.Fatalf("audit entry %+v", es[0])
	}
}

func testBrandReplacedWhole(t *testing.T, s store.Store) {
	b := brand("acme")
	if err := s.PutBrand(ctx(t), b, "admin"); err != nil {
		t.Fatal(err)
	}
	v1 := mustVersion(t, s)

	// The second version drops trademarks, floors and images entirely and
	// changes the rest: nothing of the first may survive.
	b2 := &hallmark.Brand{
		ID: "acme", Name: "Acme Corp",
		Marks:             []hallmark.Mark{{Text: "ACM", Kind: hallmark.MarkAbbreviation}},
		AuthorizedSellers: []string{"only-seller"},
		CreatedAt:         t0.Add(time.Hour), // ignored: the brand already exists
	}
	if err := s.PutBrand(ctx(t), b2, "admin"); err != nil {
		t.Fatal(err)
	}
	if v2 := mustVersion(t, s); v2 <= v1 {
		t.Fatalf("registry version %d after update, was %d", v2, v1)
	}
	got, err := s.GetBrand(ctx(t), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(t0) {
		t.Fatalf("CreatedAt changed on update: %v", got.CreatedAt)
	}
	same(t, "replaced brand", got, b2)
	same(t, "audit", actions(audit(t, s, "brand", "acme")), []string{"brand_create", "brand_update"})
}

// testBrandFailedPut makes PutBrand fail after it has already replaced part
// of a brand, and checks that nothing of the failed version is visible.
func testBrandFailedPut(t *testing.T, s store.Store) {
	if err := s.PutBrand(ctx(t), brand("other"), "admin"); err != nil {
		t.Fatal(err)
	}
	old := brand("acme")
	if err := s.PutBrand(ctx(t), old, "admin"); err != nil {
		t.Fatal(err)
	}
	v := mustVersion(t, s)

	for _, tc := range []struct {
		name   string
		change func(b *hallmark.Brand)
		actor  string
		kind   error
	}{
		// Image ids are global; the marks are already replaced when the
		// image insert fails.
		{"image of another brand", func(b *hallmark.Brand) { b.Images[0].ID = "other-logo" }, "admin", hallmark.ErrConflict},
		{"duplicate mark", func(b *hallmark.Brand) { b.Marks = append(b.Marks, b.Marks[0]) }, "admin", hallmark.ErrConflict},
		{"duplicate authorized seller", func(b *hallmark.Brand) { b.AuthorizedSellers = []string{"x", "x"} }, "admin", hallmark.ErrConflict},
		// Products are written after everything else but the audit entry.
		{"products, then no actor", func(b *hallmark.Brand) { b.Products = b.Products[:1] }, "", hallmark.ErrInvalid},
		// The audit entry is written last: without an actor it fails after
		// everything else has been written.
		{"no actor", func(*hallmark.Brand) {}, "", hallmark.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := brand("acme")
			b.Name = "Changed"
			b.Marks[0].Text = "changed"
			tc.change(b)
			wantErr(t, "PutBrand", s.PutBrand(ctx(t), b, tc.actor), tc.kind)
			got, err := s.GetBrand(ctx(t), "acme")
			if err != nil {
				t.Fatal(err)
			}
			same(t, "brand after failed put", got, old)
			if nv := mustVersion(t, s); nv != v {
				t.Fatalf("registry version moved from %d to %d on a failed put", v, nv)
			}
			same(t, "audit", actions(audit(t, s, "brand", "acme")), []string{"brand_create"})
		})
	}

	// A brand that did not exist stays absent.
	b := brand("new")
	b.Images[0].ID = "other-logo"
	wantErr(t, "PutBrand new", s.PutBrand(ctx(t), b, "admin"), hallmark.ErrConflict)
	_, err := s.GetBrand(ctx(t), "new")
	wantErr(t, "GetBrand after failed create", err, hallmark.ErrNotFound)
}

func testBrandInvalid(t *testing.T, s store.Store) {
	for _, tc := range []struct {
		name   string
		change func(b *hallmark.Brand)
	}{
		{"no id", func(b *hallmark.Brand) { b.ID = "" }},
		{"no name", func(b *hallmark.Brand) { b.Name = " " }},
		{"NUL in name", func(b *hallmark.Brand) { b.Name = "a\x00b" }},
		{"long id", func(b *hallmark.Brand) { b.ID = strings.Repeat("x", hallmark.MaxIDLen+1) }},
		{"mark kind", func(b *hallmark.Brand) { b.Marks[0].Kind = "logo" }},
		{"empty mark", func(b *hallmark.Brand) { b.Marks[0].Text = "" }},
		{"trademark number", func(b *hallmark.Brand) { b.Trademarks[0].Number = "" }},
		{"floor currency", func(b *hallmark.Brand) { b.PriceFloors[0].Currency = "XXX" }},
		{"floor amount", func(b *hallmark.Brand) { b.PriceFloors[0].Amount = math.NaN() }},
		{"negative floor", func(b *hallmark.Brand) { b.PriceFloors[0].Amount = -1 }},
		{"empty seller", func(b *hallmark.Brand) { b.AuthorizedSellers = []string{""} }},
		{"pdq length", func(b *hallmark.Brand) { b.Images[0].PDQ = "abc" }},
		{"pdq digits", func(b *hallmark.Brand) { b.Images[0].PDQ = strings.Repeat("g", 64) }},
		{"quality", func(b *hallmark.Brand) { b.Images[0].Quality = 101 }},
		{"product name", func(b *hallmark.Brand) { b.Products[1].Name = "" }},
		{"product GTIN check digit", func(b *hallmark.Brand) { b.Products[0].Identifiers[0] = "4006381333932" }},
		{"product currency", func(b *hallmark.Brand) { b.Products[0].Currency = "XXX" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := brand("acme")
			tc.change(b)
			wantErr(t, "PutBrand", s.PutBrand(ctx(t), b, "admin"), hallmark.ErrInvalid)
		})
	}
	wantErr(t, "PutBrand(nil)", s.PutBrand(ctx(t), nil, "admin"), hallmark.ErrInvalid)
	if v := mustVersion(t, s); v != 0 {
		t.Fatalf("registry version %d after only invalid puts", v)
	}
}

func testBrandDelete(t *testing.T, s store.Store) {
	if err := s.PutBrand(ctx(t), brand("acme"), "admin"); err != nil {
		t.Fatal(err)
	}
	v := mustVersion(t, s)
	if err := s.DeleteBrand(ctx(t), "acme", "admin"); err != nil {
		t.Fatal(err)
	}
	if nv := mustVersion(t, s); nv <= v {
		t.Fatalf("registry version %d after delete, was %d", nv, v)
	}
	_, err := s.GetBrand(ctx(t), "acme")
	wantErr(t, "GetBrand after delete", err, hallmark.ErrNotFound)
	wantErr(t, "second DeleteBrand", s.DeleteBrand(ctx(t), "acme", "admin"), hallmark.ErrNotFound)
	same(t, "audit", actions(audit(t, s, "brand", "acme")), []string{"brand_create", "brand_delete"})

	// What the brand owned went with it: its image id is free again.
	b := brand("other")
	b.Images[0].ID = "acme-logo"
	if err := s.PutBrand(ctx(t), b, "admin"); err != nil {
		t.Fatalf("image id still taken after delete: %v", err)
	}
	bs, err := s.ListBrands(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "brands after delete", bs, []hallmark.Brand{*b})
}

func testListBrands(t *testing.T, s store.Store) {
	bs, err := s.ListBrands(ctx(t))
	if err != nil || len(bs) != 0 {
		t.Fatalf("ListBrands on empty store = %v, %v", bs, err)
	}
	var want []hallmark.Brand
	for _, id := range []string{"charlie", "alpha", "bravo"} {
		b := brand(id)
		if id == "bravo" {
			// A brand with nothing attached reads back with nothing attached.
			b = &hallmark.Brand{ID: id, Name: "Bravo"}
		}
		if err := s.PutBrand(ctx(t), b, "admin"); err != nil {
			t.Fatal(err)
		}
		want = append(want, *b)
	}
	want[0], want[1], want[2] = want[1], want[2], want[0] // by id
	got, err := s.ListBrands(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "ListBrands", got, want)
	if v := mustVersion(t, s); v != 3 {
		t.Fatalf("registry version %d after 3 puts, want 3", v)
	}
}

func testSellers(t *testing.T, s store.Store) {
	sl := seller(t, s, "s1")
	got, err := s.GetSeller(ctx(t), "s1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "GetSeller", got, sl)

	up := &hallmark.Seller{ID: "s1", Name: "Renamed", Country: "FR"} // no CreatedAt
	if err := s.PutSeller(ctx(t), up, "admin"); err != nil {
		t.Fatal(err)
	}
	if !up.CreatedAt.Equal(t0) {
		t.Fatalf("update reset CreatedAt to %v", up.CreatedAt)
	}
	got, err = s.GetSeller(ctx(t), "s1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "updated seller", got, up)
	same(t, "audit", actions(audit(t, s, "seller", "s1")), []string{"seller_create", "seller_update"})

	fresh := &hallmark.Seller{ID: "s2", Name: "New"}
	if err := s.PutSeller(ctx(t), fresh, "admin"); err != nil {
		t.Fatal(err)
	}
	if time.Since(fresh.CreatedAt) > time.Minute || fresh.CreatedAt.Location() != time.UTC {
		t.Fatalf("CreatedAt defaulted to %v, want about now in UTC", fresh.CreatedAt)
	}

	for _, bad := range []*hallmark.Seller{nil, {Name: "no id"}, {ID: "x"}, {ID: "x", Name: "bad\xff"}} {
		wantErr(t, fmt.Sprintf("PutSeller(%+v)", bad), s.PutSeller(ctx(t), bad, "admin"), hallmark.ErrInvalid)
	}
}

func testSellerPagination(t *testing.T, s store.Store) {
	var want []string
	for _, id := range []string{"s5", "s1", "s7", "s3", "s2", "s6", "s4"} {
		seller(t, s, id)
	}
	want = []string{"s1", "s2", "s3", "s4", "s5", "s6", "s7"}
	var got []string
	page := store.Page{Limit: 3}
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("pagination does not end")
		}
		ss, err := s.ListSellers(ctx(t), page)
		if err != nil {
			t.Fatal(err)
		}
		for _, sl := range ss {
			got = append(got, sl.ID)
		}
		if len(ss) < page.Limit {
			break
		}
		page.After = store.SellerCursor(ss[len(ss)-1])
	}
	same(t, "paged sellers", got, want)

	all, err := s.ListSellers(ctx(t), store.Page{})
	if err != nil || len(all) != 7 {
		t.Fatalf("ListSellers default page: %d sellers, %v", len(all), err)
	}
}

func testSellerHistory(t *testing.T, s store.Store) {
	seller(t, s, "s1")
	seller(t, s, "s2")
	b := brand("acme")
	b.AuthorizedSellers = []string{"s1", "ghost"}
	if err := s.PutBrand(ctx(t), b, "admin"); err != nil {
		t.Fatal(err)
	}
	z := brand("zeta")
	z.AuthorizedSellers = []string{"s1"}
	if err := s.PutBrand(ctx(t), z, "admin"); err != nil {
		t.Fatal(err)
	}
	screen(t, s, listing("l1", "s1"), decision(hallmark.Allow, time.Time{}))
	screen(t, s, listing("l2", "s1"), decision(hallmark.Review, time.Time{}))
	screen(t, s, listing("l3", "s1"), decision(hallmark.Block, time.Time{}))
	screen(t, s, listing("l3", "s1"), decision(hallmark.Block, time.Time{})) // resubmitted, blocked again
	screen(t, s, listing("l4", "s2"), decision(hallmark.Block, time.Time{})) // someone else's

	now := t0.Add(10 * 24 * time.Hour)
	h, err := s.SellerHistory(ctx(t), "s1", now)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "history", h, hallmark.SellerHistory{
		Known: true, AgeDays: 10, Listings: 3, Blocks: 2, Reviews: 1, Removed: 1, Authorized: []string{"acme", "zeta"},
	})

	h, err = s.SellerHistory(ctx(t), "ghost", now)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "unknown seller history", h, hallmark.SellerHistory{Authorized: []string{"acme"}})

	// Removed counts listings whose current status is removed, whoever
	// changed it; decisions count every time, rescreenings included, and a
	// listing is counted once however often it is screened.
	steps := []struct {
		name string
		do   func() error
		want hallmark.SellerHistory
	}{
		{"reviewer restores the blocked listing", func() error {
			return s.SetListingStatus(ctx(t), "l3", hallmark.StatusActive, "user:1", "genuine")
		}, hallmark.SellerHistory{Listings: 3, Blocks: 2, Reviews: 1, Removed: 0}},
		{"status set to what it is", func() error {
			return s.SetListingStatus(ctx(t), "l3", hallmark.StatusActive, "user:1", "still genuine")
		}, hallmark.SellerHistory{Listings: 3, Blocks: 2, Reviews: 1, Removed: 0}},
		{"reviewer removes a held listing", func() error {
			return s.SetListingStatus(ctx(t), "l2", hallmark.StatusRemoved, "user:1", "fake")
		}, hallmark.SellerHistory{Listings: 3, Blocks: 2, Reviews: 1, Removed: 1}},
		{"removed twice", func() error {
			return s.SetListingStatus(ctx(t), "l2", hallmark.StatusRemoved, "user:1", "fake indeed")
		}, hallmark.SellerHistory{Listings: 3, Blocks: 2, Reviews: 1, Removed: 1}},
		{"rescreened and allowed", func() error {
			return s.SaveScreening(ctx(t), listing("l2", "s1"), decision(hallmark.Allow, time.Time{}), "system")
		}, hallmark.SellerHistory{Listings: 3, Blocks: 2, Reviews: 1, Removed: 0}},
		{"rescreened and blocked", func() error {
			return s.SaveScreening(ctx(t), listing("l1", "s1"), decision(hallmark.Block, time.Time{}), "system")
		}, hallmark.SellerHistory{Listings: 3, Blocks: 3, Reviews: 1, Removed: 1}},
		{"blocked again", func() error {
			return s.SaveScreening(ctx(t), listing("l1", "s1"), decision(hallmark.Block, time.Time{}), "system")
		}, hallmark.SellerHistory{Listings: 3, Blocks: 4, Reviews: 1, Removed: 1}},
		{"new listing held", func() error {
			return s.SaveScreening(ctx(t), listing("l5", "s1"), decision(hallmark.Review, time.Time{}), "system")
		}, hallmark.SellerHistory{Listings: 4, Blocks: 4, Reviews: 2, Removed: 1}},
		{"failed screening counts nothing", func() error {
			err := s.SaveScreening(ctx(t), listing("l6", "s1"), decision(hallmark.Block, time.Time{}), "")
			if !errors.Is(err, hallmark.ErrInvalid) {
				return fmt.Errorf("SaveScreening without actor: %v, want ErrInvalid", err)
			}
			return nil
		}, hallmark.SellerHistory{Listings: 4, Blocks: 4, Reviews: 2, Removed: 1}},
		{"failed status change counts nothing", func() error {
			err := s.SetListingStatus(ctx(t), "l5", hallmark.StatusRemoved, "", "x")
			if !errors.Is(err, hallmark.ErrInvalid) {
				return fmt.Errorf("SetListingStatus without actor: %v, want ErrInvalid", err)
			}
			return nil
		}, hallmark.SellerHistory{Listings: 4, Blocks: 4, Reviews: 2, Removed: 1}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		h, err := s.SellerHistory(ctx(t), "s1", now)
		if err != nil {
			t.Fatal(err)
		}
		st.want.Known, st.want.AgeDays, st.want.Authorized = true, 10, []string{"acme", "zeta"}
		same(t, "history after "+st.name, h, st.want)
	}
	// The other seller's counts were never touched.
	h, err = s.SellerHistory(ctx(t), "s2", now)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "other seller", h, hallmark.SellerHistory{Known: true, AgeDays: 10, Listings: 1, Blocks: 1, Removed: 1})
}

func testSaveScreening(t *testing.T, s store.Store) {
	seller(t, s, "s1")
	for i, tc := range []struct {
		action hallmark.Action
		status hallmark.ListingStatus
	}{
		{hallmark.Review, hallmark.StatusHeld},
		{hallmark.Block, hallmark.StatusRemoved},
		{hallmark.Allow, hallmark.StatusActive},
	} {
		t.Run(tc.action.String(), func(t *testing.T) {
			// The same listing, screened again and again: an edit.
			l := listing("l1", "s1")
			l.Title = fmt.Sprintf("edit %d", i)
			d := decision(tc.action, t0.Add(time.Duration(i)*time.Minute))
			screen(t, s, l, d)
			if d.ID == 0 || d.ListingID != "l1" || l.Status != tc.status {
				t.Fatalf("after save: decision %d for %q, listing status %q", d.ID, d.ListingID, l.Status)
			}
			if l.UpdatedAt.Before(l.CreatedAt) || l.CreatedAt.IsZero() {
				t.Fatalf("listing times: created %v updated %v", l.CreatedAt, l.UpdatedAt)
			}
			gotL, err := s.GetListing(ctx(t), "l1")
			if err != nil {
				t.Fatal(err)
			}
			same(t, "GetListing", gotL, l)
			gotD, err := s.GetDecision(ctx(t), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "GetDecision", gotD, d)
			latest, err := s.LatestDecision(ctx(t), "l1")
			if err != nil {
				t.Fatal(err)
			}
			same(t, "LatestDecision", latest, d)
			es := audit(t, s, "listing", "l1")
			if len(es) != i+1 || es[i].Action != "decision" || es[i].Actor != "system" ||
				!strings.Contains(es[i].Detail, fmt.Sprintf(`"decision_id":%d`, d.ID)) {
				t.Fatalf("audit after screening %d: %+v", i, es)
			}
		})
	}

	// CreatedAt is kept across screenings; the first one set it.
	first, err := s.ListDecisions(ctx(t), store.DecisionFilter{ListingID: "l1"})
	if err != nil || len(first) != 3 {
		t.Fatalf("decisions for l1: %d, %v", len(first), err)
	}
	l, err := s.GetListing(ctx(t), "l1")
	if err != nil {
		t.Fatal(err)
	}
	if l.CreatedAt.After(l.UpdatedAt) {
		t.Fatalf("created %v after updated %v", l.CreatedAt, l.UpdatedAt)
	}

	// A listing without images or signals reads back the same way.
	bare := &hallmark.Listing{ID: "l2", SellerID: "s1", Title: "plain", Currency: "EUR"}
	d := &hallmark.Decision{Action: hallmark.Allow, Reasons: []hallmark.Reason{}}
	screen(t, s, bare, d)
	gotL, err := s.GetListing(ctx(t), "l2")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "bare listing", gotL, bare)
	gotD, err := s.GetDecision(ctx(t), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "bare decision", gotD, d)
	if time.Since(d.DecidedAt) > time.Minute {
		t.Fatalf("DecidedAt defaulted to %v, want about now", d.DecidedAt)
	}
}

// checkNothingFor fails if anything at all was stored for listing id.
func checkNothingFor(t *testing.T, s store.Store, id string) {
	t.Helper()
	_, err := s.GetListing(ctx(t), id)
	wantErr(t, "GetListing", err, hallmark.ErrNotFound)
	ds, err := s.ListDecisions(ctx(t), store.DecisionFilter{ListingID: id})
	if err != nil || len(ds) != 0 {
		t.Fatalf("decisions stored for %s: %v, %v", id, ds, err)
	}
	_, err = s.LatestDecision(ctx(t), id)
	wantErr(t, "LatestDecision", err, hallmark.ErrNotFound)
	if es := audit(t, s, "listing", id); len(es) != 0 {
		t.Fatalf("audit entries for %s: %+v", id, es)
	}
}

func testSaveScreeningUnknownSeller(t *testing.T, s store.Store) {
	l, d := listing("l1", "nobody"), decision(hallmark.Block, time.Time{})
	wantErr(t, "SaveScreening", s.SaveScreening(ctx(t), l, d, "system"), hallmark.ErrNotFound)
	if d.ID != 0 || l.Status != "" {
		t.Fatalf("failed save changed its arguments: decision id %d, status %q", d.ID, l.Status)
	}
	checkNothingFor(t, s, "l1")
	if es := audit(t, s, "", ""); len(es) != 0 {
		t.Fatalf("audit entries after failed save: %+v", es)
	}
}

// testSaveScreeningFailedAudit fails the audit entry, the last write of the
// transaction, after the listing and decision are written.
func testSaveScreeningFailedAudit(t *testing.T, s store.Store) {
	seller(t, s, "s1")
	wantErr(t, "SaveScreening without actor",
		s.SaveScreening(ctx(t), listing("l1", "s1"), decision(hallmark.Review, time.Time{}), ""), hallmark.ErrInvalid)
	checkNothingFor(t, s, "l1")

	// And an existing listing keeps its state.
	l := listing("l2", "s1")
	screen(t, s, l, decision(hallmark.Allow, t0))
	changed := listing("l2", "s1")
	changed.Title = "changed"
	wantErr(t, "SaveScreening update without actor",
		s.SaveScreening(ctx(t), changed, decision(hallmark.Block, t0.Add(time.Hour)), ""), hallmark.ErrInvalid)
	got, err := s.GetListing(ctx(t), "l2")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "listing after failed update", got, l)
	ds, err := s.ListDecisions(ctx(t), store.DecisionFilter{ListingID: "l2"})
	if err != nil || len(ds) != 1 {
		t.Fatalf("decisions after failed update: %d, %v", len(ds), err)
	}
}

func testSaveScreeningOtherSeller(t *testing.T, s store.Store) {
	seller(t, s, "s1")
	seller(t, s, "s2")
	l := listing("l1", "s1")
	screen(t, s, l, decision(hallmark.Allow, t0))
	wantErr(t, "SaveScreening by another seller",
		s.SaveScreening(ctx(t), listing("l1", "s2"), decision(hallmark.Allow, t0), "system"), hallmark.ErrConflict)
	got, err := s.GetListing(ctx(t), "l1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "listing", got, l)
}

func testSaveScreeningInvalid(t *testing.T, s store.Store) {
	seller(t, s, "s1")
	for _, tc := range []struct {
		name string
		l    *hallmark.Listing
		d    *hallmark.Decision
	}{
		{"nil listing", nil, decision(hallmark.Allow, t0)},
		{"nil decision", listing("l1", "s1"), nil},
		{"currency", &hallmark.Listing{ID: "l1", SellerID: "s1", Title: "t", Currency: "XYZ"}, decision(hallmark.Allow, t0)},
		{"no title", &hallmark.Listing{ID: "l1", SellerID: "s1", Currency: "USD"}, decision(hallmark.Allow, t0)},
		{"price", &hallmark.Listing{ID: "l1", SellerID: "s1", Title: "t", Currency: "USD", Price: -1}, decision(hallmark.Allow, t0)},
		{"other listing", listing("l1", "s1"), &hallmark.Decision{ListingID: "l2", Action: hallmark.Allow}},
		{"action", listing("l1", "s1"), &hallmark.Decision{Action: hallmark.Action(9)}},
		{"score", listing("l1", "s1"), &hallmark.Decision{Action: hallmark.Allow, Score: math.Inf(1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, "SaveScreening", s.SaveScreening(ctx(t), tc.l, tc.d, "system"), hallmark.ErrInvalid)
			checkNothingFor(t, s, "l1")
		})
	}
}

func testListDecisions(t *testing.T, s store.Store) {
	seller(t, s, "s1")
	acts := []hallmark.Action{hallmark.Review, hallmark.Allow, hallmark.Block, hallmark.Review, hallmark.Review, hallmark.Allow}
	var all []hallmark.Decision
	for i, a := range acts {
		// Listings l0..l2 get two decisions each; decisions 3 and 4 share
		// a time, so only the id orders them.
		at := t0.Add(time.Duration(i) * time.Minute)
		if i == 4 {
			at = t0.Add(3 * time.Minute)
		}
		d := decision(a, at)
		if i%2 == 1 {
			d.BrandID = "other"
		}
		screen(t, s, listing(fmt.Sprintf("l%d", i%3), "s1"), d)
		all = append(all, *d)
	}
	// Newest first: decided_at descending, then id descending.
	newest := []hallmark.Decision{all[5], all[4], all[3], all[2], all[1], all[0]}

	review := hallmark.Review
	for _, tc := range []struct {
		name string
		f    store.DecisionFilter
		want []hallmark.Decision
	}{
		{"all", store.DecisionFilter{}, newest},
		{"review queue", store.DecisionFilter{Action: &review}, []hallmark.Decision{all[4], all[3], all[0]}},
		{"brand", store.DecisionFilter{BrandID: "other"}, []hallmark.Decision{all[5], all[3], all[1]}},
		{"listing", store.DecisionFilter{ListingID: "l0"}, []hallmark.Decision{all[3], all[0]}},
		{"brand and action", store.DecisionFilter{BrandID: "other", Action: &review}, []hallmark.Decision{all[3]}},
		{"no match", store.DecisionFilter{ListingID: "nope"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListDecisions(ctx(t), tc.f)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "ListDecisions", got, tc.want)

			// The same, two at a time.
			var paged []hallmark.Decision
			f := tc.f
			f.Limit = 2
			for pages := 0; ; pages++ {
				if pages > len(tc.want) {
					t.Fatal("pagination does not end")
				}
				ds, err := s.ListDecisions(ctx(t), f)
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, ds...)
				if len(ds) < f.Limit {
					break
				}
				f.After = store.DecisionCursor(ds[len(ds)-1])
			}
			same(t, "paged ListDecisions", paged, tc.want)
		})
	}

	latest, err := s.LatestDecision(ctx(t), "l1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "LatestDecision l1", latest, &all[4])

	_, err = s.ListDecisions(ctx(t), store.DecisionFilter{Page: store.Page{After: "garbage"}})
	wantErr(t, "bad cursor", err, hallmark.ErrInvalid)
	bad := hallmark.Action(7)
	_, err = s.ListDecisions(ctx(t), store.DecisionFilter{Action: &bad})
	wantErr(t, "bad action", err, hallmark.ErrInvalid)
}

func testListListings(t *testing.T, s store.Store) {
	seller(t, s, "s1")
	seller(t, s, "s2")
	byID := map[string]hallmark.Listing{}
	for i, a := range []hallmark.Action{hallmark.Allow, hallmark.Review, hallmark.Block, hallmark.Review, hallmark.Allow} {
		l := listing(fmt.Sprintf("l%d", 4-i), []string{"s1", "s2"}[i%2])
		screen(t, s, l, decision(a, t0))
		byID[l.ID] = *l
	}
	ls := func(ids ...string) []hallmark.Listing {
		var out []hallmark.Listing
		for _, id := range ids {
			out = append(out, byID[id])
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    store.ListingFilter
		want []hallmark.Listing
	}{
		{"all", store.ListingFilter{}, ls("l0", "l1", "l2", "l3", "l4")},
		{"seller", store.ListingFilter{SellerID: "s2"}, ls("l1", "l3")},
		{"status", store.ListingFilter{Status: hallmark.StatusHeld}, ls("l1", "l3")},
		{"seller and status", store.ListingFilter{SellerID: "s1", Status: hallmark.StatusActive}, ls("l0", "l4")},
		{"page", store.ListingFilter{Page: store.Page{Limit: 2}}, ls("l0", "l1")},
		{"next page", store.ListingFilter{Page: store.Page{Limit: 2, After: "l1"}}, ls("l2", "l3")},
		{"last page", store.ListingFilter{Page: store.Page{Limit: 2, After: store.ListingCursor(byID["l3"])}}, ls("l4")},
		{"none", store.ListingFilter{SellerID: "s3"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListListings(ctx(t), tc.f)
			if err != nil {
				t.Fatal(err)
			}
			same(t, "ListListings", got, tc.want)
		})
	}
	_, err := s.ListListings(ctx(t), store.ListingFilter{Status: "gone"})
	wantErr(t, "bad status", err, hallmark.ErrInvalid)
}

func testSetListingStatus(t *testing.T, s store.Store) {
	seller(t, s, "s1")
	screen(t, s, listing("l1", "s1"), decision(hallmark.Review, t0))
	if err := s.SetListingStatus(ctx(t), "l1", hallmark.StatusActive, "user:7", "genuine, invoice checked"); err != nil {
		t.Fatal(err)
	}
	l, err := s.GetListing(ctx(t), "l1")
	if err != nil {
		t.Fatal(err)
	}
	if l.Status != hallmark.StatusActive {
		t.Fatalf("status %q, want active", l.Status)
	}
	es := audit(t, s, "listing", "l1")
	same(t, "audit", actions(es), []string{"decision", "status_change"})
	var detail map[string]string
	if err := json.Unmarshal([]byte(es[1].Detail), &detail); err != nil {
		t.Fatal(err)
	}
	same(t, "status change detail", detail, map[string]string{"from": "held", "to": "active", "reason": "genuine, invoice checked"})
	if es[1].Actor != "user:7" {
		t.Fatalf("actor %q", es[1].Actor)
	}

	wantErr(t, "unknown listing", s.SetListingStatus(ctx(t), "nope", hallmark.StatusRemoved, "user:7", "x"), hallmark.ErrNotFound)
	wantErr(t, "bad status", s.SetListingStatus(ctx(t), "l1", "deleted", "user:7", "x"), hallmark.ErrInvalid)
	// Without an actor the audit entry fails, and so does the change.
	wantErr(t, "no actor", s.SetListingStatus(ctx(t), "l1", hallmark.StatusRemoved, "", "x"), hallmark.ErrInvalid)
	if l, err := s.GetListing(ctx(t), "l1"); err != nil || l.Status != hallmark.StatusActive {
		t.Fatalf("after failed change: %+v, %v", l, err)
	}
	if es := audit(t, s, "", ""); len(es) != 3 { // seller_create, decision, status_change
		t.Fatalf("audit has %d entries, want 3: %v", len(es), actions(es))
	}
}

func testAudit(t *testing.T, s store.Store) {
	var want []hallmark.AuditEntry
	for i := range 7 {
		e := &hallmark.AuditEntry{
			Actor: "user:1", Action: "note", ObjectType: []string{"listing", "notice"}[i%2],
			ObjectID: fmt.Sprintf("o%d", i%3), Detail: fmt.Sprintf(`{"n": %d,  "kept": "byte for byte"}`, i),
		}
		if i == 0 {
			e.At = t0.Add(500 * time.Nanosecond) // below the stored precision
		}
		if err := s.AppendAudit(ctx(t), e); err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || e.At.IsZero() {
			t.Fatalf("AppendAudit did not set id and time: %+v", e)
		}
		want = append(want, *e)
	}
	if !want[0].At.Equal(t0) {
		t.Fatalf("At = %v, want %v", want[0].At, t0)
	}
	got := audit(t, s, "", "")
	same(t, "all entries", got, want)
	same(t, "by type", audit(t, s, "notice", ""), []hallmark.AuditEntry{want[1], want[3], want[5]})
	same(t, "by object", audit(t, s, "listing", "o0"), []hallmark.AuditEntry{want[0], want[6]})

	var paged []hallmark.AuditEntry
	page := store.Page{Limit: 3}
	for {
		es, err := s.ListAudit(ctx(t), "", "", page)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, es...)
		if len(es) < page.Limit {
			break
		}
		page.After = store.AuditCursor(es[len(es)-1])
	}
	same(t, "paged", paged, want)

	_, err := s.ListAudit(ctx(t), "", "", store.Page{After: "x"})
	wantErr(t, "bad cursor", err, hallmark.ErrInvalid)
	for _, bad := range []*hallmark.AuditEntry{
		nil,
		{Action: "a", ObjectType: "t"},
		{Actor: "a", ObjectType: "t"},
		{Actor: "a", Action: "a"},
		{Actor: "a", Action: "a", ObjectType: "t", Detail: "{not json"},
	} {
		wantErr(t, fmt.Sprintf("AppendAudit(%+v)", bad), s.AppendAudit(ctx(t), bad), hallmark.ErrInvalid)
	}
}

func testAuditImmutable(t *testing.T, s store.Store) {
	raw, ok := s.(RawExecer)
	if !ok {
		t.Skip("store offers no raw SQL hook (RawExecer)")
	}
	e := &hallmark.AuditEntry{Actor: "system", Action: "decision", ObjectType: "listing", ObjectID: "l1", Detail: `{}`}
	if err := s.AppendAudit(ctx(t), e); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE audit_log SET actor = 'mallory' WHERE id = $1`,
		`DELETE FROM audit_log WHERE id = $1`,
	} {
		if err := raw.ExecRaw(ctx(t), q, e.ID); err == nil {
			t.Errorf("%s: succeeded, want the database to refuse", q)
		}
	}
	if err := raw.ExecRaw(ctx(t), `DELETE FROM audit_log`); err == nil {
		t.Errorf("DELETE of every entry succeeded")
	}
	same(t, "entries after tampering", audit(t, s, "", ""), []hallmark.AuditEntry{*e})
}

func testAPIKeys(t *testing.T, s store.Store) {
	keys := []*hallmark.APIKey{
		{Name: "shop backend", Role: hallmark.RoleIntegration, Prefix: "hm_abc", Hash: []byte{1, 2, 3, 0, 255}},
		{Name: "old backend", Role: hallmark.RoleIntegration, Prefix: "hm_abc", Hash: []byte{4}},
		{Name: "admin", Role: hallmark.RoleAdmin, Prefix: "hm_xyz", Hash: []byte{5}, CreatedAt: t0},
	}
	for _, k := range keys {
		if err := s.CreateAPIKey(ctx(t), k); err != nil {
			t.Fatal(err)
		}
		if k.ID == 0 || k.CreatedAt.IsZero() {
			t.Fatalf("CreateAPIKey did not set id and time: %+v", k)
		}
	}
	got, err := s.APIKeysByPrefix(ctx(t), "hm_abc")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "by prefix", got, []hallmark.APIKey{*keys[0], *keys[1]})

	revoked := t0.Add(time.Hour)
	if err := s.RevokeAPIKey(ctx(t), keys[1].ID, revoked); err != nil {
		t.Fatal(err)
	}
	// Revoking again keeps the first time.
	if err := s.RevokeAPIKey(ctx(t), keys[1].ID, revoked.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = s.APIKeysByPrefix(ctx(t), "hm_abc")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "by prefix after revoke", got, []hallmark.APIKey{*keys[0]})
	keys[1].RevokedAt = &revoked
	all, err := s.ListAPIKeys(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "all keys", all, []hallmark.APIKey{*keys[0], *keys[1], *keys[2]})
	if none, err := s.APIKeysByPrefix(ctx(t), "hm_"); err != nil || len(none) != 0 {
		t.Fatalf("prefix must match exactly: %v, %v", none, err)
	}

	wantErr(t, "revoke unknown", s.RevokeAPIKey(ctx(t), 999999, t0), hallmark.ErrNotFound)
	for _, bad := range []*hallmark.APIKey{
		nil,
		{Role: hallmark.RoleAdmin, Prefix: "p", Hash: []byte{1}},
		{Name: "n", Role: "root", Prefix: "p", Hash: []byte{1}},
		{Name: "n", Role: hallmark.RoleAdmin, Hash: []byte{1}},
		{Name: "n", Role: hallmark.RoleAdmin, Prefix: "p"},
	} {
		wantErr(t, fmt.Sprintf("CreateAPIKey(%+v)", bad), s.CreateAPIKey(ctx(t), bad), hallmark.ErrInvalid)
	}
}

func testNotFound(t *testing.T, s store.Store) {
	c := ctx(t)
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"GetBrand", func() error { _, err := s.GetBrand(c, "x"); return err }},
		{"DeleteBrand", func() error { return s.DeleteBrand(c, "x", "admin") }},
		{"GetSeller", func() error { _, err := s.GetSeller(c, "x"); return err }},
		{"GetListing", func() error { _, err := s.GetListing(c, "x"); return err }},
		{"SetListingStatus", func() error { return s.SetListingStatus(c, "x", hallmark.StatusHeld, "a", "r") }},
		{"GetDecision", func() error { _, err := s.GetDecision(c, 42); return err }},
		{"LatestDecision", func() error { _, err := s.LatestDecision(c, "x"); return err }},
		{"RevokeAPIKey", func() error { return s.RevokeAPIKey(c, 42, t0) }},
		{"SaveScreening", func() error {
			return s.SaveScreening(c, listing("x", "x"), decision(hallmark.Allow, t0), "system")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, tc.call(), hallmark.ErrNotFound) })
	}
}

// testConcurrentScreenings saves screenings from many goroutines at once,
// while others read, as concurrent API requests do. On SQLite this is where
// SQLITE_BUSY would appear if writes were not serialized.
func testConcurrentScreenings(t *testing.T, s store.Store) {
	const workers, each = 8, 5
	seller(t, s, "s1")
	if err := s.PutBrand(ctx(t), brand("acme"), "admin"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*each*2)
	for w := range workers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range each {
				// Every worker also rescreens one shared listing.
				id := fmt.Sprintf("w%d-l%d", w, i)
				if i == 0 {
					id = "shared"
				}
				if err := s.SaveScreening(ctx(t), listing(id, "s1"), decision(hallmark.Review, time.Time{}), "system"); err != nil {
					errs <- fmt.Errorf("SaveScreening(%s): %w", id, err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range each {
				if _, err := s.ListDecisions(ctx(t), store.DecisionFilter{}); err != nil {
					errs <- fmt.Errorf("ListDecisions: %w", err)
				}
				if _, err := s.ListBrands(ctx(t)); err != nil {
					errs <- fmt.Errorf("ListBrands: %w", err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ds, err := s.ListDecisions(ctx(t), store.DecisionFilter{Page: store.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != workers*each {
		t.Fatalf("%d decisions stored, want %d", len(ds), workers*each)
	}
	ids := map[int64]bool{}
	for _, d := range ds {
		ids[d.ID] = true
	}
	if len(ids) != len(ds) {
		t.Fatalf("duplicate decision ids")
	}
	if es := audit(t, s, "listing", "shared"); len(es) != workers {
		t.Fatalf("%d audit entries for the shared listing, want %d", len(es), workers)
	}
	h, err := s.SellerHistory(ctx(t), "s1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if want := workers*(each-1) + 1; h.Listings != want || h.Reviews != workers*each {
		t.Fatalf("history %+v, want %d listings and %d reviews", h, want, workers*each)
	}
}
