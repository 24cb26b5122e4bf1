// Package screen is Hallmark's publish-time screening pipeline: detectors
// turn a listing into explainable signals (brand marks however disguised,
// counterfeit wording, context that lowers risk, price against the brand's
// floor, the seller, protected photos), and a rules policy turns the signals
// into allow, review or block. The engine does no I/O: callers load seller
// history and hash images, and store the decision.
package screen

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/rules"
	"github.com/hallmark-dev/hallmark/screen/textmatch"
)

// Options configure an Engine. Zero values take the embedded defaults.
type Options struct {
	Policy  *rules.Policy
	Lexicon *Lexicon
	Rates   Rates
	// Loader reloads the brand registry (from the store) on Reload.
	Loader func(ctx context.Context) ([]hallmark.Brand, error)
	// Clock stamps decisions; tests inject a fixed one.
	Clock func() time.Time
}

// Engine screens listings. It is safe for concurrent use; Reload and
// SetPolicy swap the registry or policy atomically under running screens.
type Engine struct {
	lex    *Lexicon
	rates  Rates
	loader func(ctx context.Context) ([]hallmark.Brand, error)
	clock  func() time.Time
	policy atomic.Pointer[rules.Policy]
	reg    atomic.Pointer[Registry]
}

// New builds an engine over brands.
func New(brands []hallmark.Brand, opts Options) (*Engine, error) {
	e := &Engine{lex: opts.Lexicon, rates: opts.Rates, loader: opts.Loader, clock: opts.Clock}
	if e.lex == nil {
		e.lex = DefaultLexicon()
	}
	if e.rates == nil {
		e.rates = DefaultRates()
	}
	if e.clock == nil {
		e.clock = time.Now
	}
	p := opts.Policy
	if p == nil {
		p = rules.Default()
	}
	e.policy.Store(p)
	reg, err := NewRegistry(brands, e.lex)
	if err != nil {
		return nil, err
	}
	e.reg.Store(reg)
	return e, nil
}

// Reload rebuilds the registry from the loader.
func (e *Engine) Reload(ctx context.Context) error {
	if e.loader == nil {
		return errors.New("screen: no registry loader configured")
	}
	brands, err := e.loader(ctx)
	if err != nil {
		return fmt.Errorf("screen: loading registry: %w", err)
	}
	return e.SetBrands(brands)
}

// SetBrands replaces the registry.
func (e *Engine) SetBrands(brands []hallmark.Brand) error {
	reg, err := NewRegistry(brands, e.lex)
	if err != nil {
		return err
	}
	if old := e.reg.Load(); old != nil && old.images != nil && reg.images == nil {
		reg.images = old.images
	}
	e.reg.Store(reg)
	return nil
}

// Registry returns the registry in force.
func (e *Engine) Registry() *Registry { return e.reg.Load() }

// SetImageIndex attaches a protected-image index to the registry in force.
func (e *Engine) SetImageIndex(idx ImageIndex) {
	old := e.reg.Load()
	next := *old
	next.images = idx
	e.reg.Store(&next)
}

// Policy returns the policy in force.
func (e *Engine) Policy() *rules.Policy { return e.policy.Load() }

// SetPolicy replaces the policy.
func (e *Engine) SetPolicy(p *rules.Policy) { e.policy.Store(p) }

// Input is one listing to screen with what is known around it.
type Input struct {
	Listing *hallmark.Listing
	History hallmark.SellerHistory
	// Images are the listing's images, hashed by the caller.
	Images []ListingImage
}

// Screen screens a listing whose images are not hashed (or have none).
func (e *Engine) Screen(ctx context.Context, l *hallmark.Listing, h hallmark.SellerHistory) (*hallmark.Decision, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return e.ScreenInput(&Input{Listing: l, History: h})
}

// field is one text field of a listing with what the matchers found in it.
type field struct {
	name  string
	text  string
	marks []textmatch.Match
	lex   []textmatch.Match
}

// candidate is one reading of the listing: as a use of one brand.
type candidate struct {
	brand   int
	matches []brandMatch
	images  []ImageMatch
}

type brandMatch struct {
	field *field
	m     textmatch.Match
	ref   *markRef
}

const strongDisguise = textmatch.Confusable | textmatch.Leet | textmatch.Split | textmatch.ZeroWidth

// ScreenInput screens one listing. It never fails on a valid listing; an
// error means the policy itself failed to run, and the decision returned is
// review so that nothing slips through unseen.
func (e *Engine) ScreenInput(in *Input) (*hallmark.Decision, error) {
	reg := e.reg.Load()
	pol := e.policy.Load()
	l := in.Listing

	fields := [2]field{{name: "title", text: l.Title}, {name: "description", text: l.Description}}
	for i := range fields {
		f := &fields[i]
		if f.text == "" {
			continue
		}
		f.marks = reg.keepIdentifiers(f.text, reg.matcher.Find(f.text, nil))
		f.lex = e.lex.matcher.Find(f.text, nil)
	}

	var signals []hallmark.Signal
	ev := e.evidence(&fields, &signals)

	// Category groups of the listing: its category field alone, and with the
	// words of its title.
	categoryGroups := map[string]bool{}
	e.lex.categoryGroups(l.Category, categoryGroups)
	listingGroups := maps.Clone(categoryGroups)
	for _, g := range e.lex.matchedGroups(fields[0].lex) {
		listingGroups[g] = true
	}
	if l.Category == "" {
		// With no category, the title's own words ("watercolor print",
		// "biography") place the listing.
		categoryGroups = listingGroups
	}
	ev.accessoryCategory = e.lex.accessoryCategory(l.Category)
	ev.categoryGroups = categoryGroups

	cands := map[int]*candidate{}
	var order []int
	get := func(b int) *candidate {
		c, ok := cands[b]
		if !ok {
			c = &candidate{brand: b}
			cands[b] = c
			order = append(order, b)
		}
		return c
	}
	for i := range fields {
		f := &fields[i]
		for _, m := range f.marks {
			ref := &reg.marks[m.Term]
			c := get(ref.brand)
			c.matches = append(c.matches, brandMatch{field: f, m: m, ref: ref})
		}
	}
	if reg.images != nil {
		for _, img := range in.Images {
			for _, im := range reg.images.Match(img) {
				b, ok := reg.byID[im.BrandID]
				if !ok {
					continue
				}
				c := get(b)
				c.images = append(c.images, im)
			}
		}
	}

	base := rules.Env{
		Context: rules.ContextEnv{Resale: ev.resale, Packaging: ev.packaging},
		Seller: rules.SellerEnv{
			Known: in.History.Known, AgeDays: in.History.AgeDays, Listings: in.History.Listings,
			Blocks: in.History.Blocks, Reviews: in.History.Reviews,
		},
		Listing: rules.ListingEnv{Price: l.Price, Currency: l.Currency, Category: l.Category, Title: l.Title},
	}
	if in.History.Known {
		signals = append(signals, hallmark.Signal{
			Detector: hallmark.DetectorSeller, Kind: "history", Value: in.History.AgeDays,
			Detail: fmt.Sprintf("account %.0f days old; %d listings, %d blocked, %d held for review",
				in.History.AgeDays, in.History.Listings, in.History.Blocks, in.History.Reviews),
		})
	}

	type evaluated struct {
		env  rules.Env
		out  rules.Outcome
		sigs []hallmark.Signal
	}
	var results []evaluated
	var runErr error
	for _, b := range order {
		c := cands[b]
		env := base
		sigs := e.describe(reg, c, &env, in, listingGroups, ev, fields[:])
		out, err := pol.Evaluate(&env)
		runErr = errors.Join(runErr, err)
		results = append(results, evaluated{env, out, sigs})
		signals = append(signals, sigs...)
	}
	if len(results) == 0 {
		env := base
		var sigs []hallmark.Signal
		env.Replica, sigs = e.replicaFor(reg, -1, ev)
		signals = append(signals, sigs...)
		out, err := pol.Evaluate(&env)
		runErr = errors.Join(runErr, err)
		results = append(results, evaluated{env: env, out: out, sigs: sigs})
	}

	best := 0
	for i := 1; i < len(results); i++ {
		a, b := results[i].out, results[best].out
		if a.Action > b.Action || (a.Action == b.Action && a.Score > b.Score) {
			best = i
		}
	}
	r := results[best]
	d := &hallmark.Decision{
		ListingID:     l.ID,
		Action:        r.out.Action,
		Score:         r.out.Score,
		BrandID:       r.env.Brand.ID,
		Reasons:       []hallmark.Reason{},
		Signals:       signals,
		PolicyVersion: pol.Version,
		DecidedAt:     e.clock().UTC(),
	}
	if !r.env.Brand.Matched && !r.env.Image.Matched {
		d.BrandID = ""
	}
	candSignals := append(append([]hallmark.Signal(nil), ev.signals...), r.sigs...)
	for _, rule := range r.out.Fired {
		d.Reasons = append(d.Reasons, hallmark.Reason{
			Rule:    rule.Name,
			Action:  rule.Action.Action,
			Weight:  rule.Weight,
			Message: rule.Message,
			BrandID: d.BrandID,
			Signals: signalsFor(rule.Detectors, candSignals),
		})
	}
	if runErr != nil {
		if d.Action < hallmark.Review {
			d.Action = hallmark.Review
		}
		return d, fmt.Errorf("screen: policy %s: %w", pol.Version, runErr)
	}
	return d, nil
}

// evidence is what the lexicons found, independent of any brand.
type evidence struct {
	cues       []cue
	resale     bool
	disclaimer bool
	accessory  bool // the title names an accessory
	packaging  bool
	// keywordStuffing: the description lists search keywords.
	keywordStuffing bool
	// accessoryCategory: the listing's category is accessories of something.
	accessoryCategory bool
	categoryGroups    map[string]bool
	signals           []hallmark.Signal
}

func (e *Engine) evidence(fields *[2]field, signals *[]hallmark.Signal) *evidence {
	ev := &evidence{}
	for i := range fields {
		f := &fields[i]
		for _, m := range f.lex {
			g := e.lex.group[m.Term]
			sig := hallmark.Signal{Span: &hallmark.Span{Field: f.name, Start: m.Start, End: m.End}, Original: m.Original, Normalized: m.Normalized}
			switch g {
			case lexReplicaStrong, lexReplicaWeak, lexReplicaAlone:
				// "not a replica", "no fakes", "1:1 scale" are not
				// counterfeit wording.
				if !e.negated(f, m) && !e.excepted(f, m) {
					ev.cues = append(ev.cues, cue{field: f, m: m, group: g})
				}
				continue
			case lexResale:
				ev.resale = true
				sig.Detector, sig.Kind = hallmark.DetectorContext, "resale"
			case lexDisclaimer:
				ev.disclaimer = true
				sig.Detector, sig.Kind = hallmark.DetectorContext, "disclaimer"
			case lexKeywords:
				if f.name == "description" {
					ev.keywordStuffing = true
				}
				continue
			case lexPackaging:
				ev.packaging = true
				sig.Detector, sig.Kind = hallmark.DetectorContext, "packaging"
			case lexAccessory:
				if f.name == "title" {
					ev.accessory = true
				}
				continue
			default:
				continue
			}
			ev.signals = append(ev.signals, sig)
		}
	}
	*signals = append(*signals, ev.signals...)
	return ev
}

// cue is one piece of counterfeit wording.
type cue struct {
	field *field
	m     textmatch.Match
	group string
}

// replicaFor sums up the counterfeit wording for one brand reading. A cue
// that is one of the brand's own marks ("UA" for Under Armour) is not
// counterfeit wording for that brand, though it is for any other.
func (e *Engine) replicaFor(reg *Registry, brand int, ev *evidence) (rules.ReplicaEnv, []hallmark.Signal) {
	var r rules.ReplicaEnv
	var sigs []hallmark.Signal
	seen := map[string]bool{}
	for _, c := range ev.cues {
		if brand >= 0 && overlapsBrandMark(reg, c.field, c.m, brand) {
			continue
		}
		r.Count++
		kind := "weak"
		switch c.group {
		case lexReplicaAlone:
			r.Strong, r.Standalone, kind = true, true, "standalone"
		case lexReplicaStrong:
			r.Strong, kind = true, "strong"
		default:
			r.Weak = true
		}
		phrase := e.lex.phrase[c.m.Term]
		if !seen[phrase] {
			seen[phrase] = true
			r.Terms = append(r.Terms, phrase)
		}
		sigs = append(sigs, hallmark.Signal{Detector: hallmark.DetectorReplica, Kind: kind,
			Span:     &hallmark.Span{Field: c.field.name, Start: c.m.Start, End: c.m.End},
			Original: c.m.Original, Normalized: c.m.Normalized})
	}
	return r, sigs
}

// describe fills env for candidate c and returns the candidate's own signals.
func (e *Engine) describe(reg *Registry, c *candidate, env *rules.Env, in *Input, listingGroups map[string]bool, ev *evidence, fields []field) []hallmark.Signal {
	l := in.Listing
	b := &reg.brands[c.brand]
	env.Brand.ID, env.Brand.Name = b.ID, b.Name
	replica, sigs := e.replicaFor(reg, c.brand, ev)
	env.Replica = replica

	for g := range reg.catGroups[c.brand] {
		if listingGroups[g] {
			env.Brand.CategoryMatch = true
			break
		}
	}
	// A brand named in a topic category (books, art, music ...) that the
	// brand does not sell in is a topic, not a maker. Product categories
	// are not compared: brands sell in more of them than a registry lists.
	if len(ev.categoryGroups) > 0 && !ev.accessoryCategory {
		env.Brand.CategoryMismatch = true
		for g := range ev.categoryGroups {
			if !e.lex.topic[g] || reg.catGroups[c.brand][g] {
				env.Brand.CategoryMismatch = false
				break
			}
		}
	}

	marks := map[string]bool{}
	disguises := map[string]bool{}
	strong, weak, confirmed, weakInTitle := false, false, false, false
	negated := 0
	// named: the brand's products the listing names, for their floors.
	var named []int
	for _, bm := range c.matches {
		m := bm.m
		// "Not affiliated with Nike", "not a Rolex": the brand is named to
		// say the item is not it. Such a mention does not count.
		if e.near(bm, lexNegation, -1) || e.near(bm, lexDisclaimer, 8) {
			negated++
			sigs = append(sigs, hallmark.Signal{Detector: hallmark.DetectorContext, Kind: "disclaimer", BrandID: b.ID,
				Mark: bm.ref.text, Span: &hallmark.Span{Field: bm.field.name, Start: m.Start, End: m.End}, Original: m.Original,
				Detail: "the mark is named in a negation or disclaimer"})
			continue
		}
		marks[bm.ref.text] = true
		if bm.ref.product > 0 {
			named = append(named, bm.ref.product-1)
		}
		if m.Disguise&textmatch.Confusable != 0 && sameSpelling(m.Original, bm.ref.text) {
			// "Hermès" for the mark "Hermès": the accent is the brand's own.
			m.Disguise &^= textmatch.Confusable
		}
		disguised := m.Disguise&strongDisguise != 0
		switch {
		case m.Edits > 0:
			env.Brand.Typo = true
			disguises["typo"] = true
		case disguised:
			env.Brand.Disguised = true
		case m.Disguise&textmatch.Fullwidth != 0:
			env.Brand.Fullwidth = true
		default:
			env.Brand.Exact = true
		}
		for _, d := range strings.Split(m.Disguise.String(), "+") {
			if d != "exact" && d != "" {
				disguises[d] = true
			}
		}
		if bm.field.name == "title" {
			env.Brand.InTitle = true
		}
		// A weak mark (an ordinary word, or two or three letters) reads as
		// the brand only in context; a deliberate disguise of a word of four
		// letters or more is context enough.
		isWeak := bm.ref.ordinary || bm.ref.short
		if isWeak && (disguised || m.Edits > 0) && !bm.ref.short {
			isWeak = false
		}
		// A multi-word mark run together in the title ("LouisVuitton",
		// "RAYBAN"), or glued to another word ("GucciBag"), dodges a plain
		// keyword filter.
		if bm.field.name == "title" && m.Disguise&(textmatch.Joined|textmatch.Embedded) != 0 {
			env.Brand.Joined = true
		}
		if e.follows(bm, lexDupeAfter) || e.near(bm, lexDupeBefore, -2) {
			env.Brand.Dupe = true
		}
		if isWeak {
			weak = true
			if bm.field.name == "title" {
				weakInTitle = true
			}
			if e.near(bm, lexBrandContext, 2) || (bm.field.name == "title" && replicaInTitle(ev)) || e.nearCue(bm, ev, 6) ||
				e.near(bm, lexDupeBefore, -2) {
				confirmed = true
			}
		} else {
			strong = true
		}
		if !env.Context.Nominative && e.nominative(reg, c, bm, ev) {
			env.Context.Nominative = true
		}
		sigs = append(sigs, hallmark.Signal{
			Detector:   hallmark.DetectorBrand,
			Kind:       matchKind(m),
			BrandID:    b.ID,
			Mark:       bm.ref.text,
			Span:       &hallmark.Span{Field: bm.field.name, Start: m.Start, End: m.End},
			Original:   m.Original,
			Normalized: m.Normalized,
			Value:      float64(m.Edits),
			Detail:     markDetail(bm.ref),
		})
	}
	env.Brand.Marks = len(marks)
	if ev.keywordStuffing && !env.Brand.InTitle {
		env.Context.KeywordStuffing = true
	}
	for d := range disguises {
		env.Brand.Disguises = append(env.Brand.Disguises, d)
	}
	sort.Strings(env.Brand.Disguises)
	// Two different marks of the brand ("Off-White Industrial belt",
	// "Supreme Box Logo") read ordinary words as the brand; so does
	// counterfeit wording in the title or next to the mark (above).
	if len(marks) >= 2 {
		confirmed = true
	}
	env.Brand.Ordinary = weak && !strong
	// The category alone reads an ordinary word as the brand only in the
	// title: "Speedy dispatch" in a description is shipping, not Louis Vuitton.
	env.Brand.Supported = strong || confirmed || (env.Brand.CategoryMatch && weakInTitle)
	env.Brand.Confirmed = strong || confirmed
	env.Brand.Matched = len(marks) > 0 && (strong || env.Brand.Supported)
	if negated > 0 && len(marks) == 0 {
		env.Context.Disclaimer = true
	}
	if env.Brand.Ordinary && !env.Brand.Supported {
		env.Context.OrdinaryUse = true
		sigs = append(sigs, hallmark.Signal{Detector: hallmark.DetectorContext, Kind: "ordinary_use", BrandID: b.ID,
			Detail: "ordinary-word mark with no brand context (category, other marks, brand wording)"})
	}
	if env.Context.Nominative {
		sigs = append(sigs, hallmark.Signal{Detector: hallmark.DetectorContext, Kind: "nominative", BrandID: b.ID,
			Detail: "the brand names what an accessory fits"})
	}

	// Seller.
	env.Seller.Authorized = reg.authorized[c.brand][l.SellerID]
	for _, id := range in.History.Authorized {
		if id == b.ID {
			env.Seller.Authorized = true
		}
	}
	kind := "unauthorized"
	if env.Seller.Authorized {
		kind = "authorized"
	}
	sigs = append(sigs, hallmark.Signal{Detector: hallmark.DetectorSeller, Kind: kind, BrandID: b.ID,
		Detail: fmt.Sprintf("seller %s is %s for %s", l.SellerID, kind, b.Name)})

	// Price.
	floor, what := 0.0, ""
	if fl, ok := reg.floor(c.brand, e.lex, l.Category); ok && fl.Amount > 0 {
		if f, ok := e.rates.Convert(fl.Amount, fl.Currency, l.Currency); ok && f > 0 {
			where := ""
			if fl.Category != "" {
				where = " for " + fl.Category
			}
			floor = f
			what = fmt.Sprintf("the %s floor%s (%.2f %s = %.2f %s)", b.Name, where, fl.Amount, fl.Currency, f, l.Currency)
		}
	}
	// A named product's own minimum outranks a lower brand floor: a Birkin
	// for 680 is far below anything Hermès sells it for even where the
	// brand-wide floor (a scarf) is not. Of several named products the
	// cheapest counts, since the listing may be selling that one.
	var prod *hallmark.Product
	prodFloor := 0.0
	for _, pi := range named {
		p := &b.Products[pi]
		if p.MinPrice <= 0 {
			continue
		}
		if f, ok := e.rates.Convert(p.MinPrice, p.Currency, l.Currency); ok && f > 0 && (prod == nil || f < prodFloor) {
			prod, prodFloor = p, f
		}
	}
	fromProduct := false
	if prod != nil && prodFloor > floor {
		floor, fromProduct = prodFloor, true
		what = fmt.Sprintf("the floor of %s product %s (%.2f %s = %.2f %s)", b.Name, prod.Name, prod.MinPrice, prod.Currency, prodFloor, l.Currency)
	}
	if floor > 0 {
		env.Price = rules.PriceEnv{Known: true, Floor: floor, Ratio: l.Price / floor, Product: fromProduct}
		kind := "at_or_above_floor"
		if env.Price.Ratio < 1 {
			kind = "below_floor"
		}
		sigs = append(sigs, hallmark.Signal{Detector: hallmark.DetectorPrice, Kind: kind, BrandID: b.ID, Value: env.Price.Ratio,
			Detail: fmt.Sprintf("%.2f %s is %.0f%% of %s", l.Price, l.Currency, 100*env.Price.Ratio, what)})
	}

	// Images.
	if len(c.images) > 0 {
		bestImg := c.images[0]
		for _, im := range c.images[1:] {
			if im.Distance < bestImg.Distance {
				bestImg = im
			}
		}
		env.Image = rules.ImageEnv{Matched: true, Distance: bestImg.Distance, Variant: bestImg.Variant, Count: len(c.images)}
		for _, im := range c.images {
			sigs = append(sigs, hallmark.Signal{Detector: hallmark.DetectorImage, Kind: im.Variant, BrandID: b.ID,
				Value: float64(im.Distance), Original: im.ListingImage, Normalized: im.BrandImageID,
				Detail: fmt.Sprintf("listing image %s matches protected image %s of %s at distance %d (%s)",
					im.ListingImage, im.BrandImageID, b.Name, im.Distance, im.Variant)})
		}
	}
	return sigs
}

// nominative reports whether the brand match names what an accessory fits:
// a cue such as "compatible with" shortly before it, "for" before it in a
// title that names an accessory, or an accessory noun right after it ("iPhone
// 15 case") for brands whose own goods are not themselves cases and straps.
func (e *Engine) nominative(reg *Registry, c *candidate, bm brandMatch, ev *evidence) bool {
	if e.near(bm, lexNominative, -4) {
		return true
	}
	// "boot for Stanley Quencher", "insert for Birkin 30": a brand right
	// after "for" names what the item is for.
	if e.near(bm, lexNominativeWeak, -1) || (ev.accessory && e.near(bm, lexNominativeWeak, -3)) {
		return true
	}
	// "Louis Vuitton monogram phone case": the brand's design on an
	// accessory is the brand's goods, whatever the accessory fits.
	if e.follows(bm, lexDesign) || e.follows(bm, lexDupeAfter) {
		return false
	}
	if ev.accessoryCategory && bm.m.Disguise&strongDisguise == 0 {
		return true
	}
	if bm.field.name != "title" {
		return false
	}
	for g := range reg.catGroups[c.brand] {
		switch g {
		case "bags", "apparel", "jewelry", "shoes", "eyewear":
			return false
		}
	}
	f := bm.field
	for _, lm := range f.lex {
		if e.lex.group[lm.Term] != lexAccessory || lm.Start < bm.m.End {
			continue
		}
		if words(f.text[bm.m.End:lm.Start]) > 4 || includes(f.text[bm.m.End:lm.Start]) {
			continue
		}
		// Another brand between the mark and the accessory owns the accessory.
		between := false
		for _, other := range f.marks {
			if other.Start >= bm.m.End && other.End <= lm.Start && reg.marks[other.Term].brand != c.brand {
				between = true
			}
		}
		if !between {
			return true
		}
	}
	return false
}

// negated reports whether a negation ("not", "no", "not a") stands right
// before lexicon match m.
func (e *Engine) negated(f *field, m textmatch.Match) bool {
	for _, lm := range f.lex {
		if e.lex.group[lm.Term] == lexNegation && lm.End <= m.Start && words(f.text[lm.End:m.Start]) == 0 {
			return true
		}
	}
	return false
}

// replicaInTitle reports whether the title has counterfeit wording.
func replicaInTitle(ev *evidence) bool {
	for _, c := range ev.cues {
		if c.field.name == "title" {
			return true
		}
	}
	return false
}

// nearCue reports whether counterfeit wording sits within n words of the
// match in the same field.
func (e *Engine) nearCue(bm brandMatch, ev *evidence, n int) bool {
	f := bm.field
	for _, c := range ev.cues {
		if c.field != f {
			continue
		}
		switch {
		case c.m.End <= bm.m.Start && within(f.text[c.m.End:bm.m.Start], n):
			return true
		case c.m.Start >= bm.m.End && within(f.text[bm.m.End:c.m.Start], n):
			return true
		}
	}
	return false
}

// excepted reports whether lexicon match m lies inside an innocent phrase
// ("1:1 scale", "museum replica").
func (e *Engine) excepted(f *field, m textmatch.Match) bool {
	for _, lm := range f.lex {
		switch e.lex.group[lm.Term] {
		case lexCueException:
			if lm.Start <= m.Start && m.End <= lm.End {
				return true
			}
		case lexExceptAfter:
			if lm.Start >= m.End && words(f.text[m.End:lm.Start]) == 0 {
				return true
			}
		case lexExceptBefore:
			if lm.End <= m.Start && words(f.text[lm.End:m.Start]) == 0 {
				return true
			}
		}
	}
	return false
}

// overlapsBrandMark reports whether lexicon match m covers part of a mark
// of the given brand.
func overlapsBrandMark(reg *Registry, f *field, m textmatch.Match, brand int) bool {
	for _, bm := range f.marks {
		if reg.marks[bm.Term].brand == brand && bm.Start < m.End && m.Start < bm.End {
			return true
		}
	}
	return false
}

// follows reports whether a phrase of the group comes right after the match.
func (e *Engine) follows(bm brandMatch, group string) bool {
	f := bm.field
	for _, lm := range f.lex {
		if e.lex.group[lm.Term] == group && lm.Start >= bm.m.End && words(f.text[bm.m.End:lm.Start]) <= 1 {
			return true
		}
	}
	return false
}

// near reports whether a phrase of the lexicon group sits within n words of
// the match in the same field: before it when n < 0, on either side when n > 0.
func (e *Engine) near(bm brandMatch, group string, n int) bool {
	f := bm.field
	before := n < 0
	if n < 0 {
		n = -n
	}
	for _, lm := range f.lex {
		if e.lex.group[lm.Term] != group {
			continue
		}
		switch {
		case lm.End <= bm.m.Start:
			if within(f.text[lm.End:bm.m.Start], n) {
				return true
			}
		case !before && lm.Start >= bm.m.End:
			if within(f.text[bm.m.End:lm.Start], n) {
				return true
			}
		}
	}
	return false
}

// includes reports whether the words between a mark and an accessory say
// the product comes with it ("AirPods Pro 2 with MagSafe case"), rather
// than that the accessory is for the product ("iPhone 15 case").
func includes(between string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(between), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '+' && r != '&'
	}) {
		switch w {
		case "with", "w", "and", "plus", "incl", "including", "includes", "+", "&":
			return true
		}
	}
	return false
}

// sameSpelling reports whether a match is the mark as the brand spells it,
// accents and all, up to case, width and separators.
func sameSpelling(original, mark string) bool {
	return spelling(original) == spelling(mark)
}

func spelling(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return norm.NFC.String(b.String())
}

// within reports whether the text between two phrases is at most n words
// and crosses no sentence boundary: "Fits most cup holders. #hydroflask"
// does not make the hashtag nominative.
func within(between string, n int) bool {
	return words(between) <= n && !strings.ContainsAny(between, ".!?;|\n•")
}

// words counts the words in s.
func words(s string) int {
	n, in := 0, false
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

func matchKind(m textmatch.Match) string {
	if m.Edits > 0 {
		if m.Disguise == 0 {
			return "typo"
		}
		return m.Disguise.String() + "+typo"
	}
	return m.Disguise.String()
}

func markDetail(ref *markRef) string {
	kind := string(ref.kind)
	if kind == "" {
		kind = string(hallmark.MarkWord)
	}
	switch {
	case ref.ident && ref.short:
		return "product identifier, short"
	case ref.ident:
		return "product identifier"
	case ref.ordinary:
		return kind + " mark, ordinary word"
	case ref.short:
		return kind + " mark, short"
	}
	return kind + " mark"
}

var detectorOf = map[string]string{
	"brand":   hallmark.DetectorBrand,
	"replica": hallmark.DetectorReplica,
	"context": hallmark.DetectorContext,
	"price":   hallmark.DetectorPrice,
	"seller":  hallmark.DetectorSeller,
	"image":   hallmark.DetectorImage,
}

// signalsFor picks the signals of the detectors a rule reads.
func signalsFor(groups []string, sigs []hallmark.Signal) []hallmark.Signal {
	want := map[string]bool{}
	for _, g := range groups {
		if d, ok := detectorOf[g]; ok {
			want[d] = true
		}
	}
	var out []hallmark.Signal
	for _, s := range sigs {
		if want[s.Detector] {
			out = append(out, s)
		}
	}
	return out
}

// ScreenImages screens a listing together with its hashed images.
func (e *Engine) ScreenImages(ctx context.Context, l *hallmark.Listing, h hallmark.SellerHistory, imgs []ListingImage) (*hallmark.Decision, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return e.ScreenInput(&Input{Listing: l, History: h, Images: imgs})
}
