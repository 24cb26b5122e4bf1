package notice_test

import (
	"context"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store/sqlite"
)

// TestFastLaneLostOnRate: a notifier whose removals are reversed on appeal
// falls below the acceptance rate and loses the lane.
func TestFastLaneLostOnRate(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	svc := notice.New(db, notice.Config{Clock: func() time.Time { return now }, FastLaneMinDecided: 3})
	if err := db.PutSeller(ctx, &hallmark.Seller{ID: "s1", Name: "S1"}, "test"); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		l := &hallmark.Listing{ID: string(rune('a' + i)), SellerID: "s1", Title: "shoes", Price: 10, Currency: "USD"}
		if err := db.SaveScreening(ctx, l, &hallmark.Decision{Action: hallmark.Allow, Reasons: []hallmark.Reason{}}, "test"); err != nil {
			t.Fatal(err)
		}
	}
	rh := account.Principal{Actor: "user:1", Role: account.RightsHolder, UserID: 1, BrandIDs: []string{"acme"}}
	rev := account.Principal{Actor: "user:2", Role: account.Reviewer, UserID: 2}
	seller := account.Principal{Actor: "user:3", Role: account.Seller, UserID: 3, SellerID: "s1"}
	right, err := svc.SubmitRight(ctx, rh, notice.RightInput{BrandID: "acme", Mark: "ACME", Number: "1", Office: "EUIPO", Classes: []int{25}, Owner: "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DecideRight(ctx, rev, right.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	in := func(l string) notice.NoticeInput {
		return notice.NoticeInput{BrandID: "acme", RightID: right.ID, ListingIDs: []string{l}, Explanation: "fake", GoodFaith: true,
			Contact: notice.Contact{Name: "Legal", Email: "legal@acme.example"}}
	}
	var last *notice.Notice
	for _, l := range []string{"a", "b", "c"} {
		n, err := svc.FileNotice(ctx, rh, in(l))
		if err != nil {
			t.Fatal(err)
		}
		if last, err = svc.DecideNotice(ctx, rev, n.ID, true, "fake indeed", false); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
	}
	st, _ := svc.GetStanding(ctx, rh, "acme")
	if !st.FastLane {
		t.Fatalf("no fast lane: %+v", st)
	}
	ap, err := svc.FileAppeal(ctx, seller, last.StatementIDs[0], notice.AppealInput{Explanation: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DecideAppeal(ctx, rev, ap.ID, true, "genuine after all"); err != nil {
		t.Fatal(err)
	}
	st, _ = svc.GetStanding(ctx, rh, "acme")
	if st.FastLane || st.AcceptanceRate > 0.67 {
		t.Fatalf("fast lane kept at %.2f acceptance: %+v", st.AcceptanceRate, st)
	}
	n, err := svc.FileNotice(ctx, rh, in("d"))
	if err != nil || n.Status != notice.NoticeReceived {
		t.Fatalf("notice after losing the lane: %+v %v", n, err)
	}
	// The window slides: 90 days on, the old decisions no longer count.
	now = now.Add(91 * 24 * time.Hour)
	if _, err := svc.DecideNotice(ctx, rev, n.ID, true, "fake", false); err != nil {
		t.Fatal(err)
	}
	st, _ = svc.GetStanding(ctx, rh, "acme")
	if st.Decided != 1 || st.FastLane {
		t.Errorf("after the window slid: %+v", st)
	}
}
