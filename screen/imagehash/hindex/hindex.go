// Package hindex finds PDQ hashes within a Hamming radius of a query,
// exactly, over millions of indexed hashes.
//
// Index is multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in
// Hamming Space with Multi-Index Hashing", CVPR 2012). The 256 bits are cut
// into 16 chunks of 16 bits. If two hashes are within distance r, their 16
// chunk distances sum to at most r, so by the pigeonhole principle at least
// one chunk is within floor(r/16) of the query's chunk. For the matching
// radius of 31 that is 1: each chunk is looked up at its own value and its
// 16 one-bit neighbours (17 probes, 272 in all) in a table of 65536 buckets,
// and every candidate found is verified against the full 256 bits. Nothing
// is approximate: the result equals a linear scan's (Linear, the test
// oracle).
//
// Why 16 chunks of 16 bits: with 8 chunks of 32 bits the per-chunk radius
// is 3 and each chunk needs 5489 probes into a hash map; with 32 chunks of
// 8 bits a chunk must match exactly, but 256 buckets hold N/256 hashes each,
// so a query verifies a large fraction of N. Sixteen bits gives flat arrays
// of 65536 buckets holding about N/65536 hashes each.
//
// Each bucket entry carries 96 of the hash's bits besides the slot number,
// so that unrelated candidates (nearly all of them) are rejected during a
// sequential scan of the bucket instead of by a random access to the full
// hash. That costs memory (16 bytes x 16 chunks per hash, plus slack) and
// buys most of the speed at 10M hashes. A query also loads all the bucket
// headers it will need before scanning any, so that their cache misses
// overlap instead of being paid one after another.
//
// Both structures are incremental (Add and Remove never rebuild) and safe
// for concurrent use: queries share a read lock, changes take the write
// lock.
//
// Benchmarks: BenchmarkQuery measures radius-31 queries over 1M random and
// clustered hashes, with the linear scan alongside for the ratio. The 10M
// cases need several GB and a long build, so they run only when
// HALLMARK_BENCH_10M=1 is set and -short is not:
//
//	HALLMARK_BENCH_10M=1 go test ./screen/imagehash/hindex -run '^$' -bench Query -benchtime=300x -timeout 30m
package hindex

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/hallmark-dev/hallmark/screen/imagehash"
)

const (
	nChunks   = 16
	chunkBits = 256 / nChunks
	nBuckets  = 1 << chunkBits
	// maxProbeRc is the largest per-chunk radius probed (radius 47). At 3
	// the probes grow to 697 per chunk and the 128-bit prefilter stops
	// rejecting much, so such wide queries scan everything instead.
	maxProbeRc = 2
)

// DefaultRadius is the reference's matching threshold.
const DefaultRadius = 31

// Result is one indexed hash within the query radius.
type Result struct {
	ID       uint64
	Distance int
}

// words is a hash as four 64-bit words: XOR and popcount on these is the
// whole cost of verifying a candidate.
type words = [4]uint64

func distance(a, b *words) int {
	return bits.OnesCount64(a[0]^b[0]) + bits.OnesCount64(a[1]^b[1]) +
		bits.OnesCount64(a[2]^b[2]) + bits.OnesCount64(a[3]^b[3])
}

func chunk(w *words, c int) uint16 {
	return uint16(w[c/4] >> (16 * (c % 4)))
}

// sortResults orders results nearest first, ties by ID, so that results
// do not depend on insertion order or on the index structure.
func sortResults(r []Result) {
	slices.SortFunc(r, func(a, b Result) int {
		if c := cmp.Compare(a.Distance, b.Distance); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// entry is a bucket element: the slot of an indexed hash and 96 of its
// bits, taken from the words that do not hold the bucket's chunk. The
// distance on those bits is a lower bound of the full distance, and for an
// unrelated hash it is about 48 (standard deviation 5), so at radius 31
// all but about 3 in 10,000 non-matches are rejected while scanning the
// bucket sequentially, without touching the hash table: that random
// access, one cache miss per candidate, would otherwise be most of a
// query's time at 10M hashes.
//
// Sixteen bytes: 96 filter bits rather than 128 keep the entry a power of
// two and the index a fifth smaller, for a filter that is nearly as good.
type entry [4]uint32

func makeEntry(w *words, c int, s uint32) entry {
	a, b := w[filterWord(c, 1)], w[filterWord(c, 2)]
	return entry{uint32(a), uint32(a >> 32), uint32(b >> 32), s}
}

// filterWord is the k-th word after the one holding chunk c.
func filterWord(c, k int) int { return (c/4 + k) % 4 }

func (e *entry) slot() uint32 { return e[3] }

// Index is the multi-index hash table. The zero value is not usable; call
// New.
type Index struct {
	mu         sync.RWMutex
	radius     int
	minQuality int

	// Entries live in slots; a removed entry's slot is reused, so slot
	// numbers stay dense and fit in the uint32 bucket entries.
	hashes []words
	ids    []uint64
	free   []uint32
	slot   map[uint64]uint32

	// buckets[c][v] lists the entries whose chunk c has value v.
	buckets [nChunks][][]entry
}

// New returns an empty index whose Match uses radius (DefaultRadius when
// radius < 0) and which ignores hashes of quality below
// imagehash.MinQuality.
func New(radius int) *Index {
	if radius < 0 {
		radius = DefaultRadius
	}
	x := &Index{radius: radius, minQuality: imagehash.MinQuality, slot: make(map[uint64]uint32)}
	for c := range x.buckets {
		x.buckets[c] = make([][]entry, nBuckets)
	}
	return x
}

// SetMinQuality changes the quality below which Add refuses hashes and
// Match refuses queries.
func (x *Index) SetMinQuality(q int) {
	x.mu.Lock()
	x.minQuality = q
	x.mu.Unlock()
}

// Len is the number of indexed hashes.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.slot)
}

// Add indexes h under id, replacing any hash already stored for id. A hash
// whose quality is below the minimum is not indexed (and the old one, if
// any, is still removed: the id now stands for an untrustworthy image);
// Add reports whether h was indexed.
func (x *Index) Add(id uint64, h imagehash.Hash, quality int) bool {
	w := h.Words()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(id)
	if quality < x.minQuality {
		return false
	}
	var s uint32
	if n := len(x.free); n > 0 {
		s = x.free[n-1]
		x.free = x.free[:n-1]
		x.hashes[s], x.ids[s] = w, id
	} else {
		if len(x.hashes) == math.MaxUint32 {
			panic("hindex: more than 2^32-1 hashes in one index")
		}
		s = uint32(len(x.hashes))
		x.hashes = append(x.hashes, w)
		x.ids = append(x.ids, id)
	}
	x.slot[id] = s
	for c := range nChunks {
		b := &x.buckets[c][chunk(&w, c)]
		if len(*b) == cap(*b) {
			// Grow by a quarter rather than append's doubling: buckets
			// hold a dozen or a few hundred entries and are nearly all of
			// the index's memory, and doubling would leave a third of it
			// unused on average.
			nb := make([]entry, len(*b), len(*b)+len(*b)/4+4)
			copy(nb, *b)
			*b = nb
		}
		*b = append(*b, makeEntry(&w, c, s))
	}
	return true
}

// Remove deletes id's hash and reports whether there was one.
func (x *Index) Remove(id uint64) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.remove(id)
}

func (x *Index) remove(id uint64) bool {
	s, ok := x.slot[id]
	if !ok {
		return false
	}
	delete(x.slot, id)
	w := &x.hashes[s]
	for c := range nChunks {
		b := &x.buckets[c][chunk(w, c)]
		i := slices.IndexFunc(*b, func(e entry) bool { return e.slot() == s })
		last := len(*b) - 1
		(*b)[i] = (*b)[last]
		*b = (*b)[:last]
	}
	x.free = append(x.free, s)
	return true
}

// Match returns the hashes within the index's radius of h, or nothing when
// quality is below the minimum: a flat image matches everything flat.
func (x *Index) Match(h imagehash.Hash, quality int, dst []Result) []Result {
	x.mu.RLock()
	r, mq := x.radius, x.minQuality
	x.mu.RUnlock()
	if quality < mq {
		return dst
	}
	return x.Query(h, r, dst)
}

// Query appends to dst every indexed hash within radius of h, nearest
// first (ties by ID), and returns the extended slice.
func (x *Index) Query(h imagehash.Hash, radius int, dst []Result) []Result {
	if radius < 0 {
		return dst
	}
	q := h.Words()
	start := len(dst)
	x.mu.RLock()
	rc := radius / nChunks
	if rc > maxProbeRc {
		for id, s := range x.slot {
			if d := distance(&q, &x.hashes[s]); d <= radius {
				dst = append(dst, Result{ID: id, Distance: d})
			}
		}
	} else {
		// Gather every bucket to probe, touch each, then scan them. The
		// bucket headers and the buckets' first cache lines are scattered
		// over hundreds of megabytes; loaded one after another as the scan
		// reaches them, each is a cache miss paid in full, while issued
		// back to back without dependencies the processor overlaps them.
		sc := scratchPool.Get().(*scratch)
		probes := sc.probes[:0]
		for c := range nChunks {
			table := x.buckets[c]
			v := chunk(&q, c)
			probes = append(probes, probe{c, table[v]})
			if rc >= 1 {
				for i := range chunkBits {
					v1 := v ^ 1<<i
					probes = append(probes, probe{c, table[v1]})
					if rc >= 2 {
						for j := i + 1; j < chunkBits; j++ {
							probes = append(probes, probe{c, table[v1^1<<j]})
						}
					}
				}
			}
		}
		var touch uint32
		for _, p := range probes {
			if len(p.bucket) > 0 {
				touch ^= p.bucket[0][3]
			}
		}
		sc.touch = touch // keeps the loads from being optimised away
		for _, p := range probes {
			dst = x.scan(&q, radius, rc, p.chunk, p.bucket, dst)
		}
		clear(probes) // do not pin buckets that Add may replace
		sc.probes = probes[:0]
		scratchPool.Put(sc)
	}
	x.mu.RUnlock()
	sortResults(dst[start:])
	return dst
}

type probe struct {
	chunk  int
	bucket []entry
}

type scratch struct {
	probes []probe
	touch  uint32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// scan verifies the entries of one bucket of chunk c. A hash can be found
// through several chunks; it is reported only through the first chunk
// within rc of the query, which every match has, so each match is reported
// exactly once without a "seen" set.
func (x *Index) scan(q *words, radius, rc, c int, bucket []entry, dst []Result) []Result {
	fa, fb := q[filterWord(c, 1)], uint32(q[filterWord(c, 2)]>>32)
	for i := range bucket {
		e := &bucket[i]
		a := uint64(e[0]) | uint64(e[1])<<32
		if bits.OnesCount64(a^fa)+bits.OnesCount32(e[2]^fb) > radius {
			continue
		}
		s := e.slot()
		w := &x.hashes[s]
		d := distance(q, w)
		if d > radius {
			continue
		}
		first := true
		for c0 := range c {
			if bits.OnesCount16(chunk(q, c0)^chunk(w, c0)) <= rc {
				first = false
				break
			}
		}
		if first {
			dst = append(dst, Result{ID: x.ids[s], Distance: d})
		}
	}
	return dst
}

// Linear is a brute-force scan with the same API as Index: the oracle for
// Index's tests and the baseline of its benchmarks. Its cost is one XOR and
// popcount per stored hash per query.
type Linear struct {
	mu         sync.RWMutex
	radius     int
	minQuality int
	hashes     []words
	ids        []uint64
	pos        map[uint64]int
}

// NewLinear returns an empty linear index; see New.
func NewLinear(radius int) *Linear {
	if radius < 0 {
		radius = DefaultRadius
	}
	return &Linear{radius: radius, minQuality: imagehash.MinQuality, pos: make(map[uint64]int)}
}

// SetMinQuality is Index.SetMinQuality.
func (l *Linear) SetMinQuality(q int) {
	l.mu.Lock()
	l.minQuality = q
	l.mu.Unlock()
}

// Len is the number of indexed hashes.
func (l *Linear) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.ids)
}

// Add is Index.Add.
func (l *Linear) Add(id uint64, h imagehash.Hash, quality int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.remove(id)
	if quality < l.minQuality {
		return false
	}
	l.pos[id] = len(l.ids)
	l.hashes = append(l.hashes, h.Words())
	l.ids = append(l.ids, id)
	return true
}

// Remove is Index.Remove.
func (l *Linear) Remove(id uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.remove(id)
}

func (l *Linear) remove(id uint64) bool {
	i, ok := l.pos[id]
	if !ok {
		return false
	}
	delete(l.pos, id)
	last := len(l.ids) - 1
	if i != last {
		l.hashes[i], l.ids[i] = l.hashes[last], l.ids[last]
		l.pos[l.ids[i]] = i
	}
	l.hashes, l.ids = l.hashes[:last], l.ids[:last]
	return true
}

// Match is Index.Match.
func (l *Linear) Match(h imagehash.Hash, quality int, dst []Result) []Result {
	l.mu.RLock()
	r, mq := l.radius, l.minQuality
	l.mu.RUnlock()
	if quality < mq {
		return dst
	}
	return l.Query(h, r, dst)
}

// Query is Index.Query.
func (l *Linear) Query(h imagehash.Hash, radius int, dst []Result) []Result {
	if radius < 0 {
		return dst
	}
	q := h.Words()
	start := len(dst)
	l.mu.RLock()
	for i := range l.hashes {
		if d := distance(&q, &l.hashes[i]); d <= radius {
			dst = append(dst, Result{ID: l.ids[i], Distance: d})
		}
	}
	l.mu.RUnlock()
	sortResults(dst[start:])
	return dst
}
