package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
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

// queueRow is one line of the queue page.
type queueRow struct {
	store.ReviewCase
	Waiting  time.Duration
	Overdue  bool
	Deadline time.Time
	// Mine is true when the claim on the row is the viewer's own.
	Mine bool
}

const queuePage = 50

// detectors are the queue's detector filter choices.
var detectors = []string{hallmark.DetectorBrand, hallmark.DetectorReplica, hallmark.DetectorContext,
	hallmark.DetectorPrice, hallmark.DetectorSeller, hallmark.DetectorImage}

// queueFilter reads the queue's filters from the query string. Values
// longer than an id can be are dropped rather than sent to the store.
func queueFilter(r *http.Request) store.ReviewFilter {
	q := r.URL.Query()
	get := func(k string) string {
		v := strings.TrimSpace(q.Get(k))
		if len(v) > hallmark.MaxIDLen || !utf8.ValidString(v) {
			return ""
		}
		return v
	}
	skip, _ := strconv.Atoi(q.Get("skip"))
	return store.ReviewFilter{BrandID: get("brand"), Detector: get("detector"), Category: get("category"),
		SellerID: get("seller"), Offset: min(max(skip, 0), 1_000_000), Limit: queuePage}
}

// query is the filter as a query string, for the next-page link.
func queryOf(f store.ReviewFilter, skip int) string {
	v := url.Values{}
	for k, s := range map[string]string{"brand": f.BrandID, "detector": f.Detector, "category": f.Category, "seller": f.SellerID} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if skip > 0 {
		v.Set("skip", strconv.Itoa(skip))
	}
	return v.Encode()
}

func (c *Console) queuePage(w http.ResponseWriter, r *http.Request) {
	c.renderQueue(w, r, http.StatusOK, nil)
}

// renderQueue renders the queue; extra (bulk results, errors) is merged in.
func (c *Console) renderQueue(w http.ResponseWriter, r *http.Request, code int, extra map[string]any) {
	ctx := r.Context()
	now := c.now()
	f := queueFilter(r)
	f.Now = now
	cases, total, err := c.st.ReviewQueue(ctx, f)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	me := from(r).p.Actor
	rows := make([]queueRow, 0, len(cases))
	for _, rc := range cases {
		dl := rc.DecidedAt.Add(c.deadline)
		rows = append(rows, queueRow{ReviewCase: rc, Waiting: now.Sub(rc.DecidedAt), Overdue: now.After(dl), Deadline: dl,
			Mine: rc.Claim != nil && rc.Claim.Reviewer == me})
	}
	brands, err := c.brandList(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := map[string]any{"Rows": rows, "Filter": f, "Brands": brands, "Detectors": detectors, "Waiting": total,
		"Decided": r.URL.Query().Get("decided"), "ReasonCodes": reasonCodes, "Query": queryOf(f, f.Offset)}
	if f.Offset+len(rows) < total {
		data["Next"] = queryOf(f, f.Offset+queuePage)
	}
	for k, v := range extra {
		data[k] = v
	}
	c.render(w, r, code, "queue", data)
}

// brandOption is a brand in a filter's choices.
type brandOption struct{ ID, Name string }

// brandList is the brands' ids and names for the brand filter. ListBrands
// loads every brand whole; the queue needs only names, and reads them once
// per page.
func (c *Console) brandList(ctx context.Context) ([]brandOption, error) {
	bs, err := c.st.ListBrands(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]brandOption, len(bs))
	for i, b := range bs {
		out[i] = brandOption{b.ID, b.Name}
	}
	return out, nil
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
		"Images":      imageMatches(sigs),
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
	c.renderCase(w, r, http.StatusOK, r.PathValue("id"), nil)
}

// renderCase renders a case page with its claim; extra is merged in.
func (c *Console) renderCase(w http.ResponseWriter, r *http.Request, code int, id string, extra map[string]any) {
	ctx := r.Context()
	data, err := c.caseData(ctx, id)
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	claim, err := c.st.GetClaim(ctx, id, c.now())
	if err != nil && !errors.Is(err, hallmark.ErrNotFound) {
		c.fail(w, r, err)
		return
	}
	if claim != nil {
		data["Claim"] = claim
		data["ClaimMine"] = claim.Reviewer == from(r).p.Actor
		data["ClaimedByOther"] = claim.Reviewer != from(r).p.Actor
	}
	for k, v := range extra {
		data[k] = v
	}
	c.render(w, r, code, "case", data)
}

// claimedByOther returns the live claim on a listing if someone other than
// the viewer holds it.
func (c *Console) claimedByOther(ctx context.Context, id, me string) (*store.Claim, error) {
	cl, err := c.st.GetClaim(ctx, id, c.now())
	if errors.Is(err, hallmark.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if cl.Reviewer == me {
		return nil, nil
	}
	return cl, nil
}

func claimMessage(cl *store.Claim) string {
	return "This case is claimed by " + cl.Name + " until " + cl.ExpiresAt.UTC().Format("15:04 MST") +
		". You cannot decide it until the claim expires or is released."
}

func (c *Console) claim(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s := from(r)
	_, err := c.st.ClaimCase(r.Context(), id, s.p.Actor, s.user.Name, c.now(), c.claimTTL)
	switch {
	case errors.Is(err, hallmark.ErrNotFound):
		c.notFound(w, r, err)
	case errors.Is(err, hallmark.ErrConflict):
		// renderCase shows who holds it.
		c.renderCase(w, r, http.StatusConflict, id, nil)
	case err != nil:
		c.fail(w, r, err)
	default:
		http.Redirect(w, r, Prefix+"/cases/"+url.PathEscape(id), http.StatusSeeOther)
	}
}

func (c *Console) release(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := c.st.ReleaseClaim(r.Context(), id, from(r).p.Actor); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Prefix+"/cases/"+url.PathEscape(id), http.StatusSeeOther)
}

const maxNote = 2000

// checkDecision validates a decision form's fields, returning the listing
// status it sets, the audit reason, and a message for the reviewer if the
// form is wrong.
func checkDecision(action, code, note string) (hallmark.ListingStatus, string, string) {
	status, ok := statusFor[action]
	switch {
	case !ok:
		return "", "", "Choose restore, remove or needs more review."
	case !validReason(action, code):
		return "", "", "Choose a reason code that fits the decision (" + action + ")."
	case len(note) > maxNote || !utf8.ValidString(note):
		return "", "", "The note is too long."
	}
	reason := code
	if note != "" {
		reason += ": " + note
	}
	return status, reason, ""
}

// decideOne applies a reviewer's decision to one listing unless another
// reviewer holds a live claim on it, and then releases the reviewer's own
// claim. The claim check and the status change are separate statements: a
// claim taken between them loses to the decision, which is the outcome
// the claimant would see a moment later anyway.
func (c *Console) decideOne(ctx context.Context, id string, status hallmark.ListingStatus, actor, reason string) (*store.Claim, error) {
	if cl, err := c.claimedByOther(ctx, id, actor); err != nil || cl != nil {
		return cl, err
	}
	if err := c.st.SetListingStatus(ctx, id, status, actor, reason); err != nil {
		return nil, err
	}
	return nil, c.st.ReleaseClaim(ctx, id, actor)
}

func (c *Console) decide(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	note := strings.TrimSpace(r.PostFormValue("note"))
	status, reason, msg := checkDecision(r.PostFormValue("action"), r.PostFormValue("reason"), note)
	code := http.StatusUnprocessableEntity
	if msg == "" {
		cl, err := c.decideOne(ctx, id, status, from(r).p.Actor, reason)
		if errors.Is(err, hallmark.ErrNotFound) {
			c.notFound(w, r, err)
			return
		}
		if err != nil {
			c.fail(w, r, err)
			return
		}
		if cl == nil {
			http.Redirect(w, r, Prefix+"/queue?decided="+urlQueryEscape(id), http.StatusSeeOther)
			return
		}
		msg, code = claimMessage(cl), http.StatusConflict
	}
	c.renderCase(w, r, code, id, map[string]any{"Error": msg, "Note": note})
}

// maxBulk bounds one bulk decision: a page of the queue.
const maxBulk = queuePage

// bulkResult is one listing's outcome in a bulk decision.
type bulkResult struct {
	ID, Outcome string
	OK          bool
}

// decideBulk applies one decision and reason code to the listings ticked
// on the queue page. Each is decided (and audited) on its own: one claimed
// by someone else or gone is reported and skipped, not fatal to the rest.
func (c *Console) decideBulk(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ids := r.PostForm["id"]
	note := strings.TrimSpace(r.PostFormValue("note"))
	status, reason, msg := checkDecision(r.PostFormValue("action"), r.PostFormValue("reason"), note)
	switch {
	case msg != "":
	case len(ids) == 0:
		msg = "Tick at least one listing."
	case len(ids) > maxBulk:
		msg = "Decide at most " + strconv.Itoa(maxBulk) + " listings at once."
	}
	if msg != "" {
		c.renderQueue(w, r, http.StatusUnprocessableEntity, map[string]any{"Error": msg})
		return
	}
	actor := from(r).p.Actor
	var results []bulkResult
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] || len(id) > hallmark.MaxIDLen {
			continue
		}
		seen[id] = true
		cl, err := c.decideOne(ctx, id, status, actor, reason)
		switch {
		case errors.Is(err, hallmark.ErrNotFound):
			results = append(results, bulkResult{id, "not found", false})
		case err != nil:
			c.fail(w, r, err)
			return
		case cl != nil:
			results = append(results, bulkResult{id, "claimed by " + cl.Name + ", not decided", false})
		default:
			results = append(results, bulkResult{id, "decided: " + r.PostFormValue("action"), true})
		}
	}
	c.renderQueue(w, r, http.StatusOK, map[string]any{"Bulk": results})
}

// imageMatch is one listing image found near a protected image, from the
// decision's image_match signals.
type imageMatch struct {
	ListingImage string
	UploadID     string // set when the listing image is an upload we keep
	BrandID      string
	BrandImageID string
	Distance     int
	Variant      string
}

func imageMatches(sigs []hallmark.Signal) []imageMatch {
	var out []imageMatch
	for _, s := range sigs {
		if s.Detector != hallmark.DetectorImage {
			continue
		}
		m := imageMatch{ListingImage: s.Original, BrandID: s.BrandID, BrandImageID: s.Normalized,
			Distance: int(s.Value), Variant: s.Kind}
		if id, ok := strings.CutPrefix(s.Original, "upload:"); ok {
			m.UploadID = id
		}
		out = append(out, m)
	}
	return out
}

// uploadTypes are the image types the console serves back; anything else
// stored as an upload is not shown inline.
var uploadTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

// upload serves an uploaded listing image to staff, for the case page.
func (c *Console) upload(w http.ResponseWriter, r *http.Request) {
	u, err := c.st.GetUpload(r.Context(), r.PathValue("id"))
	if errors.Is(err, hallmark.ErrNotFound) || (err == nil && !uploadTypes[u.ContentType]) {
		c.notFound(w, r, err)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", u.ContentType)
	w.Header().Set("Content-Disposition", "inline")
	_, _ = w.Write(u.Data)
}
