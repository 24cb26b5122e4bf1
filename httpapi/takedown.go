package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
)

// The notice-and-takedown API (package notice). People log in with a
// password and carry a session cookie; integrations and scripts may use an
// API key instead, which acts as an admin or reviewer. Every handler passes
// the caller's Principal to the workflow, which checks role and tenancy in
// one place: a rights holder sees only its brands' rights, notices and
// counter-notices, a seller only its own statements, counter-notices and
// appeals, and a guessed id of someone else's reads as not found.

// sessionCookie names the session cookie. The __Host- prefix makes browsers
// accept it only when Secure, for the whole host and from no subdomain.
const sessionCookie = "__Host-hallmark_session"

// noticeErrorCodes are the codes the takedown routes add to the Error schema.
var noticeErrorCodes = []string{"already_decided", "already_filed", "not_in_force", "not_pending", "not_rejected", "period_over", "notifier_suspended"}

func (s *Server) takedownRoutes() {
	s.handle("POST /v1/login", nil, s.login)
	s.handleP("POST /v1/logout", s.logout)
	s.handleP("GET /v1/me", s.me)
	s.handleP("POST /v1/users", s.createUser)

	s.handleP("POST /v1/rights", s.submitRight)
	s.handleP("GET /v1/rights", s.listRights)
	s.handleP("GET /v1/rights/{id}", getOne(s, "right", s.takedown.GetRight))
	s.handleP("POST /v1/rights/{id}/verification", s.verifyRight)

	s.handleP("POST /v1/notices", s.fileNotice)
	s.handleP("GET /v1/notices", s.listNotices)
	s.handleP("GET /v1/notices/{id}", getOne(s, "notice", s.takedown.GetNotice))
	s.handleP("POST /v1/notices/{id}/decision", s.decideNotice)
	s.handleP("POST /v1/notices/{id}/appeal", fileOn(s, "notice", s.takedown.FileNoticeAppeal))

	s.handleP("GET /v1/statements", s.listStatements)
	s.handleP("GET /v1/statements/{id}", getOne(s, "statement of reasons", s.takedown.GetStatement))
	s.handleP("POST /v1/statements/{id}/counter-notice", fileOn(s, "statement of reasons", s.takedown.FileCounterNotice))
	s.handleP("POST /v1/statements/{id}/appeal", fileOn(s, "statement of reasons", s.takedown.FileAppeal))

	s.handleP("GET /v1/counter-notices", s.listCounterNotices)
	s.handleP("GET /v1/counter-notices/{id}", getOne(s, "counter-notice", s.takedown.GetCounterNotice))
	s.handleP("POST /v1/counter-notices/{id}/legal-action", s.reportLegalAction)

	s.handleP("GET /v1/appeals", s.listAppeals)
	s.handleP("POST /v1/appeals/{id}/decision", s.decideAppeal)

	s.handleP("GET /v1/notifiers/{id}", s.getStanding)
	s.handleP("GET /v1/takedown-figures", s.figures)

	// Rights holders maintain what screening knows of their own brands.
	s.handleP("GET /v1/my/brands/{id}", s.ownBrand(s.getBrand))
	s.handleP("POST /v1/my/brands/{id}/price-floors", s.ownBrand(s.addPriceFloor))
	s.handleP("POST /v1/my/brands/{id}/products", s.ownBrand(s.addProduct))
	s.handleP("PUT /v1/my/brands/{id}/authorized-sellers/{seller_id}", s.ownBrand(s.authorizeSeller))
	s.handleP("DELETE /v1/my/brands/{id}/authorized-sellers/{seller_id}", s.ownBrand(s.deauthorizeSeller))
}

type principalHandler func(http.ResponseWriter, *http.Request, account.Principal)

// getOne answers GET on one takedown record by the id in the path.
func getOne[T any](s *Server, what string, get func(context.Context, account.Principal, int64) (*T, error)) principalHandler {
	return func(w http.ResponseWriter, r *http.Request, p account.Principal) {
		id, ok := pathID(w, r, what)
		if !ok {
			return
		}
		v, err := get(r.Context(), p, id)
		if err != nil {
			s.tdFail(w, r, err, what)
			return
		}
		writeJSON(w, r, http.StatusOK, v)
	}
}

// fileOn answers a POST that files something (a counter-notice, an appeal)
// against the record whose id is in the path, from a JSON body.
func fileOn[In, Out any](s *Server, what string, file func(context.Context, account.Principal, int64, In) (Out, error)) principalHandler {
	return func(w http.ResponseWriter, r *http.Request, p account.Principal) {
		id, ok := pathID(w, r, what)
		if !ok {
			return
		}
		var in In
		if !s.decodeBody(w, r, s.maxBody, &in) {
			return
		}
		v, err := file(r.Context(), p, id, in)
		if err != nil {
			s.tdFail(w, r, err, what)
			return
		}
		writeJSON(w, r, http.StatusCreated, v)
	}
}

// handleP registers a route open to any authenticated caller; the
// workflow decides what that caller may do.
func (s *Server) handleP(pattern string, h principalHandler) {
	s.handle(pattern, nil, func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.principal(w, r)
		if !ok {
			return
		}
		if info := infoFrom(r.Context()); info != nil {
			info.actor = p.Actor
		}
		h(w, r, p)
	})
}

// principal authenticates a session cookie or, failing that, an API key.
func (s *Server) principal(w http.ResponseWriter, r *http.Request) (account.Principal, bool) {
	if c, err := r.Cookie(sessionCookie); err == nil && r.Header.Get("Authorization") == "" {
		u, err := s.takedown.Authenticate(r.Context(), c.Value)
		if err == nil {
			return account.ForUser(u), true
		}
		if !errors.Is(err, hallmark.ErrNotFound) {
			s.fail(w, r, err)
			return account.Principal{}, false
		}
		writeError(w, r, http.StatusUnauthorized, codeUnauthenticated, "the session has expired or was ended: log in again")
		return account.Principal{}, false
	}
	key, ok := s.authenticate(w, r)
	if !ok {
		return account.Principal{}, false
	}
	role := account.Integration
	switch key.Role {
	case hallmark.RoleAdmin:
		role = account.Admin
	case hallmark.RoleReviewer:
		role = account.Reviewer
	}
	return account.Principal{Actor: actorFor(key), Role: role}, true
}

// ownBrand lets a rights holder (or staff) use a brand-registry handler on
// a brand it acts for.
func (s *Server) ownBrand(h http.HandlerFunc) principalHandler {
	return func(w http.ResponseWriter, r *http.Request, p account.Principal) {
		if !p.ActsFor(r.PathValue("id")) {
			writeError(w, r, http.StatusNotFound, codeNotFound, "no brand "+strconv.Quote(r.PathValue("id"))+" of yours")
			return
		}
		h(w, r)
	}
}

// tdFail answers a workflow error.
func (s *Server) tdFail(w http.ResponseWriter, r *http.Request, err error, what string) {
	var ref *notice.Refusal
	switch {
	case errors.As(err, &ref) && errors.Is(err, notice.ErrForbidden):
		code := ref.Code
		if code == "forbidden" {
			code = codeForbidden
		}
		writeError(w, r, http.StatusForbidden, code, ref.Msg)
	case errors.As(err, &ref):
		writeError(w, r, http.StatusConflict, ref.Code, ref.Msg)
	case errors.Is(err, hallmark.ErrNotFound):
		msg := "not found"
		if what != "" {
			msg = "no " + what + " " + strconv.Quote(r.PathValue("id"))
		}
		writeError(w, r, http.StatusNotFound, codeNotFound, msg)
	default:
		s.fail(w, r, err)
	}
}

// pathID reads {id} as a record id; anything else is simply not found.
func pathID(w http.ResponseWriter, r *http.Request, what string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, r, http.StatusNotFound, codeNotFound, "no "+what+" "+strconv.Quote(r.PathValue("id")))
		return 0, false
	}
	return id, true
}

// tdFilter reads the list query: brand_id, seller_id, status, limit, after.
func tdFilter(w http.ResponseWriter, r *http.Request) (notice.Filter, bool) {
	q := r.URL.Query()
	f := notice.Filter{BrandID: q.Get("brand_id"), SellerID: q.Get("seller_id"), Status: q.Get("status")}
	for _, v := range []string{f.BrandID, f.SellerID, f.Status} {
		if len(v) > hallmark.MaxIDLen {
			writeFieldError(w, r, http.StatusBadRequest, codeInvalidField, "", "a query parameter is too long")
			return f, false
		}
	}
	pg, ok := pageParams(w, r)
	if !ok {
		return f, false
	}
	f.Limit = pg.LimitOrDefault()
	if pg.After != "" {
		n, err := strconv.ParseInt(pg.After, 10, 64)
		if err != nil || n < 0 {
			writeFieldError(w, r, http.StatusBadRequest, codeInvalidField, "after", "after: is not a cursor this API returned")
			return f, false
		}
		f.AfterID = n
	}
	return f, true
}

// writePage writes a list with the cursor of its last item.
func writePage[T any](w http.ResponseWriter, r *http.Request, items []T, limit int, id func(T) int64) {
	res := page[T]{Items: items}
	if len(items) > 0 && len(items) >= limit {
		res.NextAfter = strconv.FormatInt(id(items[len(items)-1]), 10)
	}
	writeJSON(w, r, http.StatusOK, res)
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if !s.decodeBody(w, r, 16<<10, &req) {
		return
	}
	tok, u, err := s.takedown.Login(r.Context(), req.Email, req.Password)
	if errors.Is(err, notice.ErrLogin) {
		writeError(w, r, http.StatusUnauthorized, codeUnauthenticated, err.Error())
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: tok, Path: "/",
		MaxAge:   int(s.takedown.Config().SessionTTL / time.Second),
		Secure:   true, // also on localhost, which browsers treat as secure
		HttpOnly: true, // no script reads it
		// Strict: no cross-site request carries it, which with the JSON-only
		// bodies (a cross-site form cannot send application/json) closes CSRF.
		SameSite: http.SameSiteStrictMode,
	})
	writeJSON(w, r, http.StatusOK, u)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p account.Principal) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.takedown.Logout(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, p account.Principal) {
	writeJSON(w, r, http.StatusOK, map[string]any{"actor": p.Actor, "role": p.Role, "brand_ids": p.BrandIDs, "seller_id": p.SellerID})
}

type createUserRequest struct {
	account.User
	Password string `json:"password"`
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var req createUserRequest
	if !s.decodeBody(w, r, s.maxBody, &req) {
		return
	}
	u := req.User
	u.ID = 0
	if err := s.takedown.CreateUser(r.Context(), p, &u, req.Password); err != nil {
		if errors.Is(err, hallmark.ErrConflict) {
			writeFieldError(w, r, http.StatusConflict, codeConflict, "email", "email: an account with this email exists")
			return
		}
		s.tdFail(w, r, err, "")
		return
	}
	writeJSON(w, r, http.StatusCreated, u)
}

func (s *Server) submitRight(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in notice.RightInput
	if !s.decodeBody(w, r, s.maxBody, &in) {
		return
	}
	rt, err := s.takedown.SubmitRight(r.Context(), p, in)
	if err != nil {
		s.tdFail(w, r, err, "")
		return
	}
	writeJSON(w, r, http.StatusCreated, rt)
}

func (s *Server) listRights(w http.ResponseWriter, r *http.Request, p account.Principal) {
	f, ok := tdFilter(w, r)
	if !ok {
		return
	}
	rs, err := s.takedown.ListRights(r.Context(), p, f)
	if err != nil {
		s.tdFail(w, r, err, "")
		return
	}
	writePage(w, r, rs, f.Limit, func(x notice.Right) int64 { return x.ID })
}

type decisionRequest struct {
	// Approve (rights), Accept (notices), Uphold (appeals): true or false.
	Approve             *bool  `json:"approve,omitempty"`
	Accept              *bool  `json:"accept,omitempty"`
	Uphold              *bool  `json:"uphold,omitempty"`
	Reason              string `json:"reason"`
	ManifestlyUnfounded bool   `json:"manifestly_unfounded"`
}

func required(w http.ResponseWriter, r *http.Request, field string, v *bool) (bool, bool) {
	if v == nil {
		writeFieldError(w, r, http.StatusUnprocessableEntity, codeInvalidField, field, field+": is required (true or false)")
		return false, false
	}
	return *v, true
}

func (s *Server) verifyRight(w http.ResponseWriter, r *http.Request, p account.Principal) {
	id, ok := pathID(w, r, "right")
	if !ok {
		return
	}
	var req decisionRequest
	if !s.decodeBody(w, r, s.maxBody, &req) {
		return
	}
	approve, ok := required(w, r, "approve", req.Approve)
	if !ok {
		return
	}
	rt, err := s.takedown.DecideRight(r.Context(), p, id, approve, req.Reason)
	if err != nil {
		s.tdFail(w, r, err, "right")
		return
	}
	if rt.Status == notice.RightVerified {
		s.registerTrademark(r, rt)
	}
	writeJSON(w, r, http.StatusOK, rt)
}

// registerTrademark adds a verified right to its brand's registry entry,
// so screening knows it too. The verification stands whatever happens
// here (it is committed and audited); a brand not in the registry, or a
// failure, is logged for an admin to reconcile with PUT /v1/brands/{id}.
func (s *Server) registerTrademark(r *http.Request, rt *notice.Right) {
	ctx := r.Context()
	s.brandMu.Lock()
	defer s.brandMu.Unlock()
	b, err := s.store.GetBrand(ctx, rt.BrandID)
	if err != nil {
		s.log.WarnContext(ctx, "verified right's brand is not in the registry", "brand_id", rt.BrandID, "right_id", rt.ID, "err", err)
		return
	}
	for _, tm := range b.Trademarks {
		if tm.Office == rt.Office && tm.Number == rt.Number {
			return
		}
	}
	b.Trademarks = append(b.Trademarks, hallmark.Trademark{Mark: rt.Mark, Number: rt.Number, Office: rt.Office, Classes: rt.Classes})
	if err := s.store.PutBrand(ctx, b, actorOf(r)); err != nil {
		s.log.ErrorContext(ctx, "adding a verified right to the registry failed", "brand_id", rt.BrandID, "right_id", rt.ID, "err", err)
		return
	}
	if err := s.screener.Reload(ctx); err != nil {
		s.log.ErrorContext(ctx, "screener reload failed", "err", err)
	}
}

func (s *Server) fileNotice(w http.ResponseWriter, r *http.Request, p account.Principal) {
	var in notice.NoticeInput
	if !s.decodeBody(w, r, s.maxBody, &in) {
		return
	}
	n, err := s.takedown.FileNotice(r.Context(), p, in)
	if err != nil {
		s.tdFail(w, r, err, "")
		return
	}
	w.Header().Set("Location", "/v1/notices/"+strconv.FormatInt(n.ID, 10))
	writeJSON(w, r, http.StatusCreated, n)
}

func (s *Server) listNotices(w http.ResponseWriter, r *http.Request, p account.Principal) {
	f, ok := tdFilter(w, r)
	if !ok {
		return
	}
	ns, err := s.takedown.ListNotices(r.Context(), p, f)
	if err != nil {
		s.tdFail(w, r, err, "")
		return
	}
	writePage(w, r, ns, f.Limit, func(x notice.Notice) int64 { return x.ID })
}

func (s *Server) decideNotice(w http.ResponseWriter, r *http.Request, p account.Principal) {
	id, ok := pathID(w, r, "notice")
	if !ok {
		return
	}
	var req decisionRequest
	if !s.decodeBody(w, r, s.maxBody, &req) {
		return
	}
	accept, ok := required(w, r, "accept", req.Accept)
	if !ok {
		return
	}
	n, err := s.takedown.DecideNotice(r.Context(), p, id, accept, req.Reason, req.ManifestlyUnfounded)
	if err != nil {
		s.tdFail(w, r, err, "notice")
		return
	}
	writeJSON(w, r, http.StatusOK, n)
}

func (s *Server) listStatements(w http.ResponseWriter, r *http.Request, p account.Principal) {
	f, ok := tdFilter(w, r)
	if !ok {
		return
	}
	ss, err := s.takedown.ListStatements(r.Context(), p, f)
	if err != nil {
		s.tdFail(w, r, err, "")
		return
	}
	writePage(w, r, ss, f.Limit, func(x notice.Statement) int64 { return x.ID })
}

func (s *Server) listCounterNotices(w http.ResponseWriter, r *http.Request, p account.Principal) {
	f, ok := tdFilter(w, r)
	if !ok {
		return
	}
	cs, err := s.takedown.ListCounterNotices(r.Context(), p, f)
	if err != nil {
		s.tdFail(w, r, err, "")
		return
	}
	writePage(w, r, cs, f.Limit, func(x notice.CounterNotice) int64 { return x.ID })
}

type legalActionRequest struct {
	Case string `json:"case"`
}

func (s *Server) reportLegalAction(w http.ResponseWriter, r *http.Request, p account.Principal) {
	id, ok := pathID(w, r, "counter-notice")
	if !ok {
		return
	}
	var req legalActionRequest
	if !s.decodeBody(w, r, s.maxBody, &req) {
		return
	}
	c, err := s.takedown.ReportLegalAction(r.Context(), p, id, req.Case)
	if err != nil {
		s.tdFail(w, r, err, "counter-notice")
		return
	}
	writeJSON(w, r, http.StatusOK, c)
}

func (s *Server) listAppeals(w http.ResponseWriter, r *http.Request, p account.Principal) {
	f, ok := tdFilter(w, r)
	if !ok {
		return
	}
	as, err := s.takedown.ListAppeals(r.Context(), p, f)
	if err != nil {
		s.tdFail(w, r, err, "")
		return
	}
	writePage(w, r, as, f.Limit, func(x notice.Appeal) int64 { return x.ID })
}

func (s *Server) decideAppeal(w http.ResponseWriter, r *http.Request, p account.Principal) {
	id, ok := pathID(w, r, "appeal")
	if !ok {
		return
	}
	var req decisionRequest
	if !s.decodeBody(w, r, s.maxBody, &req) {
		return
	}
	uphold, ok := required(w, r, "uphold", req.Uphold)
	if !ok {
		return
	}
	a, err := s.takedown.DecideAppeal(r.Context(), p, id, uphold, req.Reason)
	if err != nil {
		s.tdFail(w, r, err, "appeal")
		return
	}
	writeJSON(w, r, http.StatusOK, a)
}

func (s *Server) getStanding(w http.ResponseWriter, r *http.Request, p account.Principal) {
	st, err := s.takedown.GetStanding(r.Context(), p, r.PathValue("id"))
	if err != nil {
		s.tdFail(w, r, err, "notifier")
		return
	}
	writeJSON(w, r, http.StatusOK, st)
}

func (s *Server) figures(w http.ResponseWriter, r *http.Request, p account.Principal) {
	since := s.now().UTC().Add(-90 * 24 * time.Hour)
	if v := r.URL.Query().Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeFieldError(w, r, http.StatusBadRequest, codeInvalidField, "since", "since: must be an RFC 3339 time")
			return
		}
		since = t
	}
	f, err := s.takedown.Figures(r.Context(), p, since)
	if err != nil {
		s.tdFail(w, r, err, "")
		return
	}
	writeJSON(w, r, http.StatusOK, f)
}
