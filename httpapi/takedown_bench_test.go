package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/hallmark-dev/hallmark/notice"
)

// BenchmarkNoticeAPI files notices through the HTTP API on a SQLite file
// store, logged in as a rights holder: validation, the right and every
// listing checked, the notice stored and acknowledged, audited, in one
// transaction. One op is one notice; notices/s is the throughput.
func BenchmarkNoticeAPI(b *testing.B) {
	for _, bc := range []struct {
		name     string
		listings int
		parallel bool
	}{{"1listing", 1, false}, {"1listing-parallel", 1, true}, {"300listings", 300, false}} {
		b.Run(bc.name, func(b *testing.B) {
			e := newTDEnvB(b)
			right := e.verifiedRight("acme")
			ids := make([]string, bc.listings)
			for i := range ids {
				ids[i] = fmt.Sprintf("l%d", i)
				e.publish(ids[i], "s1")
			}
			body, err := json.Marshal(noticeBody("acme", right, ids...))
			if err != nil {
				b.Fatal(err)
			}
			tok := e.sessions["acme"]
			post := func() {
				req, _ := http.NewRequest("POST", e.srv.URL+"/v1/notices", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
				res, err := e.srv.Client().Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				res.Body.Close()
				if res.StatusCode != 201 {
					b.Errorf("status %d", res.StatusCode)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			if bc.parallel {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						post()
					}
				})
			} else {
				for b.Loop() {
					post()
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notices/s")
		})
	}
}

// newTDEnvB is newTDEnv for a benchmark.
func newTDEnvB(b *testing.B) *tdEnv {
	b.Helper()
	return newTDEnv(b, openTestStore(b), notice.Config{})
}
