package screen

import (
	"fmt"
	"image"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/screen/imagehash"
	"github.com/hallmark-dev/hallmark/screen/imagehash/hindex"
)

// The stolen-photo evaluation: real photos and photo-like generated ones
// are registered as protected, then listed again after the edits sellers
// make (edits in images_edit_test.go). A copy must come back within the
// match radius of its own original (at least 95% of copies); a copy must
// never come within the block distance of another original, and at most
// 2% of copies may come within the match radius of one (a legitimate
// listing sent to review).

const (
	evalRadius    = hindex.DefaultRadius // review
	evalBlock     = 16                   // rule brand_photo_close
	evalSynthetic = 40
)

var realPhotos = []string{
	"bridge-1-original.jpg", "mods-aaa-orig.jpg", "q0003.jpg", "q0004.jpg", "q0122.jpg", "q0291.jpg",
	"q0746.jpg", "q1050.jpg", "q2821.jpg", "small.jpg", "wee.jpg", "c.png", "pen-and-coaster.png",
}

type evalOriginal struct {
	name     string
	group    int // originals of one photo share a group
	img      *image.RGBA
	variants []ImageVariant
}

// evalCopy is one edited copy of an original, hashed as a listing image.
type evalCopy struct {
	src, edit int
	li        ListingImage
}

type evalConfig struct {
	name     string
	register func(o *evalOriginal) []ImageVariant
	listing  func(li ListingImage) ListingImage
}

var evalConfigs = []evalConfig{
	{"baseline (PDQ of the whole image)",
		func(o *evalOriginal) []ImageVariant { return o.variants[:1] },
		func(li ListingImage) ListingImage { li.Alternates = nil; return li }},
	{"registered crops + trimmed frames",
		func(o *evalOriginal) []ImageVariant { return o.variants },
		func(li ListingImage) ListingImage { return li }},
}

func loadEvalOriginals(t *testing.T) []*evalOriginal {
	dir := refImagesDir(t)
	var origs []*evalOriginal
	for _, name := range realPhotos {
		img, err := imagehash.DecodeFile(filepath.Join(dir, name), imagehash.DefaultMaxPixels)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, q := imagehash.HashImage(img); q < imagehash.MinQuality {
			t.Logf("%s: quality %d below %d, skipped", name, q, imagehash.MinQuality)
			continue
		}
		origs = append(origs, &evalOriginal{name: name, img: toRGBA(img)})
	}
	for i := range evalSynthetic {
		origs = append(origs, &evalOriginal{name: fmt.Sprintf("synthetic-%02d", i), img: photoLike(uint64(1000 + i))})
	}
	parallel(len(origs), func(i int) { origs[i].variants = ImageVariants(origs[i].img) })
	// Two originals of one photo (the reference set holds the bridge twice)
	// are not negatives of each other.
	for i, o := range origs {
		o.group = i
		for _, p := range origs[:i] {
			if d := o.variants[0].Hash.Distance(p.variants[0].Hash); d <= evalRadius {
				t.Logf("%s and %s are one photo (distance %d)", o.name, p.name, d)
				o.group = p.group
			}
		}
	}
	return origs
}

func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	ch := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range ch {
				f(i)
			}
		})
	}
	for i := range n {
		ch <- i
	}
	close(ch)
	wg.Wait()
}

type editStats struct {
	n, hit31, hit16, lowQuality int
	dists                       []int // own-original distance of each copy (257: not hashable)
	false31, false16            int   // copies matching another original
	pairs31, pairs16            int   // (copy, other original) pairs matching
}

func (s *editStats) add(o editStats) {
	s.n += o.n
	s.hit31 += o.hit31
	s.hit16 += o.hit16
	s.lowQuality += o.lowQuality
	s.dists = append(s.dists, o.dists...)
	s.false31 += o.false31
	s.false16 += o.false16
	s.pairs31 += o.pairs31
	s.pairs16 += o.pairs16
}

func pct(a, n int) float64 { return 100 * float64(a) / float64(max(n, 1)) }

func (s *editStats) row(name string) string {
	d := slices.Clone(s.dists)
	slices.Sort(d)
	q := func(p float64) int { return d[min(len(d)-1, int(p*float64(len(d))))] }
	return fmt.Sprintf("%-24s %4d %6.1f%% %6.1f%% %5d %5d %5d %5d %4d | %4d %4d %5d %5d",
		name, s.n, pct(s.hit31, s.n), pct(s.hit16, s.n), d[0], q(.5), q(.9), d[len(d)-1], s.lowQuality,
		s.false31, s.false16, s.pairs31, s.pairs16)
}

func evaluate(origs []*evalOriginal, copies []evalCopy, cfg evalConfig) (per []editStats, target, extra editStats, hashes int) {
	idx := NewBrandImages(evalRadius, imagehash.MinQuality)
	for i, o := range origs {
		if err := idx.AddVariants(hallmark.BrandImage{ID: fmt.Sprint(i), BrandID: "b"}, cfg.register(o)); err != nil {
			panic(err)
		}
	}
	hashes = idx.Hashes()
	per = make([]editStats, len(edits))
	for _, c := range copies {
		s := &per[c.edit]
		li := cfg.listing(c.li)
		s.n++
		own := 257
		if li.Quality < imagehash.MinQuality {
			s.lowQuality++
		}
		var f31, f16 bool
		for _, m := range idx.Match(li) {
			o := origs[atoi(m.BrandImageID)]
			if o.group == origs[c.src].group {
				own = min(own, m.Distance)
				continue
			}
			s.pairs31++
			f31 = true
			if m.Distance <= evalBlock {
				s.pairs16++
				f16 = true
			}
		}
		if own == 257 {
			own = bruteDistance(li, cfg.register(origs[c.src]))
		}
		s.dists = append(s.dists, own)
		if own <= evalRadius && li.Quality >= imagehash.MinQuality {
			s.hit31++
			if own <= evalBlock {
				s.hit16++
			}
		}
		if f31 {
			s.false31++
		}
		if f16 {
			s.false16++
		}
	}
	for i, s := range per {
		if edits[i].extra {
			extra.add(s)
		} else {
			target.add(s)
		}
	}
	return per, target, extra, hashes
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// bruteDistance is the closest any reading of li comes to any variant, for
// the distribution of copies the index did not return.
func bruteDistance(li ListingImage, vs []ImageVariant) int {
	best := 256
	sets := [][8]imagehash.Hash{li.Variants}
	for _, a := range li.Alternates {
		sets = append(sets, a.Variants)
	}
	for _, set := range sets {
		for _, h := range set {
			for _, v := range vs {
				best = min(best, h.Distance(v.Hash))
			}
		}
	}
	return best
}

func TestImageMatchEval(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluation skipped in -short mode")
	}
	origs := loadEvalOriginals(t)
	copies := make([]evalCopy, len(origs)*len(edits))
	parallel(len(copies), func(k int) {
		src, e := k/len(edits), k%len(edits)
		copies[k] = evalCopy{src: src, edit: e, li: HashListingImage(edits[e].apply(origs[src].img))}
	})
	header := fmt.Sprintf("%-24s %4s %7s %7s %5s %5s %5s %5s %4s | %4s %4s %5s %5s",
		"edit", "n", "<=31", "<=16", "dmin", "dmed", "d90", "dmax", "lowq", "fl31", "fl16", "fp31", "fp16")
	var last editStats
	for _, cfg := range evalConfigs {
		per, total, extra, hashes := evaluate(origs, copies, cfg)
		var b strings.Builder
		fmt.Fprintf(&b, "\n== %s: %d originals, %d hashes indexed, %d copies\n", cfg.name, len(origs), hashes, len(copies))
		fmt.Fprintln(&b, "   (<=31, <=16: copies matched to their own original; d*: own distance; lowq: copy quality < 50;")
		fmt.Fprintln(&b, "    fl31/fl16: copies matching another original; fp31/fp16: such (copy, original) pairs)")
		fmt.Fprintln(&b, header)
		for i, e := range edits {
			name := e.name
			if e.extra {
				name = "*" + name
			}
			fmt.Fprintln(&b, per[i].row(name))
		}
		fmt.Fprintln(&b, total.row("ALL target edits"))
		fmt.Fprintln(&b, extra.row("ALL *extra edits"))
		t.Log(b.String())
		last = total
	}
	if r := pct(last.hit31, last.n); r < 95 {
		t.Errorf("stolen copies matched within %d: %.1f%%, want >= 95%%", evalRadius, r)
	}
	if last.false16 > 0 {
		t.Errorf("%d copies within the block distance %d of another original, want 0", last.false16, evalBlock)
	}
	if r := pct(last.false31, last.n); r > 2 {
		t.Errorf("copies within %d of another original: %.1f%%, want <= 2%%", evalRadius, r)
	}
}
