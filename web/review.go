package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

// ---- the review queue ----

// candidate is one listing waiting for review, as its latest review
// decision describes it.
type candidate struct {
	ListingID string
	BrandID   string
	Score     float64
	DecidedAt time.Time
}

// queueIndex is the review queue's order: held-for-review listings by risk
// (score, highest first) and then by age (oldest first). It is built from
// the store's review decisions and reused for a few seconds, so a page of
// the queue costs a handful of listing lookups however long the queue is.
type queueIndex struct {
	built time.Time
	items []candidate
}

func (q *queueCache) get(ctx context.Context, st store.Store, brand string, now time.Time) ([]candidate, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if ix, ok := q.byKey[brand]; ok && now.Sub(ix.built) < q.ttl {
		return ix.items, nil
	}
	review := hallmark.Review
	seen := map[string]bool{}
	var items []candidate
	f := store.DecisionFilter{Action: &review, BrandID: brand, Page: store.Page{Limit: 1000}}
	for scanned := 0; scanned < q.scan; {
		ds, err := st.ListDecisions(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			// Newest first: the first decision seen for a listing is its latest.
			if !seen[d.ListingID] {
				seen[d.ListingID] = true
				items = append(items, candidate{d.ListingID, d.BrandID, d.Score, d.DecidedAt})
			}
		}
		scanned += len(ds)
		if len(ds) < f.Limit {
			break
		}
		f.After = store.DecisionCursor(ds[len(ds)-1])
	}
	slices.SortFunc(items, func(a, b candidate) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := a.DecidedAt.Compare(b.DecidedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ListingID, b.ListingID)
	})
	if q.byKey == nil || len(q.byKey) > 1000 {
		q.byKey = map[string]*queueIndex{}
	}
	q.byKey[brand] = &queueIndex{built: now, items: items}
	return items, nil
}

// invalidate drops every cached order, after a decision changed the queue.
func (q *queueCache) invalidate() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.byKey = nil
}

// queueRow is one line of the queue page.
type queueRow struct {
	Listing  *hallmark.Listing
	BrandID  string
	Score    float64
	Waiting  time.Duration
	Overdue  bool
	Deadline time.Time
}

const queuePage = 50

func (c *Console) queuePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	brand := r.URL.Query().Get("brand")
	if len(brand) > hallmark.MaxIDLen {
		brand = ""
	}
	skip, _ := strconv.Atoi(r.URL.Query().Get("skip"))
	skip = max(skip, 0)
	now := c.now()
	items, err := c.queue.get(ctx, c.st, brand, now)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var rows []queueRow
	// Walk the order, skipping listings decided since the index was built.
	next := -1
	held := 0
	for i := 0; i < len(items); i++ {
		it := items[i]
		l, err := c.st.GetListing(ctx, it.ListingID)
		if errors.Is(err, hallmark.ErrNotFound) {
			continue
		}
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if l.Status != hallmark.StatusHeld {
			continue
		}
		held++
		if held <= skip {
			continue
		}
		if len(rows) == queuePage {
			next = skip + queuePage
			break
		}
		dl := it.DecidedAt.Add(c.deadline)
		rows = append(rows, queueRow{Listing: l, BrandID: it.BrandID, Score: it.Score,
			Waiting: now.Sub(it.DecidedAt), Overdue: now.After(dl), Deadline: dl})
	}
	brands, err := c.st.ListBrands(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := map[string]any{"Rows": rows, "Brand": brand, "Brands": brands, "Waiting": len(items),
		"Decided": r.URL.Query().Get("decided")}
	if next > 0 {
		data["Next"] = next
	}
	c.render(w, r, http.StatusOK, "queue", data)
}

// ---- the case page ----

// segment is a run of a listing's original text, marked where a detector
// matched it.
type segment struct {
	Text  string
	Mark  bool
	Label string
}

// highlight cuts text into segments at the spans of the signals that name
// field, so the page can mark what matched in the original. Spans that
// overlap an earlier one, run past the text or cut a character in two are
// left out rather than trusted.
func highlight(text, field string, sigs []hallmark.Signal) []segment {
	type span struct {
		start, end int
		label      string
	}
	var spans []span
	for _, s := range sigs {
		if s.Span == nil || s.Span.Field != field {
			continue
		}
		a, b := s.Span.Start, s.Span.End
		if a < 0 || b > len(text) || a >= b || !utf8.RuneStart(text[a]) || (b < len(text) && !utf8.RuneStart(text[b])) {
			continue
		}
		label := s.Detector
		if s.Mark != "" {
			label += ": " + s.Mark
		}
		if s.Kind != "" {
			label += " (" + s.Kind + ")"
		}
		spans = append(spans, span{a, b, label})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []segment
	pos := 0
	for _, s := range spans {
		if s.start < pos {
			continue
		}
		if s.start > pos {
			out = append(out, segment{Text: text[pos:s.start]})
		}
		out = append(out, segment{Text: text[s.start:s.end], Mark: true, Label: s.label})
		pos = s.end
	}
	if pos < len(text) {
		out = append(out, segment{Text: text[pos:]})
	}
	return out
}

// allSignals is the decision's signals and those its reasons cite, once each.
func allSignals(d *hallmark.Decision) []hallmark.Signal {
	if d == nil {
		return nil
	}
	out := append([]hallmark.Signal(nil), d.Signals...)
	type key struct {
		det, kind, mark string
		span            hallmark.Span
	}
	seen := map[key]bool{}
	k := func(s hallmark.Signal) key {
		var sp hallmark.Span
		if s.Span != nil {
			sp = *s.Span
		}
		return key{s.Detector, s.Kind, s.Mark, sp}
	}
	for _, s := range out {
		seen[k(s)] = true
	}
	for _, r := range d.Reasons {
		for _, s := range r.Signals {
			if !seen[k(s)] {
				seen[k(s)] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// priceCheck compares a listing's price with its brand's floor.
type priceCheck struct {
	Floor    hallmark.PriceFloor
	Ratio    float64
	Below    bool
	Currency bool // the floor is in the listing's currency
}

func floorFor(b *hallmark.Brand, l *hallmark.Listing) *priceCheck {
	if b == nil {
		return nil
	}
	var best *hallmark.PriceFloor
	for i, f := range b.PriceFloors {
		if f.Category != "" && !strings.EqualFold(f.Category, l.Category) {
			continue
		}
		if best == nil || (best.Category == "" && f.Category != "") {
			best = &b.PriceFloors[i]
		}
	}
	if best == nil {
		return nil
	}
	pc := &priceCheck{Floor: *best, Currency: strings.EqualFold(best.Currency, l.Currency)}
	if best.Amount > 0 {
		pc.Ratio = l.Price / best.Amount
	}
	pc.Below = pc.Currency && l.Price < best.Amount
	return pc
}

// reasonCodes are the reason codes a reviewer picks from, by decision.
var reasonCodes = []struct {
	Action, Label string
	Codes         []string
}{
	{"remove", "Remove", []string{"counterfeit", "replica_wording", "trademark_misuse", "stolen_images", "price_implausible"}},
	{"restore", "Restore", []string{"genuine_authorized", "nominative_use", "ordinary_word", "authenticated_resale", "false_positive"}},
	{"review", "Needs more review", []string{"needs_brand_input", "needs_documents", "escalate_lead"}},
}

func validReason(action, code string) bool {
	for _, g := range reasonCodes {
		if g.Action == action {
			return slices.Contains(g.Codes, code)
		}
	}
	return false
}

var statusFor = map[string]hallmark.ListingStatus{
	"restore": hallmark.StatusActive,
	"remove":  hallmark.StatusRemoved,
	"review":  hallmark.StatusHeld,
}

func (c *Console) caseData(ctx context.Context, id string) (map[string]any, error) {
	l, err := c.st.GetListing(ctx, id)
	if err != nil {
		return nil, err
	}
	d, err := c.st.LatestDecision(ctx, id)
	if err != nil && !errors.Is(err, hallmark.ErrNotFound) {
		return nil, err
	}
	if errors.Is(err, hallmark.ErrNotFound) {
		d = nil
	}
	sigs := allSignals(d)
	data := map[string]any{
		"Listing":     l,
		"Decision":    d,
		"Signals":     sigs,
		"Title":       highlight(l.Title, "title", sigs),
		"Description": highlight(l.Description, "description", sigs),
		"ReasonCodes": reasonCodes,
	}
	if seller, err := c.st.GetSeller(ctx, l.SellerID); err == nil {
		data["Seller"] = seller
	} else if !errors.Is(err, hallmark.ErrNotFound) {
		return nil, err
	}
	h, err := c.st.SellerHistory(ctx, l.SellerID, c.now())
	if err != nil {
		return nil, err
	}
	data["History"] = h
	if d != nil && d.BrandID != "" {
		b, err := c.st.GetBrand(ctx, d.BrandID)
		if err == nil {
			data["Brand"] = b
			data["Price"] = floorFor(b, l)
		} else if !errors.Is(err, hallmark.ErrNotFound) {
			return nil, err
		}
	}
	trail, err := c.st.ListAudit(ctx, "listing", id, store.Page{Limit: 200})
	if err != nil {
		return nil, err
	}
	data["Audit"] = trail
	return data, nil
}

func (c *Console) casePage(w http.ResponseWriter, r *http.Request) {
	data, err := c.caseData(r.Context(), r.PathValue("id"))
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "case", data)
}

const maxNote = 2000

func (c *Console) decide(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	action, code := r.PostFormValue("action"), r.PostFormValue("reason")
	note := strings.TrimSpace(r.PostFormValue("note"))
	status, ok := statusFor[action]
	msg := ""
	switch {
	case !ok:
		msg = "Choose restore, remove or needs more review."
	case !validReason(action, code):
		msg = "Choose a reason code that fits the decision (" + action + ")."
	case len(note) > maxNote || !utf8.ValidString(note):
		msg = "The note is too long."
	}
	if msg == "" {
		reason := code
		if note != "" {
			reason += ": " + note
		}
		err := c.st.SetListingStatus(ctx, id, status, from(r).p.Actor, reason)
		if errors.Is(err, hallmark.ErrNotFound) {
			c.notFound(w, r, err)
			return
		}
		if err != nil {
			c.fail(w, r, err)
			return
		}
		c.queue.invalidate()
		http.Redirect(w, r, Prefix+"/queue?decided="+urlQueryEscape(id), http.StatusSeeOther)
		return
	}
	data, err := c.caseData(ctx, id)
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data["Error"] = msg
	data["Note"] = note
	c.render(w, r, http.StatusUnprocessableEntity, "case", data)
}
