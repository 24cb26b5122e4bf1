// Package web is Hallmark's console: server-rendered pages where trust &
// safety reviewers work the review queue and decide held listings, rights
// holders file and follow notices, and sellers read the statements of
// reasons for their restricted listings and answer them.
//
// Pages are html/template with the templates and the stylesheet embedded in
// the binary. There is no script at all, so the Content-Security-Policy
// forbids every script, and every form works with a keyboard alone.
//
// People log in with the account package's argon2id passwords through the
// notice workflow, which keeps sessions (only a hash of the token is
// stored). The session cookie is the JSON API's (__Host-, Secure,
// HttpOnly, SameSite=Strict), so one login serves both. Every POST carries a
// CSRF token derived from the session token, and every page checks role and
// tenancy: what a user may not see reads exactly like what does not exist.
package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Prefix is where the console is mounted.
const Prefix = "/console"

// SessionCookie is the session cookie, shared with the JSON API. The
// __Host- prefix makes browsers accept it only when Secure, for the whole
// host and from no subdomain.
const SessionCookie = "__Host-hallmark_session"

// loginCookie carries the random value the login form's CSRF token is
// bound to, before there is a session.
const loginCookie = "__Host-hallmark_login"

// ContentSecurityPolicy is sent with every console response: no script of
// any kind, styles and images from the console only, no framing, forms that
// post only back here.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// Config is what the console needs. Store and Takedown are required.
type Config struct {
	// Store must also implement store.Review and store.Users (both
	// databases do).
	Store store.Store
	// Takedown is the notice workflow; it also logs people in and keeps
	// their sessions.
	Takedown *notice.Service
	// Clock is the time pages show ages and deadlines against. Default: time.Now.
	Clock func() time.Time
	// Logger receives internal errors. Default: slog.Default().
	Logger *slog.Logger
	// ReviewDeadline is how long a held listing may wait for a reviewer;
	// the queue shows each case's age against it. Default: 24 hours.
	ReviewDeadline time.Duration
	// PolicyName and PolicySource are the screening policy in force, for
	// the admins' read-only rules page. Default: the built-in policy, which
	// is what screening uses when it is given no rules file.
	PolicyName   string
	PolicySource []byte
	// ClaimTTL is how long a reviewer's claim on a case keeps it from
	// others. Default: 15 minutes.
	ClaimTTL time.Duration
	// Reload asks screening to reload the brand registry after the console
	// changed a brand (a genuine photo added or removed). Nil: the change
	// is saved and screening takes it up when it next reloads.
	Reload func(context.Context) error
}

// consoleStore is the store the console works with.
type consoleStore interface {
	store.Store
	store.Review
	store.Users
}

// Console is the console's http.Handler.
type Console struct {
	st       consoleStore
	td       *notice.Service
	now      func() time.Time
	log      *slog.Logger
	deadline time.Duration
	pages    map[string]*template.Template
	mux      *http.ServeMux
	static   http.Handler

	claimTTL time.Duration

	reload  func(context.Context) error
	brandMu sync.Mutex // serialises the console's brand edits

	policyName   string
	policySource []byte
}

// New returns the console, ready to be mounted at Prefix+"/".
func New(cfg Config) (*Console, error) {
	if cfg.Store == nil || cfg.Takedown == nil {
		return nil, errors.New("web: Config.Store and Config.Takedown are required")
	}
	st, ok := cfg.Store.(consoleStore)
	if !ok {
		return nil, errors.New("web: Config.Store must implement store.Review and store.Users")
	}
	c := &Console{st: st, td: cfg.Takedown, now: cfg.Clock, log: cfg.Logger, deadline: cfg.ReviewDeadline}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.deadline <= 0 {
		c.deadline = 24 * time.Hour
	}
	c.policyName, c.policySource = cfg.PolicyName, cfg.PolicySource
	c.claimTTL = cfg.ClaimTTL
	c.reload = cfg.Reload
	if c.claimTTL <= 0 {
		c.claimTTL = 15 * time.Minute
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	c.pages = pages
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	c.static = http.StripPrefix(Prefix+"/static/", http.FileServerFS(sub))
	c.routes()
	return c, nil
}

var funcs = template.FuncMap{
	"fmtTime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 MST")
	},
	"fmtTimeP": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 MST")
	},
	"pct": func(f float64) string { return strings.TrimSuffix(strings.TrimSuffix(ftoa(f*100, 1), "0"), ".") + "%" },
	"money": func(f float64) string {
		return ftoa(f, 2)
	},
	"num": func(f float64) string { return ftoa(f, 2) },
	"dur": fmtDuration,
}

func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

func (c *Console) routes() {
	m := http.NewServeMux()
	c.mux = m
	m.Handle("GET "+Prefix+"/static/", c.static)
	m.HandleFunc("GET "+Prefix+"/login", c.loginPage)
	m.HandleFunc("POST "+Prefix+"/login", c.loginPost)
	m.HandleFunc("POST "+Prefix+"/logout", c.auth(c.logout))
	m.HandleFunc("GET "+Prefix+"/{$}", c.auth(c.home))

	m.HandleFunc("GET "+Prefix+"/queue", c.auth(c.staff(c.queuePage)))
	m.HandleFunc("GET "+Prefix+"/cases/{id}", c.auth(c.staff(c.casePage)))
	m.HandleFunc("POST "+Prefix+"/cases/{id}/decision", c.auth(c.staff(c.decide)))
	m.HandleFunc("POST "+Prefix+"/cases/{id}/claim", c.auth(c.staff(c.claim)))
	m.HandleFunc("POST "+Prefix+"/cases/{id}/release", c.auth(c.staff(c.release)))
	m.HandleFunc("POST "+Prefix+"/queue/decision", c.auth(c.staff(c.decideBulk)))
	m.HandleFunc("GET "+Prefix+"/uploads/{id}", c.auth(c.staff(c.upload)))

	m.HandleFunc("GET "+Prefix+"/notices", c.auth(c.noticesPage))
	m.HandleFunc("GET "+Prefix+"/notices/new", c.auth(c.newNoticePage))
	m.HandleFunc("POST "+Prefix+"/notices", c.auth(c.fileNotice))
	m.HandleFunc("GET "+Prefix+"/notices/{id}", c.auth(c.noticePage))
	m.HandleFunc("POST "+Prefix+"/notices/{id}/decision", c.auth(c.staff(c.decideNotice)))

	c.adminRoutes()
	c.rightsRoutes()
	c.imageRoutes()

	m.HandleFunc("GET "+Prefix+"/listings", c.auth(c.sellerListings))
	m.HandleFunc("GET "+Prefix+"/statements/{id}", c.auth(c.statementPage))
	m.HandleFunc("POST "+Prefix+"/statements/{id}/counter-notice", c.auth(c.fileCounter))
	m.HandleFunc("POST "+Prefix+"/statements/{id}/appeal", c.auth(c.fileAppeal))
}

// ServeHTTP implements http.Handler.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if !strings.HasPrefix(r.URL.Path, Prefix+"/static/") {
		// Pages carry tenant data and CSRF tokens: no cache may keep them.
		h.Set("Cache-Control", "no-store")
	}
	if r.Method == http.MethodPost && !sameOrigin(r) {
		http.Error(w, "cross-site request refused", http.StatusForbidden)
		return
	}
	if _, pattern := c.mux.Handler(r); pattern == "" {
		c.notFound(w, r, nil)
		return
	}
	c.mux.ServeHTTP(w, r)
}

// sameOrigin refuses cross-site form posts early, where the browser says
// so (Fetch Metadata, then Origin). The CSRF token is the real check; this
// is defence in depth for browsers that send the headers.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		host := o
		if i := strings.Index(o, "://"); i >= 0 {
			host = o[i+3:]
		}
		return host == r.Host
	}
	return true
}

// ---- sessions and CSRF ----

type ctxKey struct{}

// session is the logged-in user of a request.
type session struct {
	p     account.Principal
	user  *account.User
	token string
}

func from(r *http.Request) *session {
	s, _ := r.Context().Value(ctxKey{}).(*session)
	return s
}

// csrfToken binds a form to the session token (or, before login, to the
// login cookie): a hash with a purpose prefix, so the token tells nothing
// about the cookie, and needs no server-side state or shared key.
func csrfToken(purpose, secret string) string {
	h := sha256.Sum256([]byte("hallmark-console-csrf\x00" + purpose + "\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func checkCSRF(r *http.Request, purpose, secret string) bool {
	if secret == "" {
		return false
	}
	got := r.PostFormValue("csrf")
	want := csrfToken(purpose, secret)
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// maxForm bounds a form body: a notice names up to 300 listing ids and an
// explanation of up to 10,000 bytes.
const maxForm = 256 << 10

// auth loads the session, sends anyone without one to the login page, and
// checks the CSRF token of every POST.
func (c *Console) auth(h http.HandlerFunc) http.HandlerFunc { return c.authLimit(maxForm, h) }

// authLimit is auth for a POST body of at most limit bytes.
func (c *Console) authLimit(limit int64, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var u *account.User
		ck, err := r.Cookie(SessionCookie)
		if err == nil {
			u, err = c.td.Authenticate(r.Context(), ck.Value)
		}
		if err != nil {
			if ck != nil && !errors.Is(err, hallmark.ErrNotFound) {
				c.fail(w, r, err)
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, Prefix+"/login", http.StatusSeeOther)
				return
			}
			http.Error(w, "log in first", http.StatusUnauthorized)
			return
		}
		s := &session{p: account.ForUser(u), user: u, token: ck.Value}
		if r.Method == http.MethodPost {
			if r.ContentLength > limit {
				http.Error(w, "the form is too large: go back and send less (an image may be at most 16 MiB)", http.StatusRequestEntityTooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if !checkCSRF(r, "session", s.token) {
				http.Error(w, "the form has expired or did not come from this console: reload the page and try again", http.StatusForbidden)
				return
			}
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, s)))
	}
}

// staff restricts a page to reviewers and admins; anyone else is told
// there is no such page.
func (c *Console) staff(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !from(r).p.Staff() {
			c.notFound(w, r, nil)
			return
		}
		h(w, r)
	}
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.renderLogin(w, r, http.StatusOK, "", "")
}

func (c *Console) renderLogin(w http.ResponseWriter, r *http.Request, code int, email, msg string) {
	tok, _, err := account.NewSessionToken()
	if err != nil {
		c.fail(w, r, err)
		return
	}
	setCookie(w, loginCookie, tok, 3600)
	c.render(w, r, code, "login", map[string]any{"CSRF": csrfToken("login", tok), "Email": email, "Error": msg})
}

func (c *Console) loginPost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ck, err := r.Cookie(loginCookie)
	if err != nil || !checkCSRF(r, "login", ck.Value) {
		c.renderLogin(w, r, http.StatusForbidden, "", "The login form expired. Please try again.")
		return
	}
	email := r.PostFormValue("email")
	tok, _, err := c.td.Login(r.Context(), email, r.PostFormValue("password"))
	if errors.Is(err, notice.ErrLogin) {
		c.renderLogin(w, r, http.StatusUnauthorized, email, "The email or password is wrong.")
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	setCookie(w, loginCookie, "", -1)
	setCookie(w, SessionCookie, tok, int(c.td.Config().SessionTTL/time.Second))
	http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if err := c.td.Logout(r.Context(), from(r).token); err != nil {
		c.fail(w, r, err)
		return
	}
	setCookie(w, SessionCookie, "", -1)
	http.Redirect(w, r, Prefix+"/login", http.StatusSeeOther)
}

func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	p := from(r).p
	switch {
	case p.Staff():
		http.Redirect(w, r, Prefix+"/queue", http.StatusSeeOther)
	case p.Role == account.RightsHolder:
		http.Redirect(w, r, Prefix+"/notices", http.StatusSeeOther)
	case p.Role == account.Seller:
		http.Redirect(w, r, Prefix+"/listings", http.StatusSeeOther)
	default:
		c.notFound(w, r, nil)
	}
}

// ---- rendering ----

// nav is one entry of the navigation bar.
type nav struct {
	Href, Label string
	Current     bool
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, code int, page string, data map[string]any) {
	t, ok := c.pages[page]
	if !ok {
		c.fail(w, r, errors.New("web: no template "+page))
		return
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Prefix"] = Prefix
	if s := from(r); s != nil {
		data["User"] = s.user
		data["CSRF"] = csrfToken("session", s.token)
		var items []nav
		add := func(href, label string) {
			items = append(items, nav{href, label, strings.HasPrefix(r.URL.Path, href)})
		}
		switch {
		case s.p.Staff():
			add(Prefix+"/queue", "Review queue")
			add(Prefix+"/notices", "Notices")
			add(Prefix+"/rights", "IP rights")
			if s.p.Role == account.Admin {
				add(Prefix+"/admin/brands", "Brands")
				add(Prefix+"/admin/keys", "API keys")
				add(Prefix+"/admin/users", "Users")
				add(Prefix+"/admin/rules", "Rules")
			}
		case s.p.Role == account.RightsHolder:
			add(Prefix+"/notices", "My notices")
			add(Prefix+"/rights", "IP rights")
			add(Prefix+"/images", "Genuine photos")
		case s.p.Role == account.Seller:
			add(Prefix+"/listings", "My listings")
		}
		data["Nav"] = items
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout.html", data); err != nil {
		c.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(b.String()))
}

// notFound answers anything missing or not the user's to see, the same way.
func (c *Console) notFound(w http.ResponseWriter, r *http.Request, _ error) {
	c.render(w, r, http.StatusNotFound, "notfound", nil)
}

func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	c.log.ErrorContext(r.Context(), "console error", "err", err, "path", r.URL.Path)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// userError is what a form shows for a workflow error, or "" if the error
// is not the user's to fix.
func userError(err error) string {
	var ref *notice.Refusal
	var ve *hallmark.ValidationError
	switch {
	case errors.As(err, &ref):
		return ref.Msg
	case errors.As(err, &ve):
		return ve.Error()
	case errors.Is(err, notice.ErrForbidden):
		return "You may not do this."
	}
	return ""
}

// formError renders page with a message for an error the user can fix,
// a 404 for one that hides another tenant's data, and fails otherwise.
func (c *Console) formError(w http.ResponseWriter, r *http.Request, err error, page string, data map[string]any) {
	if errors.Is(err, hallmark.ErrNotFound) {
		c.notFound(w, r, err)
		return
	}
	msg := userError(err)
	if msg == "" {
		c.fail(w, r, err)
		return
	}
	data["Error"] = msg
	code := http.StatusUnprocessableEntity
	if errors.Is(err, hallmark.ErrConflict) {
		code = http.StatusConflict
	}
	c.render(w, r, code, page, data)
}
