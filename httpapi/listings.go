package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
)

// page is the envelope of every list response. NextAfter, when present, is
// the cursor to pass as ?after= for the next page.
type page[T any] struct {
	Items     []T    `json:"items"`
	NextAfter string `json:"next_after,omitempty"`
}

type screeningResponse struct {
	Listing  *hallmark.Listing  `json:"listing"`
	Decision *hallmark.Decision `json:"decision"`
}

// statusFor is the status a listing takes after a decision: what the store
// sets too, repeated here so the response shows it without a re-read.
func statusFor(a hallmark.Action) hallmark.ListingStatus {
	switch a {
	case hallmark.Allow:
		return hallmark.StatusActive
	case hallmark.Review:
		return hallmark.StatusHeld
	}
	return hallmark.StatusRemoved
}

// publishListing is the publish-time call: validate, screen, save, answer.
// It is synchronous so that a blocked listing never goes live, not even for
// the moments an asynchronous check would take.
func (s *Server) publishListing(w http.ResponseWriter, r *http.Request) {
	var l hallmark.Listing
	if !s.decodeBody(w, r, s.maxBody, &l) {
		return
	}
	if err := l.Validate(); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	now := s.now().UTC()
	// The history is loaded first because it also says whether the seller
	// exists: unknown sellers are refused before screening, since the
	// engine's seller signals would be meaningless and the store could not
	// keep the row.
	hist, err := s.store.SellerHistory(ctx, l.SellerID, now)
	if err != nil {
		s.fail(w, r, fmt.Errorf("loading seller history: %w", err))
		return
	}
	if !hist.Known {
		writeFieldError(w, r, http.StatusUnprocessableEntity, codeUnknownSeller, "seller_id",
			"seller_id: no seller "+strconv.Quote(l.SellerID)+" is registered; PUT /v1/sellers/{id} first")
		return
	}
	// Server-owned fields: the client may echo them back from an earlier
	// response, but status comes from the decision and the times from us.
	l.Status = ""
	l.CreatedAt, l.UpdatedAt = now, now
	// A re-POST is an edit of the listing. The store keeps its creation
	// time and refuses (ErrConflict, before anything is written) an edit
	// that would move it to another seller, which would let one account
	// inherit another's clean listing: no read is needed here first.
	imgs, err := s.listingImages(ctx, &l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	start := time.Now()
	var d *hallmark.Decision
	if is, ok := s.screener.(ImageScreener); ok && len(imgs) > 0 {
		d, err = is.ScreenImages(ctx, &l, hist, imgs)
	} else {
		d, err = s.screener.Screen(ctx, &l, hist)
	}
	s.metrics.screening.Observe(time.Since(start).Seconds())
	if err != nil {
		s.fail(w, r, fmt.Errorf("screening listing %q: %w", l.ID, err))
		return
	}
	if d == nil {
		s.fail(w, r, fmt.Errorf("screening listing %q: screener returned no decision", l.ID))
		return
	}
	d.ListingID = l.ID
	if d.DecidedAt.IsZero() {
		d.DecidedAt = now
	}
	if d.Reasons == nil {
		d.Reasons = []hallmark.Reason{}
	}
	l.Status = statusFor(d.Action)
	if err := s.store.SaveScreening(ctx, &l, d, actorOf(r)); err != nil {
		if errors.Is(err, hallmark.ErrNotFound) {
			// The seller was deleted between the check and the save.
			writeFieldError(w, r, http.StatusUnprocessableEntity, codeUnknownSeller, "seller_id",
				"seller_id: no seller "+strconv.Quote(l.SellerID)+" is registered")
			return
		}
		if errors.Is(err, hallmark.ErrConflict) {
			writeFieldError(w, r, http.StatusConflict, codeConflict, "seller_id",
				"seller_id: listing "+strconv.Quote(l.ID)+" belongs to another seller")
			return
		}
		s.fail(w, r, fmt.Errorf("saving screening of %q: %w", l.ID, err))
		return
	}
	s.metrics.decisions.WithLabelValues(d.Action.String()).Inc()
	w.Header().Set("Location", "/v1/listings/"+pathEscape(l.ID))
	writeJSON(w, r, http.StatusCreated, screeningResponse{Listing: &l, Decision: d})
}

func (s *Server) getListing(w http.ResponseWriter, r *http.Request) {
	l, err := s.store.GetListing(r.Context(), r.PathValue("id"))
	if err != nil {
		s.notFoundOr(w, r, err, "listing", r.PathValue("id"))
		return
	}
	writeJSON(w, r, http.StatusOK, l)
}

func (s *Server) listListings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg, ok := pageParams(w, r)
	if !ok {
		return
	}
	f := store.ListingFilter{SellerID: q.Get("seller_id"), Page: pg}
	if st := q.Get("status"); st != "" {
		if !validStatus(hallmark.ListingStatus(st)) {
			writeFieldError(w, r, http.StatusBadRequest, codeInvalidField, "status",
				"status: must be active, held or removed")
			return
		}
		f.Status = hallmark.ListingStatus(st)
	}
	ls, err := s.store.ListListings(r.Context(), f)
	if err != nil {
		s.listFail(w, r, err)
		return
	}
	res := page[hallmark.Listing]{Items: ls}
	if res.Items == nil {
		res.Items = []hallmark.Listing{}
	}
	if len(ls) > 0 && len(ls) >= pg.LimitOrDefault() {
		res.NextAfter = store.ListingCursor(ls[len(ls)-1])
	}
	writeJSON(w, r, http.StatusOK, res)
}

func (s *Server) latestDecision(w http.ResponseWriter, r *http.Request) {
	d, err := s.store.LatestDecision(r.Context(), r.PathValue("id"))
	if err != nil {
		s.notFoundOr(w, r, err, "decision for listing", r.PathValue("id"))
		return
	}
	writeJSON(w, r, http.StatusOK, d)
}

func (s *Server) getDecision(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		writeError(w, r, http.StatusNotFound, codeNotFound, "no decision with id "+strconv.Quote(raw))
		return
	}
	d, err := s.store.GetDecision(r.Context(), id)
	if err != nil {
		s.notFoundOr(w, r, err, "decision", raw)
		return
	}
	writeJSON(w, r, http.StatusOK, d)
}

// listDecisions is also the review queue: ?action=review.
func (s *Server) listDecisions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg, ok := pageParams(w, r)
	if !ok {
		return
	}
	f := store.DecisionFilter{BrandID: q.Get("brand_id"), ListingID: q.Get("listing_id"), Page: pg}
	if a := q.Get("action"); a != "" {
		act, err := hallmark.ParseAction(a)
		if err != nil {
			writeFieldError(w, r, http.StatusBadRequest, codeInvalidField, "action",
				"action: must be allow, review or block")
			return
		}
		f.Action = &act
	}
	ds, err := s.store.ListDecisions(r.Context(), f)
	if err != nil {
		s.listFail(w, r, err)
		return
	}
	res := page[hallmark.Decision]{Items: ds}
	if res.Items == nil {
		res.Items = []hallmark.Decision{}
	}
	if len(ds) > 0 && len(ds) >= pg.LimitOrDefault() {
		res.NextAfter = store.DecisionCursor(ds[len(ds)-1])
	}
	writeJSON(w, r, http.StatusOK, res)
}

func (s *Server) listingAudit(w http.ResponseWriter, r *http.Request) {
	pg, ok := pageParams(w, r)
	if !ok {
		return
	}
	// The audit trail outlives the listing, and an id that was never stored
	// simply has an empty trail: no 404 here.
	es, err := s.store.ListAudit(r.Context(), "listing", r.PathValue("id"), pg)
	if err != nil {
		s.listFail(w, r, err)
		return
	}
	res := page[hallmark.AuditEntry]{Items: es}
	if res.Items == nil {
		res.Items = []hallmark.AuditEntry{}
	}
	if len(es) > 0 && len(es) >= pg.LimitOrDefault() {
		res.NextAfter = store.AuditCursor(es[len(es)-1])
	}
	writeJSON(w, r, http.StatusOK, res)
}

type statusRequest struct {
	Status hallmark.ListingStatus `json:"status"`
	Reason string                 `json:"reason"`
}

// setListingStatus records a human decision on a listing. The reason is
// mandatory: it is what the seller is told and what an appeal is judged on.
func (s *Server) setListingStatus(w http.ResponseWriter, r *http.Request) {
	var req statusRequest
	if !s.decodeBody(w, r, s.maxBody, &req) {
		return
	}
	if !validStatus(req.Status) {
		s.fail(w, r, invalid("status", "must be active, held or removed"))
		return
	}
	if err := validName("reason", req.Reason, 2000, true); err != nil {
		s.fail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if err := s.store.SetListingStatus(r.Context(), id, req.Status, actorOf(r), req.Reason); err != nil {
		s.notFoundOr(w, r, err, "listing", id)
		return
	}
	l, err := s.store.GetListing(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, l)
}

func validStatus(st hallmark.ListingStatus) bool {
	switch st {
	case hallmark.StatusActive, hallmark.StatusHeld, hallmark.StatusRemoved:
		return true
	}
	return false
}

// notFoundOr answers 404 naming what was missing, or falls back to fail.
func (s *Server) notFoundOr(w http.ResponseWriter, r *http.Request, err error, what, id string) {
	if errors.Is(err, hallmark.ErrNotFound) {
		writeError(w, r, http.StatusNotFound, codeNotFound, "no "+what+" "+strconv.Quote(id))
		return
	}
	s.fail(w, r, err)
}

// pageParams reads ?limit= and ?after=.
func pageParams(w http.ResponseWriter, r *http.Request) (store.Page, bool) {
	q := r.URL.Query()
	var p store.Page
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeFieldError(w, r, http.StatusBadRequest, codeInvalidField, "limit",
				"limit: must be a whole number from 1 to 1000")
			return p, false
		}
		p.Limit = n
	}
	p.After = q.Get("after")
	if len(p.After) > 256 || !utf8.ValidString(p.After) {
		writeFieldError(w, r, http.StatusBadRequest, codeInvalidField, "after", "after: is not a cursor this API returned")
		return p, false
	}
	return p, true
}

// listFail is fail for list calls, where the only thing a client can get
// wrong that the store notices is the cursor.
func (s *Server) listFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, hallmark.ErrInvalid) {
		writeFieldError(w, r, http.StatusBadRequest, codeInvalidField, "after", "after: is not a cursor this API returned")
		return
	}
	s.fail(w, r, err)
}
