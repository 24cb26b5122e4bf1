package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/hallmark-dev/hallmark/fetch"
	"github.com/hallmark-dev/hallmark/httpapi"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/screen"
	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/store/postgres"
	"github.com/hallmark-dev/hallmark/store/sqlite"
)

// dbEnv names the environment variable that selects the database.
const dbEnv = "HALLMARK_DB"

func dbFlag(fs *flag.FlagSet, def string) *string {
	if v := os.Getenv(dbEnv); v != "" {
		def = v
	}
	return fs.String("db", def, "database: a SQLite file path (or sqlite:PATH) or a postgres:// DSN; env "+dbEnv)
}

// openStore opens the store a DSN names.
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	switch {
	case dsn == "":
		return nil, fmt.Errorf("no database: pass --db or set %s", dbEnv)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres.Open(ctx, dsn)
	default:
		return sqlite.Open(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	}
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "serve [--addr 127.0.0.1:8080] --db DSN", stderr)
	var sf serverFlags
	sf.register(fs)
	db := dbFlag(fs, "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	allow, log, err := sf.setup(stderr)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	return serve(ctx, st, &sf.engine, sf.addr, allow, log)
}

// serverFlags are the flags serve and demo share.
type serverFlags struct {
	engine     engineFlags
	addr       string
	logLevel   string
	fetchAllow string
}

func (f *serverFlags) register(fs *flag.FlagSet) {
	f.engine.register(fs)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "listen `address`")
	fs.StringVar(&f.logLevel, "log-level", "info", "log `level`: debug, info, warn, error")
	fs.StringVar(&f.fetchAllow, "fetch-allow", "", "comma-separated `CIDRs` that listing image URLs may reach although not public (default: public addresses only)")
}

// setup turns the parsed flags into the fetch allow-list and the logger.
func (f *serverFlags) setup(stderr io.Writer) ([]netip.Prefix, *slog.Logger, error) {
	allow, err := parseAllow(f.fetchAllow)
	if err != nil {
		return nil, nil, err
	}
	log, err := newLogger(stderr, f.logLevel)
	return allow, log, err
}

// parseAllow reads --fetch-allow.
func parseAllow(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("--fetch-allow: %w", err)
		}
		out = append(out, p)
	}
	return out, nil
}

// serve screens against the store's registry and answers HTTP until ctx ends.
func serve(ctx context.Context, st store.Store, ef *engineFlags, addr string, allow []netip.Prefix, log *slog.Logger) error {
	brands, err := st.ListBrands(ctx)
	if err != nil {
		return fmt.Errorf("loading registry: %w", err)
	}
	eng, err := ef.build(brands, st.ListBrands)
	if err != nil {
		return err
	}
	if err := indexStoredImages(eng, brands); err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// The takedown scheduler fires the counter-notice periods. Its timers
	// live in the database, so those that fell due while the server was
	// down fire on the first tick.
	takedown := notice.New(st, notice.Config{})
	api, err := httpapi.New(httpapi.Config{Store: st, Screener: reloadingEngine{eng}, Logger: log, Registry: reg, Takedown: takedown,
		ImageFetcher: fetch.New(fetch.Options{Allow: allow, MaxBytes: httpapi.DefaultMaxImageBytes})})
	if err != nil {
		return err
	}
	go takedown.Run(ctx, schedulerEvery, func(err error) { log.Error("takedown scheduler", "err", err) })
	log.Info("hallmark listening", "addr", "http://"+addr, "brands", len(brands), "rules", len(eng.Policy().Rules))
	h, err := withConsole(api, st, takedown, eng.Policy(), log, reloadingEngine{eng}.Reload)
	if err != nil {
		return err
	}
	return httpapi.ListenAndServe(ctx, addr, h, log)
}

// schedulerEvery is how often the takedown scheduler looks for due timers:
// a restoration happens at most this long after its period ends.
const schedulerEvery = 30 * time.Second

// reloadingEngine rebuilds the image index along with the registry.
type reloadingEngine struct{ *screen.Engine }

func (r reloadingEngine) Reload(ctx context.Context) error {
	if err := r.Engine.Reload(ctx); err != nil {
		return err
	}
	return indexStoredImages(r.Engine, r.Engine.Registry().Brands())
}
