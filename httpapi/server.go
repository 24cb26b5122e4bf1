// Package httpapi is Hallmark's JSON API over HTTP: the publish-time
// screening call a marketplace makes for every new or edited listing, the
// review queue that trust & safety reviewers work, and the admin surface for
// the brand registry, sellers and API keys.
//
// The package adapts HTTP to the domain and nothing more. Screening itself
// is done by a Screener (a pure engine without I/O); this package loads what
// the engine needs from the store, calls it and saves the outcome, so the
// engine can be tested and benchmarked without a database or a network.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/fetch"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store"
)

// Screener screens one listing. The engine is pure (no I/O); the API loads
// history and saves.
type Screener interface {
	Screen(ctx context.Context, l *hallmark.Listing, h hallmark.SellerHistory) (*hallmark.Decision, error)
	// Reload rebuilds the in-memory registry after brands changed.
	Reload(ctx context.Context) error
}

// Registry is where the API registers its metrics and where /metrics reads
// them from. A *prometheus.Registry is one; each server (and each test) should
// get its own rather than the process-global default, so that two servers in
// one process never collide.
type Registry interface {
	prometheus.Registerer
	prometheus.Gatherer
}

// Default body limits. A listing is at most a few tens of kilobytes once
// validated (see hallmark.MaxDescriptionLen), so 1 MiB leaves room for
// integrators' extra fields while keeping a hostile client from making the
// server buffer much. A bulk import carries a whole registry.
const (
	DefaultMaxBodyBytes   = 1 << 20
	DefaultMaxImportBytes = 32 << 20
)

// Config is what a Server needs. Store and Screener are required.
type Config struct {
	Store    store.Store
	Screener Screener
	// Logger receives the access log and every internal error. Default: slog.Default().
	Logger *slog.Logger
	// Clock is injected so tests control timestamps. Default: time.Now.
	Clock func() time.Time
	// MaxBodyBytes bounds ordinary request bodies. Default: DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxImportBytes bounds POST /v1/import. Default: DefaultMaxImportBytes.
	MaxImportBytes int64
	// Registry receives the metrics and backs /metrics. Default: a fresh
	// prometheus.NewRegistry().
	Registry Registry
	// ImageFetcher downloads listing images given as URLs. Default: one
	// that reaches public addresses only (see package fetch).
	ImageFetcher *fetch.Fetcher
	// MaxImageBytes bounds an uploaded or fetched image. Default:
	// DefaultMaxImageBytes.
	MaxImageBytes int64
	// Takedown is the notice-and-takedown workflow. Default: one on Store
	// with Clock and the default periods.
	Takedown *notice.Service
}

// Server is the HTTP API. It is an http.Handler.
type Server struct {
	store    store.Store
	screener Screener
	log      *slog.Logger
	now      func() time.Time
	maxBody  int64
	maxImp   int64
	registry Registry
	metrics  *metrics

	mux      *http.ServeMux
	patterns []string
	handler  http.Handler

	// brandMu serialises the read-modify-write convenience routes on brands
	// (add a mark, add a floor, authorize a seller) so that two concurrent
	// edits in this process cannot lose each other's change. Several API
	// processes behind a load balancer would need a version check in the
	// store instead.
	brandMu sync.Mutex

	// keys caches verified API keys for KeyCacheTTL; see authenticate.
	keys keyCache

	takedown *notice.Service

	fetcher  *fetch.Fetcher
	maxImage int64
}

// New builds a Server from cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("httpapi: Config.Store is required")
	}
	if cfg.Screener == nil {
		return nil, errors.New("httpapi: Config.Screener is required")
	}
	s := &Server{
		store:    cfg.Store,
		screener: cfg.Screener,
		log:      cfg.Logger,
		now:      cfg.Clock,
		maxBody:  cfg.MaxBodyBytes,
		maxImp:   cfg.MaxImportBytes,
		registry: cfg.Registry,
		mux:      http.NewServeMux(),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.maxImp <= 0 {
		s.maxImp = DefaultMaxImportBytes
	}
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
	}
	s.maxImage = cfg.MaxImageBytes
	if s.maxImage <= 0 {
		s.maxImage = DefaultMaxImageBytes
	}
	s.fetcher = cfg.ImageFetcher
	if s.fetcher == nil {
		s.fetcher = newFetcher(s.maxImage)
	}
	s.takedown = cfg.Takedown
	if s.takedown == nil {
		s.takedown = notice.New(cfg.Store, notice.Config{Clock: s.now})
	}
	m, err := newMetrics(s.registry)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	s.routes()
	s.handler = s.requestID(s.accessLog(s.recoverPanic(securityHeaders(http.HandlerFunc(s.dispatch)))))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Patterns returns the ServeMux patterns the server registered, in
// registration order. The OpenAPI parity test uses it.
func (s *Server) Patterns() []string { return append([]string(nil), s.patterns...) }

// Roles allowed on a route. nil means the route is public.
var (
	anyRole    = []hallmark.Role{hallmark.RoleAdmin, hallmark.RoleIntegration, hallmark.RoleReviewer}
	adminOnly  = []hallmark.Role{hallmark.RoleAdmin}
	publishers = []hallmark.Role{hallmark.RoleAdmin, hallmark.RoleIntegration}
	reviewers  = []hallmark.Role{hallmark.RoleAdmin, hallmark.RoleReviewer}
)

func (s *Server) routes() {
	// Public: probes and the API description.
	s.handle("GET /healthz", nil, s.healthz)
	s.handle("GET /readyz", nil, s.readyz)
	// /metrics is unauthenticated because Prometheus scrapers rarely carry
	// bearer tokens; it exposes counts only, and should be kept off the
	// public network by the deployment.
	s.handle("GET /metrics", nil, s.metricsHandler().ServeHTTP)
	s.handle("GET /v1/openapi.json", nil, s.openapi)

	// Listings and decisions.
	s.handle("POST /v1/listings", publishers, s.publishListing)
	s.handle("GET /v1/listings", anyRole, s.listListings)
	s.handle("GET /v1/listings/{id}", anyRole, s.getListing)
	s.handle("GET /v1/listings/{id}/decision", anyRole, s.latestDecision)
	s.handle("GET /v1/listings/{id}/audit", reviewers, s.listingAudit)
	s.handle("POST /v1/listings/{id}/status", reviewers, s.setListingStatus)
	s.handle("GET /v1/decisions", anyRole, s.listDecisions)
	s.handle("GET /v1/decisions/{id}", anyRole, s.getDecision)

	// The brand registry. Reviewers may read it: judging a held listing
	// needs the brand's marks and floors at hand.
	s.handle("GET /v1/brands", reviewers, s.listBrands)
	s.handle("GET /v1/brands/{id}", reviewers, s.getBrand)
	s.handle("PUT /v1/brands/{id}", adminOnly, s.putBrand)
	s.handle("DELETE /v1/brands/{id}", adminOnly, s.deleteBrand)
	s.handle("POST /v1/brands/{id}/marks", adminOnly, s.addMark)
	s.handle("POST /v1/brands/{id}/price-floors", adminOnly, s.addPriceFloor)
	s.handle("POST /v1/brands/{id}/products", adminOnly, s.addProduct)
	s.handle("PUT /v1/brands/{id}/authorized-sellers/{seller_id}", adminOnly, s.authorizeSeller)
	s.handle("DELETE /v1/brands/{id}/authorized-sellers/{seller_id}", adminOnly, s.deauthorizeSeller)

	// Sellers.
	s.handle("GET /v1/sellers", reviewers, s.listSellers)
	s.handle("GET /v1/sellers/{id}", reviewers, s.getSeller)
	s.handle("PUT /v1/sellers/{id}", adminOnly, s.putSeller)

	s.handle("POST /v1/import", adminOnly, s.bulkImport)

	// API keys.
	s.handle("POST /v1/api-keys", adminOnly, s.createAPIKey)
	s.handle("GET /v1/api-keys", adminOnly, s.listAPIKeys)
	s.handle("DELETE /v1/api-keys/{id}", adminOnly, s.revokeAPIKey)

	// Images: uploads and brands' protected photos (images.go).
	s.imageRoutes()

	// Notice and takedown (takedown.go).
	s.takedownRoutes()
}

// handle registers h under pattern, behind authentication when roles is
// non-nil, and records the pattern for metrics labels and the parity test.
func (s *Server) handle(pattern string, roles []hallmark.Role, h http.HandlerFunc) {
	s.patterns = append(s.patterns, pattern)
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		info := infoFrom(r.Context())
		if info != nil {
			info.route = pattern
		}
		if roles != nil {
			key, ok := s.authenticate(w, r)
			if !ok {
				return
			}
			if !allowed(key.Role, roles) {
				writeError(w, r, http.StatusForbidden, codeForbidden,
					fmt.Sprintf("an API key with role %q may not call %s", key.Role, pattern))
				return
			}
			if info != nil {
				info.actor = actorFor(key)
			}
		}
		h(w, r)
	})
}

// dispatch hands the request to the mux, but answers unknown paths and
// wrong methods itself so that every error the API returns has the same JSON
// shape (the mux's own answers are plain text).
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	// Run the mux's fallback against a scratch writer only to learn whether
	// it is a 404 or a 405, and which methods are allowed.
	probe := &probeWriter{header: http.Header{}}
	h.ServeHTTP(probe, r)
	if probe.code == http.StatusMethodNotAllowed {
		if allow := probe.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		writeError(w, r, http.StatusMethodNotAllowed, codeMethodNotAllowed,
			fmt.Sprintf("method %s is not allowed on %s", r.Method, r.URL.Path))
		return
	}
	writeError(w, r, http.StatusNotFound, codeNotFound, "no such route: "+r.URL.Path)
}

type probeWriter struct {
	header http.Header
	code   int
}

func (p *probeWriter) Header() http.Header { return p.header }
func (p *probeWriter) Write(b []byte) (int, error) {
	if p.code == 0 {
		p.code = http.StatusOK
	}
	return len(b), nil
}
func (p *probeWriter) WriteHeader(code int) {
	if p.code == 0 {
		p.code = code
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	// A probe must answer quickly even when the database hangs.
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "readiness check failed", "err", err)
		writeError(w, r, http.StatusServiceUnavailable, codeUnavailable, "the database does not answer")
		return
	}
	writeJSON(w, r, http.StatusOK, map[string]string{"status": "ready"})
}

// ListenAndServe serves h on addr until ctx is cancelled, then shuts down
// gracefully, giving requests in flight up to 10 seconds to finish.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	srv := &http.Server{
		Addr:    addr,
		Handler: h,
		// Slowloris protection: a client gets 5 s to send its headers and
		// 60 s for a whole body (a 32 MiB import over a slow link).
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() {
		log.Info("http server listening", "addr", addr)
		errc <- srv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("http server shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("httpapi: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
