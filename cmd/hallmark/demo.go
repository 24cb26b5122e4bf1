package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/httpapi"
	"github.com/hallmark-dev/hallmark/internal/demo"
	"github.com/hallmark-dev/hallmark/notice"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", "demo [--addr 127.0.0.1:8080] [--db hallmark-demo.db]", stderr)
	var sf serverFlags
	sf.register(fs)
	db := fs.String("db", "hallmark-demo.db", "SQLite `file` for the demo (created and seeded if new)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	allow, log, err := sf.setup(stderr)
	if err != nil {
		return err
	}
	ef := &sf.engine
	st, err := openStore(ctx, "sqlite:"+*db)
	if err != nil {
		return err
	}
	defer st.Close()
	seeded, err := demo.Seeded(ctx, st)
	if err != nil {
		return err
	}
	if !seeded {
		eng, err := ef.build(nil, st.ListBrands)
		if err != nil {
			return err
		}
		n, err := demo.Seed(ctx, st, eng, time.Now())
		if err != nil {
			return fmt.Errorf("seeding the demo: %w", err)
		}
		fmt.Fprintf(stdout, "Seeded %s with the demo marketplace: %d listings screened.\n", *db, n)
	}
	people, err := demo.People(ctx, notice.New(st, notice.Config{}), *db+".people.json")
	if err != nil {
		return fmt.Errorf("demo people: %w", err)
	}
	admin, err := httpapi.CreateAPIKey(ctx, st, "demo admin", hallmark.RoleAdmin)
	if err != nil {
		return err
	}
	integ, err := httpapi.CreateAPIKey(ctx, st, "demo integration", hallmark.RoleIntegration)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, `Hallmark demo on http://%[1]s
  admin key:       %[2]s
  integration key: %[3]s

Try:
  curl -s -H "Authorization: Bearer %[3]s" 'http://%[1]s/v1/decisions?action=review'
  curl -s -H "Authorization: Bearer %[3]s" -H 'Content-Type: application/json' \
    -d '{"id":"try-1","seller_id":"cheap-deals-88","title":"Gucci GG Marmont bag AAA","price":80,"currency":"USD","category":"bags"}' \
    http://%[1]s/v1/listings
Console: http://%[1]s/console/ (log in as any of these)
`, sf.addr, admin, integ)
	for _, p := range people {
		fmt.Fprintf(stdout, "  %-24s %-18s %s\n", p.Email, p.Password, p.Note)
	}
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")
	return serve(ctx, st, ef, sf.addr, allow, log)
}
