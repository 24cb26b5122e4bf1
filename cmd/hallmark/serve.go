package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/hallmark-dev/hallmark/httpapi"
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
	var ef engineFlags
	ef.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	db := dbFlag(fs, "")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn, error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, err := newLogger(stderr, *logLevel)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	return serve(ctx, st, &ef, *addr, log)
}

// serve screens against the store's registry and answers HTTP until ctx ends.
func serve(ctx context.Context, st store.Store, ef *engineFlags, addr string, log *slog.Logger) error {
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
	api, err := httpapi.New(httpapi.Config{Store: st, Screener: reloadingEngine{eng}, Logger: log, Registry: reg})
	if err != nil {
		return err
	}
	log.Info("hallmark listening", "addr", "http://"+addr, "brands", len(brands), "rules", len(eng.Policy().Rules))
	return httpapi.ListenAndServe(ctx, addr, api, log)
}

// reloadingEngine rebuilds the image index along with the registry.
type reloadingEngine struct{ *screen.Engine }

func (r reloadingEngine) Reload(ctx context.Context) error {
	if err := r.Engine.Reload(ctx); err != nil {
		return err
	}
	return indexStoredImages(r.Engine, r.Engine.Registry().Brands())
}
