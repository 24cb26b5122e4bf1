package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/web"
)

// BenchmarkPages renders the review queue and a case page with many
// listings in the store: HALLMARK_BENCH_LISTINGS of them (default 100,000),
// one in ten held for review. Seeding goes through SaveScreening, one
// transaction a listing, so it takes a while; the timer covers only pages.
func BenchmarkPages(b *testing.B) {
	n := 100000
	if v := os.Getenv("HALLMARK_BENCH_LISTINGS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	f := newFixture(b)
	ctx := context.Background()
	at := time.Now().UTC().Add(-48 * time.Hour)
	for i := range n {
		action, score := hallmark.Allow, 0.1
		if i%10 == 0 {
			action, score = hallmark.Review, float64(i%97)/97
		}
		l := &hallmark.Listing{ID: fmt.Sprintf("bench-%06d", i), SellerID: "s-other", Title: "Acme Rep1ica Runner " + strconv.Itoa(i),
			Price: 20, Currency: "USD", Category: "shoes"}
		d := &hallmark.Decision{Action: action, Score: score, BrandID: "acme", DecidedAt: at.Add(time.Duration(i) * time.Second),
			Signals: []hallmark.Signal{{Detector: hallmark.DetectorBrand, Kind: "exact", Mark: "Acme", Span: &hallmark.Span{Field: "title", Start: 0, End: 4}}}}
		must(b, f.st.SaveScreening(ctx, l, d, "bench"))
	}
	// Log in once and reuse the session cookie.
	tok, _, err := f.td.Login(ctx, "reviewer@example.com", password)
	must(b, err)
	get := func(path string) {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: tok})
		w := httptest.NewRecorder()
		f.console.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("GET %s: %d", path, w.Code)
		}
	}
	for _, p := range []struct{ name, path string }{
		{"queue", "/console/queue"},
		{"queue-brand", "/console/queue?brand=acme"},
		{"queue-detector", "/console/queue?detector=brand_mark"},
		{"queue-seller", "/console/queue?seller=s-other"},
		{"queue-page-100", "/console/queue?skip=5000"},
		{"case", "/console/cases/bench-000010"},
		{"notices", "/console/notices"},
	} {
		b.Run(p.name, func(b *testing.B) {
			start := time.Now()
			get(p.path) // the first view after start-up: nothing cached
			first := time.Since(start)
			for b.Loop() {
				get(p.path)
			}
			b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
		})
	}
}
