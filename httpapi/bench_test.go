package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/feed"
	"github.com/hallmark-dev/hallmark/store"
)

var (
	benchClients = flag.Int("clients", 8, "concurrent clients in BenchmarkPublish")
	benchSellers = flag.Int("sellers", 1000, "sellers the BenchmarkPublish listings are spread over")
	benchWarmup  = flag.Int("warmup", 1000, "unmeasured requests BenchmarkPublish sends first")
)

// benchScreener, when set (see bench_realscreen_test.go, built with
// -tags realscreen), gives BenchmarkPublish a real engine over the store
// instead of the fake.
var benchScreener func(tb testing.TB, st store.Store) Screener

// benchListing is what BenchmarkPublish takes from the development set:
// real titles, descriptions, prices and categories, counterfeits included,
// so screening and the store see the mix of allow, review and block a
// marketplace sends.
type benchListing struct {
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Price       float64 `json:"price"`
	Currency    string  `json:"currency"`
	Category    string  `json:"category"`
}

func readBenchListings(tb testing.TB) []benchListing {
	f, err := os.Open(filepath.Join("..", "testdata", "devset", "listings.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []benchListing
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l benchListing
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatal(err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(out) == 0 {
		tb.Fatal("no listings in the development set")
	}
	return out
}

// BenchmarkPublish is a load generator for the publish-time call: the real
// server on a loopback port, the sqlite store on a temporary file holding
// the development set's brand registry, -sellers sellers, and -clients
// concurrent clients sending b.N POST /v1/listings between them, after
// -warmup unmeasured requests (which also give the sellers some history).
// Each client keeps one keep-alive connection (the dials metric says how
// many were opened while measuring: it should be 0). Besides ns/op it
// reports throughput and the latency percentiles an integrator cares about,
// since a publish call sits in a seller's request: each request's latency
// is taken from just before it is sent to the end of its response body.
//
//	go test ./httpapi -tags realscreen -run '^$' -bench Publish -benchtime 5000x -clients 4
func BenchmarkPublish(b *testing.B) {
	st := openTestStore(b)
	var scr Screener
	if benchScreener != nil {
		scr = benchScreener(b, st)
	}
	e := newEnvWith(b, st, scr)
	ctx := context.Background()
	reg, err := feed.ReadRegistryFile(filepath.Join("..", "testdata", "devset", "registry.json"))
	if err != nil {
		b.Fatal(err)
	}
	for i := range reg.Brands {
		if err := st.PutBrand(ctx, &reg.Brands[i], "bench"); err != nil {
			b.Fatal(err)
		}
	}
	if err := e.api.screener.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	sellers := max(*benchSellers, 1)
	for i := range sellers {
		s := &hallmark.Seller{ID: fmt.Sprintf("bs%d", i), Name: "Bench seller", CreatedAt: testNow.Add(-time.Duration(i%700) * 24 * time.Hour)}
		if err := e.store.PutSeller(ctx, s, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	src := readBenchListings(b)
	warm := max(*benchWarmup, 0)
	// Bodies are built before the clock starts: the client's JSON encoding
	// is not what is being measured. One in ten requests re-publishes (edits)
	// an earlier listing, as marketplaces do.
	bodies := make([][]byte, warm+b.N)
	for i := range bodies {
		id := i
		if i%10 == 9 {
			id = i / 2
		}
		sl := src[(id*7919)%len(src)]
		bodies[i], _ = json.Marshal(map[string]any{
			"id": fmt.Sprintf("bl%d", id), "seller_id": fmt.Sprintf("bs%d", (id*31)%sellers),
			"title": sl.Title, "description": sl.Description, "price": sl.Price,
			"currency": sl.Currency, "category": sl.Category,
		})
	}
	clients := max(*benchClients, 1)
	var dials atomic.Int64
	dialer := &net.Dialer{}
	tr := &http.Transport{
		MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return dialer.DialContext(ctx, network, addr)
		},
	}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	url := e.srv.URL + "/v1/listings"

	var failed atomic.Bool
	// run sends bodies[from:to] from all clients and records each latency
	// in lat (indexed from from), if lat is not nil.
	run := func(from, to int, lat []time.Duration) {
		var next atomic.Int64
		next.Store(int64(from))
		var wg sync.WaitGroup
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= to || failed.Load() {
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
					if lat != nil {
						lat[i-from] = time.Since(t0)
					}
					if res.StatusCode != http.StatusCreated {
						b.Errorf("status %d: %s", res.StatusCode, body)
						failed.Store(true)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	// Warm up: connections opened, statements prepared, key cached, pages
	// of the database in memory, the seller counters non-zero.
	run(0, warm, nil)
	if failed.Load() {
		return
	}
	dials.Store(0)
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	start := time.Now()
	run(warm, warm+b.N, lat)
	elapsed := time.Since(start)
	b.StopTimer()
	if failed.Load() {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Nanoseconds())/1e3, "max-µs")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(dials.Load()), "dials")
}
