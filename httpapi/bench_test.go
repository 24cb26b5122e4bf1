package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

var benchClients = flag.Int("clients", 8, "concurrent clients in BenchmarkPublish")

// benchScreener, when set (see bench_realscreen_test.go, built with
// -tags realscreen), gives BenchmarkPublish a real engine over the store
// instead of the fake.
var benchScreener func(tb testing.TB, st store.Store) Screener

// BenchmarkPublish is a load generator for the publish-time call: the real
// server on a loopback port, the sqlite store on a temporary file, and
// -clients concurrent clients sending b.N POST /v1/listings between them.
// Besides ns/op it reports throughput and the latency percentiles an
// integrator cares about, since a publish call sits in a seller's request.
//
//	go test ./httpapi -run '^$' -bench Publish -benchtime 5000x -clients 16
func BenchmarkPublish(b *testing.B) {
	st := openTestStore(b)
	var scr Screener
	if benchScreener != nil {
		scr = benchScreener(b, st)
	}
	e := newEnvWith(b, st, scr)
	ctx := context.Background()
	// A small registry, so a real engine has marks and floors to match.
	for _, br := range []*hallmark.Brand{
		{ID: "acme", Name: "Acme", Marks: []hallmark.Mark{{Text: "Acme", Kind: hallmark.MarkWord}},
			PriceFloors: []hallmark.PriceFloor{{Amount: 80, Currency: "USD"}}},
		{ID: "zeta", Name: "Zeta", Marks: []hallmark.Mark{{Text: "Zeta", Kind: hallmark.MarkWord}, {Text: "Zeta Air", Kind: hallmark.MarkProductLine}}},
	} {
		if err := st.PutBrand(ctx, br, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.api.screener.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	const sellers = 50
	for i := range sellers {
		s := &hallmark.Seller{ID: fmt.Sprintf("bs%d", i), Name: "Bench seller", CreatedAt: testNow.Add(-time.Duration(i) * 24 * time.Hour)}
		if err := e.store.PutSeller(ctx, s, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	titles := []string{"Running shoe, blue, size 42", "Acme runner, check the sole", "Acme replica 1:1 top quality", "Leather wallet", "Wireless earbuds"}
	// Bodies are built before the clock starts: the client's JSON encoding
	// is not what is being measured.
	bodies := make([][]byte, b.N)
	for i := range bodies {
		l := listing(fmt.Sprintf("bl%d", i), fmt.Sprintf("bs%d", i%sellers), titles[i%len(titles)])
		l["description"] = "A listing body of ordinary length, as marketplaces send them. " + titles[(i+1)%len(titles)]
		bodies[i], _ = json.Marshal(l)
	}
	clients := max(*benchClients, 1)
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	url := e.srv.URL + "/v1/listings"

	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N || failed.Load() {
					return
				}
				req, _ := http.NewRequest("POST", url, bytes.NewReader(bodies[i]))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.integ)
				t0 := time.Now()
				res, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					failed.Store(true)
					return
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				lat[i] = time.Since(t0)
				if res.StatusCode != http.StatusCreated {
					b.Errorf("status %d: %s", res.StatusCode, body)
					failed.Store(true)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Nanoseconds())/1e3, "max-µs")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
}
