package sqlite

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
)

// The backfill in migration 0002 must give the counters the triggers keep:
// zeroing them and running it again over the same data changes nothing.
func TestSellerCountersBackfill(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	now := time.Now()
	for i := range 3 {
		if err := db.PutSeller(ctx, &hallmark.Seller{ID: fmt.Sprintf("s%d", i), Name: "S"}, "test"); err != nil {
			t.Fatal(err)
		}
	}
	actions := []hallmark.Action{hallmark.Allow, hallmark.Review, hallmark.Block}
	for i := range 30 {
		l := &hallmark.Listing{ID: fmt.Sprintf("l%d", i%17), SellerID: fmt.Sprintf("s%d", (i%17)%3),
			Title: "Shoe", Price: 10, Currency: "USD"}
		d := &hallmark.Decision{Action: actions[(i*7)%3]}
		if err := db.SaveScreening(ctx, l, d, "test"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetListingStatus(ctx, "l1", hallmark.StatusRemoved, "test", "x"); err != nil {
		t.Fatal(err)
	}
	before := map[string]hallmark.SellerHistory{}
	for i := range 3 {
		id := fmt.Sprintf("s%d", i)
		h, err := db.SellerHistory(ctx, id, now)
		if err != nil {
			t.Fatal(err)
		}
		before[id] = h
	}
	body, err := migrations.ReadFile("migrations/0002_seller_counters.sql")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(body), "UPDATE sellers SET\n")
	end := strings.Index(string(body)[start:], ";")
	if start < 0 || end < 0 {
		t.Fatal("no backfill UPDATE in migration 0002")
	}
	if err := db.ExecRaw(ctx, `UPDATE sellers SET listings = 0, removed = 0, blocks = 0, reviews = 0`); err != nil {
		t.Fatal(err)
	}
	if err := db.ExecRaw(ctx, string(body)[start:start+end]); err != nil {
		t.Fatal(err)
	}
	for id, want := range before {
		h, err := db.SellerHistory(ctx, id, now)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(h) != fmt.Sprint(want) {
			t.Errorf("%s: backfilled %+v, triggers kept %+v", id, h, want)
		}
		if want.Listings == 0 {
			t.Errorf("%s: no listings: the test data is wrong", id)
		}
	}
}
