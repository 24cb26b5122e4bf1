// Command devsetgen generates Hallmark's labelled development set: a brand
// registry and about 1,500 marketplace listings labelled counterfeit or legit,
// each tagged with the case it exercises.
//
// The output is deterministic (fixed seed), so the committed files can be
// regenerated and diffed:
//
//	go run ./internal/devsetgen -out testdata/devset
//
// Templated listings come from the brand table and the word pools in this
// package; the hand-written tricky listings in <out>/handwritten.jsonl are
// validated and merged into <out>/listings.jsonl.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
)

// Listing is one line of listings.jsonl.
type Listing struct {
	ID          string   `json:"id"`
	SellerID    string   `json:"seller_id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Price       float64  `json:"price"`
	Currency    string   `json:"currency"`
	Category    string   `json:"category"`
	Images      []string `json:"images"`
	Label       string   `json:"label"`
	Case        string   `json:"case"`
}

type registryBrand struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	Terms             []string `json:"terms"`
	Category          string   `json:"category"`
	MinPrice          float64  `json:"min_price"`
	AuthorizedSellers []string `json:"authorized_sellers"`
	Images            []string `json:"images"`
}

func main() {
	out := flag.String("out", "testdata/devset", "directory to write registry.json and listings.jsonl into (reads handwritten.jsonl from it)")
	seed := flag.Uint64("seed", 20261122, "random seed")
	flag.Parse()
	if err := run(*out, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "devsetgen:", err)
		os.Exit(1)
	}
}

func run(dir string, seed uint64) error {
	g := newGen(seed)
	if err := writeRegistry(filepath.Join(dir, "registry.json")); err != nil {
		return err
	}
	ls := g.generate()
	hw, err := readHandwritten(filepath.Join(dir, "handwritten.jsonl"))
	if err != nil {
		return err
	}
	ls = append(ls, hw...)
	g.r.Shuffle(len(ls), func(i, j int) { ls[i], ls[j] = ls[j], ls[i] })
	if err := validateAll(ls); err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, l := range ls {
		b, err := marshal(l)
		if err != nil {
			return err
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "listings.jsonl"), buf.Bytes(), 0o644); err != nil {
		return err
	}
	printCounts(ls, len(hw))
	return nil
}

// marshal encodes without HTML escaping so the file stays readable.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func writeRegistry(path string) error {
	var reg struct {
		Brands []registryBrand `json:"brands"`
	}
	for _, b := range brands {
		reg.Brands = append(reg.Brands, registryBrand{ID: b.id, Name: b.name, Terms: b.terms, Category: b.category,
			MinPrice: b.min, AuthorizedSellers: b.sellers, Images: []string{}})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(reg); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func readHandwritten(path string) ([]Listing, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ls []Listing
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		var l Listing
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if l.Images == nil {
			l.Images = []string{}
		}
		ls = append(ls, l)
	}
	return ls, sc.Err()
}

func validateAll(ls []Listing) error {
	seen := map[string]bool{}
	for _, l := range ls {
		if seen[l.ID] {
			return fmt.Errorf("duplicate id %s", l.ID)
		}
		seen[l.ID] = true
		hl := hallmark.Listing{ID: l.ID, SellerID: l.SellerID, Title: l.Title, Description: l.Description,
			Price: l.Price, Currency: l.Currency, Category: l.Category, Images: l.Images}
		if err := hl.Validate(); err != nil {
			return fmt.Errorf("%s: %w", l.ID, err)
		}
		for _, s := range []string{l.Title, l.Description} {
			if len(s) < 10 || len(s) > 500 {
				return fmt.Errorf("%s: text of %d bytes (want 10-500): %q", l.ID, len(s), s)
			}
			if !utf8.ValidString(s) {
				return fmt.Errorf("%s: invalid UTF-8", l.ID)
			}
		}
		switch {
		case l.Label == "counterfeit" && strings.HasPrefix(l.Case, "cf_"):
		case l.Label == "legit" && strings.HasPrefix(l.Case, "lg_"):
		default:
			return fmt.Errorf("%s: label %q does not fit case %q", l.ID, l.Label, l.Case)
		}
	}
	return nil
}

func printCounts(ls []Listing, handwritten int) {
	byLabel := map[string]int{}
	byCase := map[string]int{}
	for _, l := range ls {
		byLabel[l.Label]++
		byCase[l.Label+"\t"+l.Case]++
	}
	fmt.Printf("listings: %d (handwritten %d)\n", len(ls), handwritten)
	for _, k := range []string{"counterfeit", "legit"} {
		fmt.Printf("%-12s %5d  %.1f%%\n", k, byLabel[k], 100*float64(byLabel[k])/float64(len(ls)))
	}
	keys := make([]string, 0, len(byCase))
	for k := range byCase {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("  %-40s %4d\n", k, byCase[k])
	}
}

// gen holds the random source and the state that keeps titles unique.
type gen struct {
	r         *rand.Rand
	n         int
	titles    map[string]bool
	sellers   []string
	markWords map[string]bool // lower-cased registered terms and brand names
}

func newGen(seed uint64) *gen {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), titles: map[string]bool{}, markWords: map[string]bool{}}
	for _, b := range brands {
		g.markWords[strings.ToLower(b.name)] = true
		for _, t := range b.terms {
			g.markWords[strings.ToLower(t)] = true
		}
	}
	g.sellers = g.thirdPartySellers(260)
	return g
}

// thirdPartySellers makes neutral seller ids. Honest resellers and
// counterfeiters draw from the same pool so that an id never tells the label.
func (g *gen) thirdPartySellers(n int) []string {
	first := []string{"urban", "golden", "lucky", "daily", "prime", "city", "sunny", "blue", "north", "happy", "star", "vintage",
		"mia", "jay", "luxe", "street", "trendy", "smart", "global", "east", "kicks", "style", "top", "bright", "maple", "pearl",
		"hk", "gz", "yiwu", "euro", "uk", "nyc", "la", "tokyo", "dragon", "oak", "river", "closet", "thrift", "wave"}
	second := []string{"finds", "deals", "store", "shop", "outlet", "trading", "closet", "market", "goods", "boutique", "resale",
		"corner", "hub", "mart", "emporium", "supply", "vault", "collective", "bazaar", "co"}
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var id string
		switch g.r.IntN(4) {
		case 0:
			id = fmt.Sprintf("s-%s%s%d", pick(g.r, first), pick(g.r, second), g.r.IntN(999))
		case 1:
			id = fmt.Sprintf("s-%d%c%c", 10000+g.r.IntN(89999), 'a'+rune(g.r.IntN(26)), 'a'+rune(g.r.IntN(26)))
		default:
			id = fmt.Sprintf("s-%s-%s", pick(g.r, first), pick(g.r, second))
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) between(lo, hi float64) float64 { return lo + g.r.Float64()*(hi-lo) }

func (g *gen) seller() string { return pick(g.r, g.sellers) }

// generate produces the templated part of the set.
func (g *gen) generate() []Listing {
	var ls []Listing
	add := func(n int, f func() (Listing, bool)) {
		for made, tries := 0, 0; made < n && tries < n*50; tries++ {
			l, ok := f()
			if !ok || g.titles[l.Title] || len(l.Title) < 10 || len(l.Title) > 200 {
				continue
			}
			g.titles[l.Title] = true
			g.n++
			l.ID = fmt.Sprintf("g%04d", g.n)
			if l.Images == nil {
				l.Images = []string{}
			}
			ls = append(ls, l)
			made++
		}
	}
	// Counterfeits.
	add(50, func() (Listing, bool) { return g.disguised("cf_confusable", confusable) })
	add(30, func() (Listing, bool) {
		return g.disguised("cf_fullwidth", func(_ *rand.Rand, s string) string { return fullwidth(s) })
	})
	add(55, func() (Listing, bool) { return g.disguised("cf_leet", leetspeak) })
	add(45, func() (Listing, bool) { return g.disguised("cf_split", split) })
	add(30, func() (Listing, bool) { return g.disguised("cf_zero_width", zeroWidthSplit) })
	add(35, g.joinedMark)
	add(55, func() (Listing, bool) { return g.disguised("cf_typo", g.safeTypo) })
	add(20, func() (Listing, bool) { return g.disguised("cf_diacritic", diacritic) })
	add(75, g.replicaEN)
	add(45, g.replicaZH)
	add(50, g.lowPrice)
	add(30, g.descOnly)
	add(35, g.abbrev)
	add(20, g.dupeMark)
	add(25, g.combo)
	// Legit.
	add(150, g.authorized)
	add(30, g.authorizedDiscount)
	add(20, g.authorizedCheap)
	add(110, g.reseller)
	add(70, g.preowned)
	add(110, g.accessory)
	add(70, func() (Listing, bool) { return g.fromItems("lg_ordinary_word", ordinaryWords) })
	add(55, func() (Listing, bool) { return g.fromItems("lg_lookalike_word", lookalikeWords) })
	add(60, func() (Listing, bool) { return g.fromItems("lg_generic", genericProducts) })
	add(40, func() (Listing, bool) { return g.fromItems("lg_other_brand", otherBrands) })
	add(20, func() (Listing, bool) { return g.fromItems("lg_disclaimer", disclaimers) })
	add(15, func() (Listing, bool) { return g.fromItems("lg_dupe_nomark", dupesNoMark) })
	add(22, func() (Listing, bool) { return g.fromItems("lg_cue_word", cueWords) })
	return ls
}

// ---- prices and currencies ----

var rates = map[string]float64{"USD": 1, "EUR": 0.92, "GBP": 0.79, "CNY": 7.2, "JPY": 150, "CAD": 1.37, "AUD": 1.52}

func (g *gen) currency(zh bool) string {
	if zh {
		if g.chance(0.6) {
			return "CNY"
		}
		return "USD"
	}
	x := g.r.Float64()
	switch {
	case x < 0.78:
		return "USD"
	case x < 0.87:
		return "EUR"
	case x < 0.93:
		return "GBP"
	case x < 0.95:
		return "CNY"
	case x < 0.97:
		return "JPY"
	case x < 0.985:
		return "CAD"
	}
	return "AUD"
}

// price converts a USD amount and rounds it the way sellers do.
func (g *gen) price(usd float64, cur string) float64 {
	v := usd * rates[cur]
	switch cur {
	case "JPY":
		if v > 2000 {
			return math.Round(v/100) * 100
		}
		return math.Round(v/10) * 10
	case "CNY":
		v = math.Round(v)
		if v >= 20 && g.chance(0.6) {
			v = math.Floor(v/10)*10 + 9
		}
		return v
	}
	if v < 1 {
		return math.Round(v*100) / 100
	}
	switch g.r.IntN(4) {
	case 0:
		return math.Floor(v) + 0.99
	case 1:
		return math.Round(v)
	case 2:
		return math.Floor(v) + 0.95
	}
	return math.Round(v*100) / 100
}

// ---- text helpers ----

func (g *gen) casing(s string) string {
	switch x := g.r.Float64(); {
	case x < 0.08:
		return strings.ToLower(s)
	case x < 0.14:
		return strings.ToUpper(s)
	}
	return s
}

// productFor categorises a product name for the listing's category field.
func productCategory(b *brand, name string) string {
	n := strings.ToLower(name)
	has := func(ws ...string) bool {
		for _, w := range ws {
			if strings.Contains(n, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("parfum", "toilette", "edp", "fragrance"):
		return "fragrance"
	case has("lipstick", "foundation", "lip glow", "serum", "moisturizer", "setting spray", "powder plus", "makeup"):
		return "cosmetics"
	case has("sneaker", "shoe", "loafer", "boot", "sandal", "trainer", "slipper"):
		return "shoes"
	case has("sunglasses"):
		return "eyewear"
	case has("belt", "scarf"):
		return "accessories"
	case has("bag", "tote", "wallet", "backpack", "duffel", "satchel", "crossbody", "chain", "clutch"):
		return "bags"
	case has("watch", "chronograph") && b.category != "electronics":
		return "watches"
	case has("jacket", "hoodie", "tee", "shirt", "pants", "jeans", "hat", "beanie", "parka", "coat", "sweatshirt", "cardigan", "socks", "puffer", "pant", "joggers", "overshirt"):
		return "apparel"
	}
	return b.category
}

func (g *gen) category(c string) string {
	if g.chance(0.04) {
		return ""
	}
	return c
}

// describe builds a description of at most 500 bytes from the given
// sentences, in order, skipping any that would overflow.
func describe(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		sep := " "
		if b.Len() == 0 {
			sep = ""
		}
		if b.Len()+len(sep)+len(p) > 500 {
			continue
		}
		b.WriteString(sep)
		b.WriteString(p)
	}
	s := b.String()
	if len(s) < 10 {
		s += " Thanks for looking!"
	}
	return s
}

// body returns neutral description sentences for a category.
func (g *gen) body(cat string, n int) []string {
	d := details[cat]
	if d == nil {
		d = details["apparel"]
	}
	var out []string
	for _, i := range g.r.Perm(len(d))[:min(n, len(d))] {
		out = append(out, d[i])
	}
	return out
}

func (g *gen) extras(b *brand, cat string) []string {
	var out []string
	if g.chance(0.55) {
		out = append(out, pick(g.r, shipping))
	}
	if g.chance(0.2) {
		out = append(out, pick(g.r, shipping))
	}
	if g.chance(0.25) {
		tags := hashtagsByCategory[cat]
		if tags == nil {
			tags = hashtagsByCategory[b.category]
		}
		h := "#" + strings.ToLower(strings.NewReplacer(" ", "", "-", "", "'", "", "&", "", ".", "").Replace(b.name))
		out = append(out, h+" "+strings.Join(tags[:1+g.r.IntN(len(tags))], " "))
	}
	if g.chance(0.2) {
		out = append(out, pick(g.r, emojis)+pick(g.r, emojis))
	}
	if g.chance(0.2) {
		// Long marketplace boilerplate, shared by both labels.
		for _, i := range g.r.Perm(len(boilerplate))[:3+g.r.IntN(3)] {
			out = append(out, boilerplate[i])
		}
	}
	return out
}

func (g *gen) sizeFor(cat string) string {
	s := sizes[cat]
	if s == nil {
		return pick(g.r, colours)
	}
	if g.chance(0.35) {
		return pick(g.r, colours)
	}
	return pick(g.r, s)
}

func fill(tmpl string, kv ...string) string {
	s := strings.NewReplacer(kv...).Replace(tmpl)
	s = strings.NewReplacer("()", "", "【】", "", "★★", "", "( )", "").Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, " -|,")
}

// Neutral title templates are shared by legit listings and subtle
// counterfeits: the template never tells the label.
var neutralTitles = []string{
	"{M} {P}", "{M} {P} {S}", "{M} {P} - {S}", "NEW {M} {P} {S} {E}", "{P} {M} {S}", "{M} {P} brand new with tags",
	"{M} {P}, {S}, fast shipping", "{E} {M} {P} {E}", "{M} {P} | {S}", "{M} - {P} ({S})", "{M} {P} {S} new in box",
	"Brand new {M} {P}", "{M} {P} {S} 2024", "{M} {P} original", "{M} {P} authentic {S}", "{P} by {M}",
	"{M} {P} for men and women", "{M} {P} in {S}", "Genuine {M} {P}", "{M}® {P}",
}

var cueTitles = []string{
	"{M} {P} {C}", "{C} {M} {P} {S}", "{P} - {M} - {C}", "{M} {P} {S} {C} {E}", "【{C}】{M} {P}", "new {M} {P} {C} free shipping",
	"{M} {P} ({C}) {S}", "{C} quality {M} {P}", "{P} {M} {S} | {C}", "{M} {P} men women {S} {C}", "hot sale {M} {P} {C}",
	"{C} {M} {P}", "{M} {C} {P} {S}", "{E}{C}{E} {M} {P}", "{M} {P} {C} version", "{M} {P} - {C} - {S}", "{C}!! {M} {P} {S}",
	"{M} {P} {S} ★{C}★", "wholesale {M} {P} {C}", "{M} {P} {C} with box",
}

func (g *gen) title(tmpls []string, mark, prod, cue string, cat string) string {
	t := fill(pick(g.r, tmpls), "{M}", mark, "{P}", prod, "{S}", g.sizeFor(cat), "{C}", cue, "{E}", pick(g.r, emojis))
	t = strings.NewReplacer("Quality quality", "Quality", "quality quality", "quality").Replace(t)
	return g.casing(t)
}

// ---- counterfeit generators ----

func (g *gen) brand() *brand { return &brands[g.r.IntN(len(brands))] }

// productText returns a product name, or a generic noun for the category
// when the brand's product line should stay out of the title.
func (g *gen) productText(b *brand, p product) (string, string) {
	if g.chance(0.5) && !containsFold(p.name, b.name) {
		return p.name, productCategory(b, p.name)
	}
	n := pick(g.r, genericNouns[b.category])
	return n, productCategory(b, n)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// cfPrice is what counterfeiters ask: a small fraction of retail, or for a
// subtle listing something close to a believable discount.
func (g *gen) cfPrice(b *brand, p product, subtle bool) float64 {
	if subtle {
		return math.Max(p.price*g.between(0.5, 1.0), b.min*0.4)
	}
	return math.Max(3, p.price*g.between(0.03, 0.25))
}

func (g *gen) finish(l Listing, usd float64, zh bool) Listing {
	l.Currency = g.currency(zh)
	l.Price = g.price(usd, l.Currency)
	if l.Images == nil {
		l.Images = []string{}
	}
	return l
}

func (g *gen) disguised(tag string, f func(*rand.Rand, string) string) (Listing, bool) {
	b := g.brand()
	mark := b.name
	if tag == "cf_typo" && len(b.name) < 5 {
		return Listing{}, false
	}
	d := f(g.r, mark)
	if d == mark || d == "" {
		return Listing{}, false
	}
	p := pick(g.r, b.products)
	prod, cat := g.productText(b, p)
	subtle := g.chance(0.4)
	var title, desc string
	usd := g.cfPrice(b, p, subtle)
	if subtle {
		tag += "_subtle"
		title = g.title(neutralTitles, d, prod, "", cat)
		desc = describe(append(append([]string{pick(g.r, newCondition)}, g.body(cat, 1+g.r.IntN(3))...), g.extras(b, cat)...)...)
	} else {
		cue := pick(g.r, cuesTitleEN)
		parts := []string{}
		if g.chance(0.6) {
			title = g.title(cueTitles, d, prod, cue, cat)
		} else {
			title = g.title(neutralTitles, d, prod, "", cat)
			parts = append(parts, pick(g.r, cuesDescEN))
		}
		if g.chance(0.3) {
			parts = append(parts, d+" "+prod+".")
		}
		parts = append(parts, g.body(cat, g.r.IntN(3))...)
		if g.chance(0.5) {
			parts = append(parts, pick(g.r, cuesDescEN))
		}
		desc = describe(append(parts, g.extras(b, cat)...)...)
	}
	return g.finish(Listing{SellerID: g.seller(), Title: title, Description: desc, Category: g.category(cat), Label: "counterfeit", Case: tag}, usd, false), true
}

// safeTypo is typo that never lands on a registered term or a real word we
// use elsewhere in the set.
func (g *gen) safeTypo(r *rand.Rand, s string) string {
	t := typo(r, s)
	if g.markWords[strings.ToLower(t)] || realWords[strings.ToLower(t)] || strings.EqualFold(t, s) {
		return s
	}
	return t
}

// realWords are dictionary words and other names a one-edit typo of a
// mark can land on; the set uses several of them as legit traps.
var realWords = map[string]bool{"cannon": true, "casino": true, "carrier": true, "chapel": true, "channel": true, "couch": true,
	"logo": true, "pump": true, "bike": true, "nice": true, "beads": true, "prado": true, "door": true, "tyson": true, "lewis": true,
	"borsch": true, "barberry": true, "vane": true, "fans": true, "hose": true, "rose": true, "pony": true, "coach": true, "apple": true,
	"apply": true, "omega": true, "levi": true, "puma": true, "pima": true, "calloway": true, "fender": true, "supremo": true, "canto": true,
	"bets": true, "beast": true, "beat": true, "bests": true, "lei's": true, "dyer": true}

func (g *gen) joinedMark() (Listing, bool) {
	b := g.brand()
	var multi []string
	for _, t := range append([]string{b.name}, b.terms...) {
		if strings.ContainsAny(t, " -") && !strings.ContainsAny(t, "&.0123456789") && utf8.RuneCountInString(t) == len(t) {
			multi = append(multi, t)
		}
	}
	if len(multi) == 0 {
		return Listing{}, false
	}
	mark := pick(g.r, multi)
	subtle := g.chance(0.6)
	if subtle {
		// A joined product line or slogan alone is too weak to call; a
		// joined brand name is the evasion we mean.
		if !strings.ContainsAny(b.name, " -") || strings.ContainsAny(b.name, "&.") {
			return Listing{}, false
		}
		mark = b.name
	}
	d := joined(g.r, mark)
	if d == mark || g.markWords[strings.ToLower(strings.TrimPrefix(d, "#"))] {
		return Listing{}, false
	}
	p := pick(g.r, b.products)
	prod := pick(g.r, genericNouns[b.category])
	cat := productCategory(b, prod)
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "counterfeit", Case: "cf_joined"}
	usd := g.cfPrice(b, p, subtle)
	if subtle {
		l.Case += "_subtle"
		l.Title = g.title(neutralTitles, d, prod, "", cat)
		l.Description = describe(append(g.body(cat, 2), g.extras(b, cat)...)...)
	} else {
		l.Title = g.title(cueTitles, d, prod, pick(g.r, cuesTitleEN), cat)
		l.Description = describe(append([]string{pick(g.r, cuesDescEN)}, g.body(cat, 2)...)...)
	}
	return g.finish(l, usd, false), true
}

// markOf returns the brand name, or "" when the product name already
// carries a registered product-line mark and the seller left the brand out.
func (g *gen) markOf(b *brand, p product) string {
	if g.chance(0.75) {
		return b.name
	}
	for _, t := range b.terms[1:] {
		if len(t) > 2 && containsFold(p.name, t) {
			return ""
		}
	}
	return b.name
}

func (g *gen) replicaEN() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	mark := g.markOf(b, p)
	subtle := g.chance(0.35)
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "counterfeit", Case: "cf_replica_en"}
	usd := g.cfPrice(b, p, subtle)
	prod := p.name
	if subtle {
		l.Case += "_subtle"
		// One cue, in the title or in the description, and nothing else.
		if g.chance(0.5) {
			l.Title = g.title(cueTitles, mark, prod, pick(g.r, cuesTitleEN), cat)
			l.Description = describe(append(g.body(cat, 1+g.r.IntN(3)), g.extras(b, cat)...)...)
		} else {
			l.Title = g.title(neutralTitles, mark, prod, "", cat)
			l.Description = describe(append(append(g.body(cat, 1+g.r.IntN(2)), pick(g.r, cuesDescEN)), g.extras(b, cat)...)...)
		}
	} else {
		l.Title = g.title(cueTitles, mark, prod, pick(g.r, cuesTitleEN), cat)
		l.Description = describe(append(append([]string{pick(g.r, cuesDescEN)}, g.body(cat, g.r.IntN(3))...), g.extras(b, cat)...)...)
	}
	return g.finish(l, usd, false), true
}

var zhTitles = []string{
	"【{C}】{M} {P}", "{M}{Z} {P} {C} 包邮", "{C}{Z} {P} {S}", "{Z} {M} {P} {C}版本", "{M} {P} {C} 支持验货",
	"{C} {M} {P} 男女同款", "新款{Z} {P} {C}", "{M}/{Z} {P}【{C}】{S}", "{Z}{C} {P}", "{M} {P} {S} {C} 原厂",
}

func (g *gen) replicaZH() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	zh := b.zh
	if zh == "" {
		zh = b.name
	}
	mark := b.name
	if b.zh != "" && g.chance(0.25) {
		mark = "" // Chinese trade name only
	}
	subtle := g.chance(0.3)
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "counterfeit", Case: "cf_replica_zh"}
	usd := g.cfPrice(b, p, subtle)
	if subtle {
		l.Case += "_subtle"
	}
	prod, _ := g.productText(b, p)
	l.Title = g.casing(fill(pick(g.r, zhTitles), "{M}", mark, "{Z}", zh, "{P}", prod, "{C}", pick(g.r, cuesTitleZH), "{S}", g.sizeFor(cat)))
	parts := []string{}
	if !subtle || g.chance(0.5) {
		parts = append(parts, pick(g.r, cuesDescZH))
	}
	parts = append(parts, pick(g.r, neutralZH))
	if g.chance(0.4) {
		parts = append(parts, g.body(cat, 1)...)
	}
	if g.chance(0.3) {
		parts = append(parts, "微信/WeChat: "+fmt.Sprintf("lux%d", 100+g.r.IntN(900)))
	}
	l.Description = describe(parts...)
	return g.finish(l, usd, true), true
}

func (g *gen) lowPrice() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	usd := b.min * g.between(0.04, 0.27)
	if usd < 2 {
		return Listing{}, false
	}
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "counterfeit", Case: "cf_low_price"}
	l.Title = g.title(neutralTitles, b.name, p.name, "", cat)
	l.Description = describe(append(append([]string{pick(g.r, newCondition), pick(g.r, lowPriceClaims)}, g.body(cat, 1+g.r.IntN(2))...), g.extras(b, cat)...)...)
	return g.finish(l, usd, false), true
}

var descOnlyLines = []string{
	"Same style as {M} {P}. {C}", "{C} Compare to {M} {P}, retail ${R}.", "Exactly like the {M} one, nobody can tell.",
	"Material and logo same as {M}. {C}", "This is the {M} {P}, {C}", "Brand: {M}. {C}", "Tags: {M} {P} {C}",
	"{M} logo on hardware and lining. Ask for more pictures.", "Looks 100% like {M} {P}, best price.", "Keywords: {M}, {P}, luxury, designer",
}

var descOnlyTitles = []string{"{S} {N} luxury designer style", "Designer {N} {S}", "Luxury {N}, {S}, top quality", "{N} {S} new arrival",
	"Monogram {N} {S}", "Classic {N} limited stock", "Premium {N} - {S}", "{N} with logo, {S}", "Hot item {N} {S} {E}", "Fashion {N} {S}"}

func (g *gen) descOnly() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	noun := pick(g.r, genericNouns[b.category])
	mark := b.name
	if g.chance(0.25) {
		mark = confusable(g.r, b.name)
	}
	line := fill(pick(g.r, descOnlyLines), "{M}", mark, "{P}", p.name, "{C}", pick(g.r, cuesDescEN), "{R}", fmt.Sprintf("%.0f", p.price))
	title := g.casing(fill(pick(g.r, descOnlyTitles), "{N}", noun, "{S}", pick(g.r, colours), "{E}", pick(g.r, emojis)))
	for _, w := range strings.Fields(strings.ToLower(title)) {
		if g.markWords[w] {
			return Listing{}, false
		}
	}
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "counterfeit", Case: "cf_desc_only", Title: title}
	l.Description = describe(append(append(g.body(cat, g.r.IntN(2)), line), g.extras(b, cat)...)...)
	return g.finish(l, g.cfPrice(b, p, false), false), true
}

func (g *gen) abbrev() (Listing, bool) {
	var withAbbr []*brand
	for i := range brands {
		if len(brands[i].abbr) > 0 {
			withAbbr = append(withAbbr, &brands[i])
		}
	}
	b := pick(g.r, withAbbr)
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	ab := pick(g.r, b.abbr)
	noun := pick(g.r, genericNouns[b.category])
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "counterfeit", Case: "cf_abbrev"}
	tmpls := []string{"{A} {N} {C}", "{C} {A} {N} {S}", "{A} {N} {S} {C}", "{A} {C} {N}", "{N} {A} {C} {E}", "{A} {N} ({C})", "{A} logo {N} {C}"}
	usd := g.cfPrice(b, p, false)
	cue := pick(g.r, cuesTitleEN)
	if g.chance(0.15) {
		cue = ""
		usd = b.min * g.between(0.05, 0.25)
	}
	l.Title = g.casing(fill(pick(g.r, tmpls), "{A}", ab, "{N}", noun, "{C}", cue, "{S}", g.sizeFor(cat), "{E}", pick(g.r, emojis)))
	l.Description = describe(append(g.body(cat, 1+g.r.IntN(2)), g.extras(b, cat)...)...)
	return g.finish(l, usd, false), true
}

func (g *gen) dupeMark() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	noun := pick(g.r, genericNouns[b.category])
	tmpls := []string{"{M} dupe {N}", "{M} inspired {N} {S}", "{N} {M} style {S}", "looks like {M} {P}", "alternative to {M} {P} - {N}",
		"{M} look-alike {N}", "{P} dupe ({M}) {S}", "TikTok viral {M} dupe {N}", "{M} inspired {P}", "{N}, {M} vibes, dupe"}
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "counterfeit", Case: "cf_dupe_mark"}
	l.Title = g.casing(fill(pick(g.r, tmpls), "{M}", b.name, "{N}", noun, "{P}", p.name, "{S}", g.sizeFor(cat)))
	l.Description = describe(append([]string{pick(g.r, []string{"Same look for less.", "Why pay full price?", "Get the look for a fraction of the price.", "Best dupe on the market.", "Logo hardware included."})}, g.body(cat, 1+g.r.IntN(2))...)...)
	return g.finish(l, g.cfPrice(b, p, false), false), true
}

func (g *gen) combo() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	fs := []func(*rand.Rand, string) string{confusable, leetspeak, split, zeroWidthSplit, diacritic, g.safeTypo}
	if len(b.name) < 6 {
		fs = fs[:5] // two edits to a short name leave nothing to recognise
	}
	d := b.name
	for _, i := range g.r.Perm(len(fs))[:2] {
		d = fs[i](g.r, d)
	}
	if d == b.name {
		return Listing{}, false
	}
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "counterfeit", Case: "cf_combo"}
	zh := b.zh != "" && g.chance(0.3)
	prod, _ := g.productText(b, p)
	if zh {
		l.Title = g.casing(fill(pick(g.r, zhTitles), "{M}", d, "{Z}", b.zh, "{P}", prod, "{C}", pick(g.r, cuesTitleZH), "{S}", g.sizeFor(cat)))
		l.Description = describe(pick(g.r, cuesDescZH), pick(g.r, neutralZH))
	} else {
		l.Title = g.title(cueTitles, d, prod, pick(g.r, cuesTitleEN), cat)
		l.Description = describe(append([]string{pick(g.r, cuesDescEN)}, g.body(cat, 1)...)...)
	}
	return g.finish(l, g.cfPrice(b, p, false), zh), true
}

// ---- legit generators ----

var officialTitles = []string{"{M} {P}", "{M} {P} – {S}", "{P} by {M}, {S}", "NEW {M} {P} {S}", "Official {M} {P} | Free shipping",
	"{M} {P} ({S})", "{M} {P}, {S}", "{M} {P} - new season", "{M} {P} 2024 collection"}

var genderedTitles = []string{"{M} Men's {P}", "{M} Women's {P} {S}", "{M} {P} men's {S}", "Women's {M} {P}"}

func titlesFor(cat string, base ...[]string) []string {
	var t []string
	for _, b := range base {
		t = append(t, b...)
	}
	if cat == "shoes" || cat == "apparel" {
		t = append(t, genderedTitles...)
	}
	return t
}

var zhOfficialTitles = []string{"{Z}官方旗舰店 {M} {P} 正品", "{M}/{Z} {P} 新款 {S}", "{Z} {M} {P} 官方正品 顺丰包邮", "【官方正品】{M} {P}"}

func (g *gen) authorized() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	seller := pick(g.r, b.sellers)
	zh := b.zh != "" && (strings.Contains(seller, "tmall") || g.chance(0.06))
	l := Listing{SellerID: seller, Category: g.category(cat), Label: "legit", Case: "lg_authorized"}
	if zh {
		l.Title = fill(pick(g.r, zhOfficialTitles), "{M}", b.name, "{Z}", b.zh, "{P}", p.name, "{S}", g.sizeFor(cat))
		l.Description = describe(append([]string{pick(g.r, neutralZH), pick(g.r, neutralZH)}, g.body(cat, 2)...)...)
	} else {
		l.Title = g.title(titlesFor(cat, officialTitles, neutralTitles), b.name, p.name, "", cat)
		parts := append([]string{pick(g.r, newCondition)}, g.body(cat, 1+g.r.IntN(4))...)
		if g.chance(0.3) {
			parts = append(parts, "Sold by an authorized retailer. Full manufacturer warranty.")
		}
		l.Description = describe(append(parts, g.extras(b, cat)...)...)
	}
	return g.finish(l, p.price*g.between(0.95, 1.1), zh), true
}

func (g *gen) authorizedDiscount() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	off := g.between(0.3, 0.6)
	l := Listing{SellerID: pick(g.r, b.sellers), Category: g.category(cat), Label: "legit", Case: "lg_authorized_discount"}
	tag := pick(g.r, []string{fmt.Sprintf("-%d%%", int(off*100)), "SALE", "Outlet", "Clearance", "Last season", "Black Friday deal", "Final sale"})
	l.Title = g.casing(fill(pick(g.r, []string{"{T} {M} {P}", "{M} {P} {T}", "{M} {P} - {T} - {S}", "{T}: {M} {P} {S}"}), "{T}", tag, "{M}", b.name, "{P}", p.name, "{S}", g.sizeFor(cat)))
	l.Description = describe(append([]string{"End of season markdown, limited sizes.", pick(g.r, newCondition)}, g.body(cat, 2)...)...)
	return g.finish(l, p.price*(1-off), false), true
}

func (g *gen) authorizedCheap() (Listing, bool) {
	b := g.brand()
	if len(b.cheap) == 0 {
		return Listing{}, false
	}
	p := pick(g.r, b.cheap)
	cat := productCategory(b, p.name)
	l := Listing{SellerID: pick(g.r, b.sellers), Category: g.category(cat), Label: "legit", Case: "lg_authorized_lowprice"}
	l.Title = g.title(titlesFor(cat, officialTitles, neutralTitles), b.name, p.name, "", cat)
	l.Description = describe(append([]string{pick(g.r, newCondition)}, g.extras(b, cat)...)...)
	return g.finish(l, p.price*g.between(0.9, 1.05), false), true
}

var resellerTitles = []string{"{M} {P} new in box", "Brand new {M} {P}, never worn, {S}", "{P} {M} BNWT", "DS {M} {P} {S}",
	"{M} {P} {S} - sealed", "{M} {P}, unworn with tags", "{M} {P} {S} brand new", "NIB {M} {P}", "{M} {P} {S}"}

func (g *gen) reseller() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "legit", Case: "lg_reseller"}
	l.Title = g.title(append(resellerTitles, neutralTitles...), b.name, p.name, "", cat)
	l.Description = describe(append(append([]string{pick(g.r, resellerNotes)}, g.body(cat, g.r.IntN(3))...), g.extras(b, cat)...)...)
	return g.finish(l, p.price*g.between(0.85, 1.45), false), true
}

var preownedTitles = []string{"Pre-owned authentic {M} {P}", "Vintage {M} {P} w/ box & papers", "Used {M} {P} - good condition",
	"Authentic {M} {P} (pre-loved)", "{M} {P} pre-owned {S}", "Gently used {M} {P}", "{M} {P}, used, excellent condition",
	"Pre-loved {M} {P} {S}", "{M} {P} second hand, authentic", "Preowned {M} {P} - receipt included"}

func (g *gen) preowned() (Listing, bool) {
	b := g.brand()
	p := pick(g.r, b.products)
	cat := productCategory(b, p.name)
	l := Listing{SellerID: g.seller(), Category: g.category(cat), Label: "legit", Case: "lg_preowned"}
	l.Title = g.title(preownedTitles, b.name, p.name, "", cat)
	notes := g.r.Perm(len(resaleNotes))[:1+g.r.IntN(3)]
	var parts []string
	for _, i := range notes {
		parts = append(parts, resaleNotes[i])
	}
	l.Description = describe(append(append(parts, g.body(cat, g.r.IntN(2))...), g.extras(b, cat)...)...)
	f := g.between(0.4, 0.95)
	if b.category == "watches" && g.chance(0.5) {
		f = g.between(0.9, 1.5) // watches often resell above list price
	}
	return g.finish(l, math.Max(p.price*f, b.min*0.45), false), true
}

var accessoryCategory = map[string]string{"electronics": "phone accessories", "audio": "audio accessories", "watches": "watch accessories",
	"bags": "bag accessories", "shoes": "shoe care", "eyewear": "eyewear accessories", "toys": "toy accessories", "drinkware": "drinkware",
	"appliances": "appliance parts", "cameras": "camera accessories", "tools": "tool accessories", "jewelry": "jewelry boxes",
	"golf": "golf accessories", "apparel": "accessories", "cosmetics": "cosmetics"}

func (g *gen) accessory() (Listing, bool) {
	b := g.brand()
	if len(b.acc) == 0 {
		return Listing{}, false
	}
	p := pick(g.r, b.acc)
	t := p.name
	switch g.r.IntN(6) {
	case 0:
		t = pick(g.r, []string{"[2 Pack] ", "New ", "Upgraded ", "2024 "}) + t
	case 1:
		t += pick(g.r, []string{" - black", " (white)", ", 3 colors", " - fast ship", " 🔥", ", grey"})
	case 2:
		t = g.casing(t)
	}
	desc := []string{pick(g.r, []string{"Third-party accessory, not made by " + b.name + ".", "Compatible accessory. " + b.name + " is a trademark of its owner.",
		"Universal fit, please check your model before ordering.", "High quality materials, precise cutouts.", "Easy install, no tools needed.", ""})}
	l := Listing{SellerID: g.seller(), Title: t, Category: g.category(accessoryCategory[b.category]), Label: "legit", Case: "lg_accessory"}
	l.Description = describe(append(desc, pick(g.r, shipping))...)
	return g.finish(l, p.price*g.between(0.8, 1.4), false), true
}

var itemVariants = []string{"", "", "", " - new", " (2 pack)", ", large", " - free shipping", " ✨", ", gift idea", " - set of 3", " - sale", ", brand new", " | fast ship"}

func (g *gen) fromItems(tag string, items []item) (Listing, bool) {
	it := pick(g.r, items)
	t := it.title + pick(g.r, itemVariants)
	t = g.casing(t)
	l := Listing{SellerID: g.seller(), Title: t, Category: g.category(it.cat), Label: "legit", Case: tag}
	parts := []string{it.desc}
	if g.chance(0.6) {
		parts = append(parts, pick(g.r, shipping))
	}
	if g.chance(0.15) {
		parts = append(parts, pick(g.r, emojis))
	}
	l.Description = describe(parts...)
	return g.finish(l, it.price*g.between(0.85, 1.2), false), true
}
