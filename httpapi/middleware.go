package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// reqInfo is per-request state that inner layers fill in and outer layers
// read after the handler returns (the access log wants the route pattern
// and the actor, which are known only once the mux and auth have run).
// It travels by pointer in the context because the mux and middlewares
// make shallow copies of the request.
type reqInfo struct {
	id    string
	route string
	actor string
}

type ctxKey struct{}

func infoFrom(ctx context.Context) *reqInfo {
	i, _ := ctx.Value(ctxKey{}).(*reqInfo)
	return i
}

func requestIDOf(r *http.Request) string {
	if i := infoFrom(r.Context()); i != nil {
		return i.id
	}
	return ""
}

// actorOf names who is acting, for audit entries.
func actorOf(r *http.Request) string {
	if i := infoFrom(r.Context()); i != nil && i.actor != "" {
		return i.actor
	}
	return "anonymous"
}

// requestID takes the caller's X-Request-Id when it is safe to log and
// echo, so a marketplace can correlate its own logs with ours, and makes
// one up otherwise.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !safeRequestID(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		info := &reqInfo{id: id}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, info)))
	})
}

func safeRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// statusWriter remembers the status and size of a response for the access
// log and metrics.
type statusWriter struct {
	http.ResponseWriter
	code  int
	bytes int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (flush, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// accessLog logs one line per request and records the request metrics,
// labelled by route pattern rather than path so that ids in paths cannot
// blow up the number of time series.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		d := time.Since(start)
		info := infoFrom(r.Context())
		route := "unmatched"
		if info != nil && info.route != "" {
			route = info.route
		}
		code := strconv.Itoa(sw.status())
		s.metrics.requests.WithLabelValues(route, code).Inc()
		s.metrics.duration.WithLabelValues(route, code).Observe(d.Seconds())
		level := slogLevelFor(sw.status())
		if !s.log.Enabled(r.Context(), level) {
			return
		}
		s.log.Log(r.Context(), level, "http request",
			"method", r.Method, "path", r.URL.Path, "route", route, "status", sw.status(),
			"bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000,
			"request_id", info.id, "actor", info.actor, "remote", r.RemoteAddr)
	})
}

// recoverPanic turns a handler panic into a logged 500 instead of a dropped
// connection; the process keeps serving everyone else.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v) // the handler asked net/http to abort the connection
			}
			s.log.ErrorContext(r.Context(), "panic in handler", "panic", fmt.Sprint(v),
				"stack", string(debug.Stack()), "path", r.URL.Path)
			// If the handler had already started the response there is
			// nothing sensible left to send; net/http discards this write.
			writeError(w, r, http.StatusInternalServerError, codeInternal, "internal error")
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders are cheap defence in depth: the API serves only JSON, so
// nothing it returns should ever be sniffed, framed or rendered as a page.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

type metrics struct {
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	decisions *prometheus.CounterVec
	screening prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hallmark_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "hallmark_http_request_duration_seconds",
			Help: "HTTP request latency by route pattern and status code.",
			// Publish-time screening is meant to take milliseconds: resolve
			// the sub-millisecond range finely.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "code"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hallmark_screening_decisions_total",
			Help: "Screening decisions made through the API, by action.",
		}, []string{"action"}),
		screening: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "hallmark_screening_duration_seconds",
			Help:    "Time spent in the screening engine per listing (no I/O).",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1},
		}),
	}
	var err error
	m.requests, err = register(reg, m.requests)
	if err != nil {
		return nil, err
	}
	m.duration, err = register(reg, m.duration)
	if err != nil {
		return nil, err
	}
	m.decisions, err = register(reg, m.decisions)
	if err != nil {
		return nil, err
	}
	m.screening, err = register(reg, m.screening)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// register adds c to reg, or reuses the identical collector a previous
// Server registered there (two servers sharing one registry is legitimate,
// e.g. a restart in tests).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing, nil
			}
		}
		return c, fmt.Errorf("httpapi: registering metrics: %w", err)
	}
	return c, nil
}

func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{ErrorLog: slogErrorLog{s}})
}

type slogErrorLog struct{ s *Server }

func (l slogErrorLog) Println(v ...any) { l.s.log.Error("metrics: " + fmt.Sprint(v...)) }
