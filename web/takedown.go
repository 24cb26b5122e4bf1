package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func ftoa(f float64, prec int) string { return strconv.FormatFloat(f, 'f', prec, 64) }

func fmtDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " days"
}

// recordID reads {id} as a record id; anything else is simply not found.
func recordID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// ---- notices: rights holders file and follow them, staff decide them ----

const listMax = 1000

func (c *Console) noticesPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := from(r).p
	if !p.Staff() && p.Role != account.RightsHolder {
		c.notFound(w, r, nil)
		return
	}
	ns, err := c.td.ListNotices(ctx, p, notice.Filter{Limit: listMax})
	if err != nil {
		c.formError(w, r, err, "notices", map[string]any{})
		return
	}
	slices.Reverse(ns) // newest first
	data := map[string]any{"Notices": ns, "Filed": r.URL.Query().Get("filed")}
	if p.Role == account.RightsHolder {
		var standings []*notice.Standing
		for _, b := range p.BrandIDs {
			st, err := c.td.GetStanding(ctx, p, b)
			if err != nil {
				c.fail(w, r, err)
				return
			}
			if st.BrandID == "" {
				st.BrandID = b
			}
			standings = append(standings, st)
		}
		data["Standings"] = standings
		cs, err := c.td.ListCounterNotices(ctx, p, notice.Filter{Limit: listMax})
		if err != nil {
			c.fail(w, r, err)
			return
		}
		data["Counters"] = cs
	}
	c.render(w, r, http.StatusOK, "notices", data)
}

// noticeForm is what the notice form shows and posts back.
type noticeForm struct {
	BrandID, Listings, Explanation, Name, Email string
	RightID                                     int64
	GoodFaith                                   bool
}

func (c *Console) noticeFormData(r *http.Request, f noticeForm) (map[string]any, error) {
	p := from(r).p
	rights, err := c.td.ListRights(r.Context(), p, notice.Filter{Status: string(notice.RightVerified), Limit: listMax})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Form": f, "Rights": rights, "Brands": p.BrandIDs, "Max": notice.MaxListings}, nil
}

func (c *Console) newNoticePage(w http.ResponseWriter, r *http.Request) {
	s := from(r)
	if s.p.Role != account.RightsHolder {
		c.notFound(w, r, nil)
		return
	}
	q := r.URL.Query()
	f := noticeForm{Name: s.user.Name, Email: s.user.Email, Listings: q.Get("listing")}
	if len(s.p.BrandIDs) == 1 {
		f.BrandID = s.p.BrandIDs[0]
	}
	if b := q.Get("brand"); b != "" {
		if !s.p.ActsFor(b) {
			c.notFound(w, r, nil)
			return
		}
		f.BrandID = b
	}
	data, err := c.noticeFormData(r, f)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	search := strings.TrimSpace(q.Get("q"))
	data["Query"] = search
	if f.BrandID != "" {
		found, more, err := c.searchListings(r, f.BrandID, search)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		data["Found"], data["More"] = found, more
	}
	c.render(w, r, http.StatusOK, "notice_new", data)
}

// splitIDs reads listing ids one per line (or separated by commas or spaces).
func splitIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ' ' || r == '\t' })
}

func (c *Console) fileNotice(w http.ResponseWriter, r *http.Request) {
	p := from(r).p
	if p.Role != account.RightsHolder {
		c.notFound(w, r, nil)
		return
	}
	f := noticeForm{BrandID: r.PostFormValue("brand_id"), Listings: r.PostFormValue("listing_ids"),
		Explanation: r.PostFormValue("explanation"), Name: r.PostFormValue("contact_name"),
		Email: r.PostFormValue("contact_email"), GoodFaith: r.PostFormValue("good_faith") == "yes"}
	f.RightID, _ = strconv.ParseInt(r.PostFormValue("right_id"), 10, 64)
	// The listings are those typed and those ticked in the search results,
	// each once, in that order.
	ids := splitIDs(f.Listings)
	for _, id := range r.PostForm["listing"] {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	// Should the form come back with an error, the ticked listings are
	// kept in the text box, where they can be seen and corrected.
	f.Listings = strings.Join(ids, "\n")
	in := notice.NoticeInput{BrandID: f.BrandID, RightID: f.RightID, ListingIDs: ids,
		Explanation: f.Explanation, GoodFaith: f.GoodFaith, Contact: notice.Contact{Name: f.Name, Email: f.Email}}
	n, err := c.td.FileNotice(r.Context(), p, in)
	if err != nil {
		data, derr := c.noticeFormData(r, f)
		if derr != nil {
			c.fail(w, r, derr)
			return
		}
		if errors.Is(err, hallmark.ErrNotFound) {
			// A listing id that does not exist is the notifier's mistake
			// to fix, not a page that is missing.
			data["Error"] = err.Error()
			c.render(w, r, http.StatusUnprocessableEntity, "notice_new", data)
			return
		}
		c.formError(w, r, err, "notice_new", data)
		return
	}
	http.Redirect(w, r, Prefix+"/notices/"+strconv.FormatInt(n.ID, 10), http.StatusSeeOther)
}

func (c *Console) noticePage(w http.ResponseWriter, r *http.Request) {
	c.showNotice(w, r, http.StatusOK, "")
}

func (c *Console) showNotice(w http.ResponseWriter, r *http.Request, code int, msg string) {
	ctx := r.Context()
	p := from(r).p
	id, ok := recordID(r)
	if !ok {
		c.notFound(w, r, nil)
		return
	}
	n, err := c.td.GetNotice(ctx, p, id)
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := map[string]any{"Notice": n, "Error": msg, "Staff": p.Staff()}
	var stmts []notice.Statement
	if p.Staff() {
		for _, sid := range n.StatementIDs {
			st, err := c.td.GetStatement(ctx, p, sid)
			if err != nil {
				c.fail(w, r, err)
				return
			}
			stmts = append(stmts, *st)
		}
	}
	data["Statements"] = stmts
	c.render(w, r, code, "notice", data)
}

func (c *Console) decideNotice(w http.ResponseWriter, r *http.Request) {
	id, ok := recordID(r)
	if !ok {
		c.notFound(w, r, nil)
		return
	}
	accept := r.PostFormValue("decision") == "accept"
	_, err := c.td.DecideNotice(r.Context(), from(r).p, id, accept, r.PostFormValue("reason"), r.PostFormValue("unfounded") == "yes")
	if err != nil {
		if errors.Is(err, hallmark.ErrNotFound) {
			c.notFound(w, r, err)
			return
		}
		msg := userError(err)
		if msg == "" {
			c.fail(w, r, err)
			return
		}
		c.showNotice(w, r, http.StatusUnprocessableEntity, msg)
		return
	}
	http.Redirect(w, r, Prefix+"/notices/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// ---- sellers: restricted listings, statements of reasons, answers ----

func (c *Console) sellerListings(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := from(r).p
	if p.Role != account.Seller {
		c.notFound(w, r, nil)
		return
	}
	var listings []hallmark.Listing
	for _, st := range []hallmark.ListingStatus{hallmark.StatusHeld, hallmark.StatusRemoved} {
		ls, err := c.st.ListListings(ctx, store.ListingFilter{SellerID: p.SellerID, Status: st, Page: store.Page{Limit: 500}})
		if err != nil {
			c.fail(w, r, err)
			return
		}
		listings = append(listings, ls...)
	}
	stmts, err := c.td.ListStatements(ctx, p, notice.Filter{Limit: listMax})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	slices.Reverse(stmts)
	byListing := map[string][]notice.Statement{}
	for _, s := range stmts {
		byListing[s.ListingID] = append(byListing[s.ListingID], s)
	}
	type row struct {
		Listing    hallmark.Listing
		Statements []notice.Statement
	}
	var rows []row
	for _, l := range listings {
		rows = append(rows, row{l, byListing[l.ID]})
	}
	c.render(w, r, http.StatusOK, "seller_listings", map[string]any{"Rows": rows, "Statements": stmts})
}

func (c *Console) statementPage(w http.ResponseWriter, r *http.Request) {
	c.showStatement(w, r, http.StatusOK, nil)
}

func (c *Console) showStatement(w http.ResponseWriter, r *http.Request, code int, extra map[string]any) {
	ctx := r.Context()
	p := from(r).p
	id, ok := recordID(r)
	if !ok || (p.Role != account.Seller && !p.Staff()) {
		c.notFound(w, r, nil)
		return
	}
	st, err := c.td.GetStatement(ctx, p, id)
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := map[string]any{"Statement": st, "Seller": p.Role == account.Seller}
	if l, err := c.st.GetListing(ctx, st.ListingID); err == nil {
		data["Listing"] = l
	}
	counters, err := c.td.ListCounterNotices(ctx, p, notice.Filter{SellerID: st.SellerID, RefID: id, Limit: 10})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data["Counters"] = counters
	appeals, err := c.td.ListAppeals(ctx, p, notice.Filter{SellerID: st.SellerID, RefID: id, Limit: 10})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data["Appeals"] = appeals
	cfg := c.td.Config()
	data["CounterBy"] = st.CreatedAt.Add(cfg.CounterWindow)
	data["AppealBy"] = st.CreatedAt.Add(cfg.AppealWindow)
	data["CanCounter"] = p.Role == account.Seller && st.Status == notice.StatementInForce && len(counters) == 0 &&
		!c.now().After(st.CreatedAt.Add(cfg.CounterWindow))
	pending := false
	for _, a := range appeals {
		pending = pending || a.Status == notice.AppealPending
	}
	data["CanAppeal"] = p.Role == account.Seller && st.Status == notice.StatementInForce && !pending &&
		!c.now().After(st.CreatedAt.Add(cfg.AppealWindow))
	data["Name"], data["Email"] = from(r).user.Name, from(r).user.Email
	for k, v := range extra {
		data[k] = v
	}
	c.render(w, r, code, "statement", data)
}

func (c *Console) fileCounter(w http.ResponseWriter, r *http.Request) {
	id, ok := recordID(r)
	if !ok {
		c.notFound(w, r, nil)
		return
	}
	in := notice.CounterInput{Explanation: r.PostFormValue("explanation"),
		Contact: notice.Contact{Name: r.PostFormValue("contact_name"), Email: r.PostFormValue("contact_email")}}
	_, err := c.td.FileCounterNotice(r.Context(), from(r).p, id, in)
	c.afterAnswer(w, r, id, err, map[string]any{"CounterExplanation": in.Explanation, "Name": in.Contact.Name, "Email": in.Contact.Email})
}

func (c *Console) fileAppeal(w http.ResponseWriter, r *http.Request) {
	id, ok := recordID(r)
	if !ok {
		c.notFound(w, r, nil)
		return
	}
	in := notice.AppealInput{Explanation: r.PostFormValue("explanation")}
	_, err := c.td.FileAppeal(r.Context(), from(r).p, id, in)
	c.afterAnswer(w, r, id, err, map[string]any{"AppealExplanation": in.Explanation})
}

func (c *Console) afterAnswer(w http.ResponseWriter, r *http.Request, id int64, err error, form map[string]any) {
	if err == nil {
		http.Redirect(w, r, Prefix+"/statements/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	msg := userError(err)
	if msg == "" {
		c.fail(w, r, err)
		return
	}
	code := http.StatusUnprocessableEntity
	if errors.Is(err, hallmark.ErrConflict) {
		code = http.StatusConflict
	}
	form["Error"] = msg
	c.showStatement(w, r, code, form)
}

// searchScan bounds how many of a brand's screening decisions a listing
// search reads, newest first.
const searchScan = 1000

// foundListing is one search result on the notice form.
type foundListing struct {
	Listing  *hallmark.Listing
	Decision hallmark.Decision
}

// searchListings finds the listings screened under brand, newest decision
// first, each once, whose title contains query (case-insensitively; every
// listing for an empty query). It returns at most notice.MaxListings of
// them, and whether more matched.
func (c *Console) searchListings(r *http.Request, brand, query string) ([]foundListing, bool, error) {
	ctx := r.Context()
	ds, err := c.st.ListDecisions(ctx, store.DecisionFilter{BrandID: brand, Page: store.Page{Limit: searchScan}})
	if err != nil {
		return nil, false, err
	}
	query = strings.ToLower(query)
	seen := map[string]bool{}
	var out []foundListing
	for _, d := range ds {
		if seen[d.ListingID] {
			continue
		}
		seen[d.ListingID] = true
		l, err := c.st.GetListing(ctx, d.ListingID)
		if errors.Is(err, hallmark.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if query != "" && !strings.Contains(strings.ToLower(l.Title), query) {
			continue
		}
		if len(out) == notice.MaxListings {
			return out, true, nil
		}
		out = append(out, foundListing{l, d})
	}
	return out, false, nil
}
