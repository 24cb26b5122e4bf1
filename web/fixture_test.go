package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/store/sqlite"
	"github.com/hallmark-dev/hallmark/web"
)

const password = "correct horse battery staple"

// fixture is a console on a seeded SQLite store: brand A ("acme") and
// brand B ("bolt"), a seller "s-shady" with a login, held listings for the
// queue, and a notice of brand A that removed one of the seller's listings.
type fixture struct {
	st       store.Store
	td       *notice.Service
	console  *web.Console
	srv      *httptest.Server
	noticeA  int64 // brand A's accepted notice
	noticeB  int64 // brand B's received notice
	stmt     int64 // the statement of reasons for the seller's removed listing
	rightA   int64
	listingA string // an active listing brand A can file a notice on
	uploadID string // the uploaded photo of l-acme-photo
	reloads  atomic.Int64
}

// tinyPNG is a 2x2 image, for an upload the case page shows.
func tinyPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	must(t, png.Encode(&b, img))
	return b.Bytes()
}

var (
	admin = account.Principal{Actor: "system:test", Role: account.Admin, UserID: 1}
)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "console.db"))
	must(t, err)
	t.Cleanup(func() { db.Close() })
	f := &fixture{st: db, td: notice.New(db, notice.Config{})}
	seed(t, f)
	c, err := web.New(web.Config{Store: db, Takedown: f.td, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Reload: func(context.Context) error { f.reloads.Add(1); return nil }})
	must(t, err)
	f.console = c
	f.srv = httptest.NewServer(c)
	t.Cleanup(f.srv.Close)
	return f
}

func seed(t testing.TB, f *fixture) {
	ctx := context.Background()
	st := f.st
	for _, b := range []*hallmark.Brand{
		{ID: "acme", Name: "Acme", Category: "shoes",
			Marks:       []hallmark.Mark{{Text: "Acme", Kind: hallmark.MarkWord}},
			PriceFloors: []hallmark.PriceFloor{{Amount: 100, Currency: "USD"}}},
		{ID: "bolt", Name: "Bolt", Category: "bags",
			Marks:       []hallmark.Mark{{Text: "Bolt", Kind: hallmark.MarkWord}},
			PriceFloors: []hallmark.PriceFloor{{Amount: 50, Currency: "USD"}}},
	} {
		must(t, st.PutBrand(ctx, b, "test"))
	}
	for _, s := range []string{"s-shady", "s-other"} {
		must(t, st.PutSeller(ctx, &hallmark.Seller{ID: s, Name: "Seller " + s, Country: "US"}, "test"))
	}
	base := time.Now().UTC().Add(-30 * time.Hour)
	screen := func(id, seller, title, desc string, price float64, action hallmark.Action, brand string, score float64, at time.Time, sigs ...hallmark.Signal) {
		l := &hallmark.Listing{ID: id, SellerID: seller, Title: title, Description: desc, Price: price, Currency: "USD", Category: "shoes"}
		d := &hallmark.Decision{Action: action, Score: score, BrandID: brand, Signals: sigs, DecidedAt: at, PolicyVersion: "test",
			Reasons: []hallmark.Reason{{Rule: "brand_with_replica_cue", Action: action, Weight: score, Message: "brand mark next to counterfeit wording", BrandID: brand, Signals: sigs}}}
		must(t, st.SaveScreening(ctx, l, d, "test"))
	}
	title := "Acme Rep1ica Runner AAA"
	screen("l-acme-held", "s-shady", title, "Best 1:1 quality, ships fast", 19.99, hallmark.Review, "acme", 0.9, base,
		hallmark.Signal{Detector: hallmark.DetectorBrand, Kind: "exact", BrandID: "acme", Mark: "Acme", Span: &hallmark.Span{Field: "title", Start: 0, End: 4}, Original: "Acme", Normalized: "acme"},
		hallmark.Signal{Detector: hallmark.DetectorReplica, Kind: "leetspeak", Span: &hallmark.Span{Field: "title", Start: 5, End: 12}, Original: "Rep1ica", Normalized: "replica"},
		hallmark.Signal{Detector: hallmark.DetectorPrice, Kind: "below_floor", BrandID: "acme", Value: 0.2})
	screen("l-acme-low", "s-other", "Acme style runner", "", 80, hallmark.Review, "acme", 0.4, base.Add(time.Hour),
		hallmark.Signal{Detector: hallmark.DetectorBrand, Kind: "exact", BrandID: "acme", Mark: "Acme", Span: &hallmark.Span{Field: "title", Start: 0, End: 4}, Original: "Acme", Normalized: "acme"})
	screen("l-bolt-held", "s-other", "B0lt travel bag", "", 10, hallmark.Review, "bolt", 0.7, base.Add(2*time.Hour),
		hallmark.Signal{Detector: hallmark.DetectorBrand, Kind: "confusable", BrandID: "bolt", Mark: "Bolt", Span: &hallmark.Span{Field: "title", Start: 0, End: 4}, Original: "B0lt", Normalized: "bolt"})
	screen("l-acme-active", "s-other", "Acme runner copy", "", 30, hallmark.Allow, "", 0.1, base)
	screen("l-acme-noticed", "s-shady", "Acme Runner", "", 25, hallmark.Allow, "", 0.1, base)
	screen("l-bolt-active", "s-shady", "Bolt bag", "", 20, hallmark.Allow, "", 0.1, base)
	f.listingA = "l-acme-active"
	// A listing whose uploaded photo matched a protected image of brand A.
	png := tinyPNG(t)
	sum := sha256.Sum256(png)
	up := &hallmark.Upload{ID: hex.EncodeToString(sum[:]), ContentType: "image/png", Width: 2, Height: 2, Data: png, Actor: "test"}
	must(t, st.PutUpload(ctx, up))
	f.uploadID = up.ID
	l := &hallmark.Listing{ID: "l-acme-photo", SellerID: "s-other", Title: "Running shoes, great price", Price: 40, Currency: "USD",
		Category: "sneakers", Images: []string{"upload:" + up.ID}}
	imgSig := hallmark.Signal{Detector: hallmark.DetectorImage, Kind: "rot90", BrandID: "acme", Value: 12,
		Original: "upload:" + up.ID, Normalized: "acme-runner-front"}
	must(t, st.SaveScreening(ctx, l, &hallmark.Decision{Action: hallmark.Review, Score: 0.6, BrandID: "acme", DecidedAt: base.Add(3 * time.Hour),
		Signals: []hallmark.Signal{imgSig}, Reasons: []hallmark.Reason{{Rule: "protected_image", Action: hallmark.Review, Weight: 0.6,
			Message: "a protected image of the brand", BrandID: "acme", Signals: []hallmark.Signal{imgSig}}}}, "test"))

	users := []*account.User{
		{Email: "admin@example.com", Name: "Ada Admin", Role: account.Admin},
		{Email: "reviewer@example.com", Name: "Rita Reviewer", Role: account.Reviewer},
		{Email: "acme@example.com", Name: "Alice Acme", Role: account.RightsHolder, BrandIDs: []string{"acme"}},
		{Email: "bolt@example.com", Name: "Bob Bolt", Role: account.RightsHolder, BrandIDs: []string{"bolt"}},
		{Email: "seller@example.com", Name: "Sam Seller", Role: account.Seller, SellerID: "s-shady"},
	}
	for _, u := range users {
		must(t, f.td.CreateUser(ctx, admin, u, password))
	}
	reviewer := account.ForUser(users[1])
	rhA, rhB := account.ForUser(users[2]), account.ForUser(users[3])
	right := func(p account.Principal, brand, mark string) int64 {
		r, err := f.td.SubmitRight(ctx, p, notice.RightInput{BrandID: brand, Mark: mark, Number: "123" + brand, Office: "USPTO", Classes: []int{25}, Owner: mark + " Inc."})
		must(t, err)
		_, err = f.td.DecideRight(ctx, reviewer, r.ID, true, "")
		must(t, err)
		return r.ID
	}
	f.rightA = right(rhA, "acme", "ACME")
	rightB := right(rhB, "bolt", "BOLT")
	contact := notice.Contact{Name: "Legal", Email: "legal@example.com"}
	n, err := f.td.FileNotice(ctx, rhA, notice.NoticeInput{BrandID: "acme", RightID: f.rightA, ListingIDs: []string{"l-acme-noticed"},
		Explanation: "Counterfeit Acme runners.", GoodFaith: true, Contact: contact})
	must(t, err)
	n, err = f.td.DecideNotice(ctx, reviewer, n.ID, true, "the listing infringes the ACME mark", false)
	must(t, err)
	f.noticeA, f.stmt = n.ID, n.StatementIDs[0]
	nb, err := f.td.FileNotice(ctx, rhB, notice.NoticeInput{BrandID: "bolt", RightID: rightB, ListingIDs: []string{"l-bolt-active"},
		Explanation: "Not a genuine Bolt bag.", GoodFaith: true, Contact: contact})
	must(t, err)
	f.noticeB = nb.ID
}
