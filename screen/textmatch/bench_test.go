package textmatch

import (
	"math/rand/v2"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// synthTerms makes nBrands brands of about five marks each: random
// pronounceable names of one to three words, with some ordinary English
// words mixed in, as a registry of that size would have.
func synthTerms(r *rand.Rand, nBrands int) []Term {
	cons := []string{"b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "tr", "br", "st"}
	vows := []string{"a", "e", "i", "o", "u", "ai", "ou"}
	name := func() string {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(cons[r.IntN(len(cons))])
			b.WriteString(vows[r.IntN(len(vows))])
		}
		if r.IntN(2) == 0 {
			b.WriteString(cons[r.IntN(len(cons))])
		}
		s := b.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	// Ordinary words, as in "Apple" or "Off-White": drawn from the embedded
	// dictionary so they repeat as rarely as real marks do.
	wordsOnce.Do(loadWords)
	var ordinary []string
	for _, w := range wordList {
		if len(w) >= 4 {
			ordinary = append(ordinary, w)
		}
	}
	slices.Sort(ordinary)
	var terms []Term
	for range nBrands {
		for range 5 {
			var words []string
			nw := 1 + r.IntN(3)
			if r.IntN(500) == 0 {
				// A rare ordinary single-word mark ("Apple", "Coach").
				terms = append(terms, Term{Text: ordinary[r.IntN(len(ordinary))]})
				continue
			}
			for k := range nw {
				if nw > 1 && k == 0 && r.IntN(5) == 0 {
					words = append(words, ordinary[r.IntN(len(ordinary))])
				} else {
					words = append(words, name())
				}
			}
			terms = append(terms, Term{Text: strings.Join(words, " "), Typos: true, Joined: true})
		}
	}
	return terms
}

var fillerWords = strings.Fields(`the a new with for and in of size color black white leather bag shoes men women
original genuine authentic free shipping fast 100% quality brand box dust sale discount best price cotton
premium limited edition classic vintage style fashion casual sport running comfortable cm mm kg 2024 XL
iPhone 15 Pro Max case 42 90 air slim fit cross body wallet watch steel gold silver strap waterproof`)

func synthListing(r *rand.Rand, terms []Term) string {
	var b strings.Builder
	for b.Len() < 480 {
		switch x := r.IntN(40); {
		case x == 0:
			b.WriteString(terms[r.IntN(len(terms))].Text)
		case x == 1:
			// A disguised mark: split letters.
			t := []rune(terms[r.IntN(len(terms))].Text)
			for i, c := range t {
				if i > 0 {
					b.WriteByte('.')
				}
				b.WriteRune(c)
			}
		case x == 2:
			b.WriteString(strings.ReplaceAll(strings.ToLower(terms[r.IntN(len(terms))].Text), "o", "0"))
		default:
			b.WriteString(fillerWords[r.IntN(len(fillerWords))])
		}
		b.WriteByte(' ')
	}
	return b.String()
}

func BenchmarkNewMatcher(b *testing.B) {
	terms := synthTerms(rand.New(rand.NewPCG(1, 2)), 10000)
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := NewMatcher(terms); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(len(terms)), "marks")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(n), "cpu-ms/op")
}

func BenchmarkFind(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	terms := synthTerms(r, 10000)
	m, err := NewMatcher(terms)
	if err != nil {
		b.Fatal(err)
	}
	listings := make([]string, 1000)
	for i := range listings {
		listings[i] = synthListing(r, terms)
	}
	var dst []Match
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		dst = m.Find(listings[n%len(listings)], dst[:0])
		n++
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "listings/s")
	// The machine is shared, so wall time overstates the cost; the
	// process's CPU time says what one core actually spent.
	if cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "listings/cpu-s")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFindRealBrands screens ordinary listings, mostly clean, against
// the test set of real marks and replica phrases.
func BenchmarkFindRealBrands(b *testing.B) {
	m, _ := matcher(b)
	listings := []string{
		"Brand new running shoes for men, breathable mesh, size 10. Ships fast from our warehouse. Comes with original box and receipt. Great for gym, jogging, tennis and daily wear. Color: black/white. Free returns within 30 days, 100% satisfaction guaranteed. Buy 2 get 10% off!",
		"Vintage leather handbag with gold hardware, crossbody strap, dust bag included. Authentic guaranteed, serial number inside. Perfect gift for mother's day. Measurements 25x18x9cm. Minor wear on the corners, see photos. Smoke-free home. Ships within 24h with tracking.",
		"L0uis Vuitt0n Neverfull MM 1:1 mirror quality, G.U.C.C.I belt gift, top AAA grade, 高仿 原单, comes with dust bag and box. WhatsApp for more pics. Worldwide shipping, PayPal accepted, no returns. Nikeshoes also available, DM me.",
		"Wireless earbuds compatible with iPhone 15 Pro Max and Samsung Galaxy S24, noise cancelling, 30h battery, USB-C charging case, IPX5 waterproof, touch control, 2pcs ear tips set, 1 year warranty. Model TWS-X9, 4.8 stars from 2,000+ buyers.",
	}
	var dst []Match
	b.ReportAllocs()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		dst = m.Find(listings[n%len(listings)], dst[:0])
		n++
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "listings/s")
	if cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "listings/cpu-s")
	}
}
