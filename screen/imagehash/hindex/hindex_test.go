package hindex

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/hallmark-dev/hallmark/screen/imagehash"
	"github.com/hallmark-dev/hallmark/screen/imagehash/internal/benchutil"
	"github.com/hallmark-dev/hallmark/screen/imagehash/internal/refdata"
)

// searcher is what Index and Linear have in common.
type searcher interface {
	Add(id uint64, h imagehash.Hash, quality int) bool
	Remove(id uint64) bool
	Query(h imagehash.Hash, radius int, dst []Result) []Result
	Match(h imagehash.Hash, quality int, dst []Result) []Result
	Len() int
}

var (
	_ searcher = (*Index)(nil)
	_ searcher = (*Linear)(nil)
)

func randomHash(r *rand.Rand) imagehash.Hash {
	return imagehash.FromWords([4]uint64{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()})
}

// flip returns h with k distinct random bits inverted.
func flip(r *rand.Rand, h imagehash.Hash, k int) imagehash.Hash {
	for _, b := range r.Perm(256)[:k] {
		h[b/8] ^= 1 << (b % 8)
	}
	return h
}

// clustered makes n hashes around ncentres centres, each at a random
// distance up to spread from its centre: near-duplicate photos, so that
// queries have many true matches and chunk values are far from uniform.
func clustered(r *rand.Rand, n, ncentres, spread int) (hashes, centres []imagehash.Hash) {
	centres = make([]imagehash.Hash, ncentres)
	for i := range centres {
		centres[i] = randomHash(r)
	}
	hashes = make([]imagehash.Hash, n)
	for i := range hashes {
		hashes[i] = flipFast(r, centres[r.IntN(ncentres)], r.IntN(spread+1))
	}
	return hashes, centres
}

// flipFast is flip without the permutation, for building millions of
// hashes: bits may repeat, so the distance is at most k.
func flipFast(r *rand.Rand, h imagehash.Hash, k int) imagehash.Hash {
	for range k {
		b := r.IntN(256)
		h[b/8] ^= 1 << (b % 8)
	}
	return h
}

func TestAgainstLinear(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name string
		gen  func() ([]imagehash.Hash, []imagehash.Hash)
	}{
		{"random", func() ([]imagehash.Hash, []imagehash.Hash) {
			h := make([]imagehash.Hash, 5000)
			for i := range h {
				h[i] = randomHash(r)
			}
			return h, h[:50]
		}},
		{"clustered", func() ([]imagehash.Hash, []imagehash.Hash) {
			return clustered(r, 5000, 20, 40)
		}},
		{"tight", func() ([]imagehash.Hash, []imagehash.Hash) {
			return clustered(r, 3000, 3, 12)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hashes, centres := tc.gen()
			idx, lin := New(-1), NewLinear(-1)
			for i, h := range hashes {
				idx.Add(uint64(i), h, 100)
				lin.Add(uint64(i), h, 100)
			}
			// Incremental changes: remove a third, re-add some under new
			// hashes, replace others in place.
			for i := 0; i < len(hashes); i += 3 {
				if idx.Remove(uint64(i)) != lin.Remove(uint64(i)) {
					t.Fatalf("Remove(%d) disagrees", i)
				}
			}
			for i := 0; i < len(hashes); i += 7 {
				h := flip(r, hashes[i], r.IntN(20))
				idx.Add(uint64(i), h, 100)
				lin.Add(uint64(i), h, 100)
			}
			if idx.Len() != lin.Len() {
				t.Fatalf("Len %d != %d", idx.Len(), lin.Len())
			}
			total := 0
			for qi := range 300 {
				q := flip(r, centres[qi%len(centres)], r.IntN(30))
				if qi%5 == 0 {
					q = randomHash(r)
				}
				for _, radius := range []int{0, 10, 15, 16, 31, 32, 47, 48, 70} {
					got := idx.Query(q, radius, nil)
					want := lin.Query(q, radius, nil)
					if !slices.Equal(got, want) {
						t.Fatalf("query %d radius %d: index %d results, linear %d\nindex  %v\nlinear %v", qi, radius, len(got), len(want), got, want)
					}
					if radius == DefaultRadius {
						total += len(got)
					}
				}
			}
			t.Logf("%d matches at radius 31 over 300 queries", total)
			if tc.name != "random" && total == 0 {
				t.Fatal("clustered data produced no matches: the test is vacuous")
			}
		})
	}
}

func TestQuality(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	h := randomHash(r)
	for _, s := range []searcher{New(-1), NewLinear(-1)} {
		if s.Add(1, h, imagehash.MinQuality-1) {
			t.Fatalf("%T indexed a low-quality hash", s)
		}
		if !s.Add(2, h, imagehash.MinQuality) {
			t.Fatalf("%T refused a hash at the minimum quality", s)
		}
		if got := s.Match(h, 100, nil); len(got) != 1 || got[0] != (Result{2, 0}) {
			t.Fatalf("%T Match = %v", s, got)
		}
		if got := s.Match(h, 10, nil); len(got) != 0 {
			t.Fatalf("%T matched a low-quality query: %v", s, got)
		}
		// Replacing with a low-quality hash drops the old one.
		s.Add(2, h, 0)
		if s.Len() != 0 {
			t.Fatalf("%T kept a replaced hash", s)
		}
	}
}

func TestConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	hashes, centres := clustered(r, 2000, 10, 30)
	idx := New(-1)
	for i, h := range hashes {
		idx.Add(uint64(i), h, 100)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			var dst []Result
			for i := range 200 {
				dst = idx.Query(centres[(g+i)%len(centres)], 31, dst[:0])
			}
		})
	}
	wg.Go(func() {
		for i := range 1000 {
			idx.Remove(uint64(i))
			idx.Add(uint64(i), hashes[i], 100)
		}
	})
	wg.Wait()
	if idx.Len() != len(hashes) {
		t.Fatalf("Len = %d", idx.Len())
	}
}

func readHashes(t *testing.T, path string) []imagehash.Hash {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []imagehash.Hash
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		h, err := imagehash.ParseHex(sc.Text())
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, h)
	}
	return out
}

// TestReferenceNeedles runs the reference's index regression data: the
// index must agree with the linear scan on every needle.
func TestReferenceNeedles(t *testing.T) {
	dir := refdata.Dir(t)
	hay := readHashes(t, filepath.Join(dir, "haystack.txt"))
	needles := readHashes(t, filepath.Join(dir, "needles.txt"))
	idx, lin := New(-1), NewLinear(-1)
	for i, h := range hay {
		idx.Add(uint64(i), h, 100)
		lin.Add(uint64(i), h, 100)
	}
	found, total := 0, 0
	for i, n := range needles {
		got := idx.Query(n, DefaultRadius, nil)
		want := lin.Query(n, DefaultRadius, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("needle %d: index %v, linear %v", i, got, want)
		}
		if len(got) > 0 {
			found++
		}
		total += len(got)
	}
	t.Logf("%d haystack hashes, %d needles: %d needles matched, %d matches in all", len(hay), len(needles), found, total)
}

// Benchmarks.
//
// BenchmarkQuery builds each index once (outside the timed sub-benchmarks)
// at 1M hashes, and at 10M when HALLMARK_BENCH_10M=1 and -short is not set:
// the 10M indexes take gigabytes and tens of seconds to build, so they stay
// out of the normal suite. Run for example:
//
//	go test ./screen/imagehash/hindex -run '^$' -bench Query -benchtime=2000x
//	HALLMARK_BENCH_10M=1 go test ./screen/imagehash/hindex -run '^$' -bench Query -benchtime=500x -timeout 30m
//
// The linear scan is measured at 1M only, for the speed-up ratio.
func BenchmarkQuery(b *testing.B) {
	sizes := []int{1_000_000}
	if !testing.Short() && os.Getenv("HALLMARK_BENCH_10M") == "1" {
		sizes = append(sizes, 10_000_000)
	}
	for _, n := range sizes {
		for _, kind := range []string{"random", "clustered"} {
			r := rand.New(rand.NewPCG(uint64(n), 7))
			var hashes, queries []imagehash.Hash
			if kind == "random" {
				hashes = make([]imagehash.Hash, n)
				for i := range hashes {
					hashes[i] = randomHash(r)
				}
				// Half the queries are near an indexed hash, half unrelated.
				for i := range 1024 {
					if i%2 == 0 {
						queries = append(queries, flipFast(r, hashes[r.IntN(n)], 20))
					} else {
						queries = append(queries, randomHash(r))
					}
				}
			} else {
				var centres []imagehash.Hash
				hashes, centres = clustered(r, n, n/100, 40)
				for range 1024 {
					queries = append(queries, flipFast(r, centres[r.IntN(len(centres))], 10))
				}
			}
			name := fmt.Sprintf("n=%dM/%s", n/1_000_000, kind)

			var idx *Index
			perHash := heapDelta(func() {
				idx = New(-1)
				for i, h := range hashes {
					idx.Add(uint64(i), h, 100)
				}
			}) / float64(n)
			runQueries(b, name+"/index", idx, queries, perHash)

			if n <= 1_000_000 {
				var lin *Linear
				perHash := heapDelta(func() {
					lin = NewLinear(-1)
					for i, h := range hashes {
						lin.Add(uint64(i), h, 100)
					}
				}) / float64(n)
				runQueries(b, name+"/linear", lin, queries, perHash)
				lin = nil
			}
			idx = nil
			runtime.GC()
		}
	}
}

func runQueries(b *testing.B, name string, s searcher, queries []imagehash.Hash, perHash float64) {
	b.Run(name, func(b *testing.B) {
		var dst []Result
		matches := 0
		i := 0
		cpu := benchutil.Start("")
		for b.Loop() {
			dst = s.Query(queries[i%len(queries)], DefaultRadius, dst[:0])
			matches += len(dst)
			i++
		}
		cpu.Stop(b)
		b.ReportMetric(perHash, "B/hash")
		b.ReportMetric(float64(matches)/float64(i), "matches/op")
	})
}

// heapDelta is the live heap that build leaves behind.
func heapDelta(build func()) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}
