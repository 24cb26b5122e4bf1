package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/feed"
	"github.com/hallmark-dev/hallmark/httpapi"
)

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", "import --db DSN --registry REGISTRY.json", stderr)
	db := dbFlag(fs, "")
	registry := fs.String("registry", "", "brand registry `file` (JSON, the scan format; may list sellers)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *registry == "" {
		fmt.Fprintln(stderr, "hallmark import: --registry is required")
		return exitError{2}
	}
	// Read and validate the whole file before writing anything.
	reg, err := feed.ReadRegistryFile(*registry)
	if err != nil {
		return err
	}
	for _, w := range reg.Warnings {
		fmt.Fprintf(stderr, "%s: warning: %s\n", *registry, w)
	}
	if err := hashRegistryImages(reg); err != nil {
		return err
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := range reg.Sellers {
		if err := st.PutSeller(ctx, &reg.Sellers[i], "cli:import"); err != nil {
			return fmt.Errorf("seller %s: %w", reg.Sellers[i].ID, err)
		}
	}
	for i := range reg.Brands {
		if err := st.PutBrand(ctx, &reg.Brands[i], "cli:import"); err != nil {
			return fmt.Errorf("brand %s: %w", reg.Brands[i].ID, err)
		}
	}
	fmt.Fprintf(stdout, "imported %d brands and %d sellers into %s\n", len(reg.Brands), len(reg.Sellers), *db)
	return nil
}

func cmdKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "Usage: hallmark keys create --db DSN --name NAME --role admin|integration|reviewer")
		return exitError{2}
	}
	fs := newFlags("keys create", "keys create --db DSN --name NAME --role ROLE", stderr)
	db := dbFlag(fs, "")
	name := fs.String("name", "", "a `name` that says who holds the key")
	role := fs.String("role", "integration", "`role`: admin, integration or reviewer")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	r := hallmark.Role(*role)
	switch r {
	case hallmark.RoleAdmin, hallmark.RoleIntegration, hallmark.RoleReviewer:
	default:
		return fmt.Errorf("--role: unknown role %q (want admin, integration or reviewer)", *role)
	}
	if *name == "" {
		return fmt.Errorf("--name is required")
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	secret, err := httpapi.CreateAPIKey(ctx, st, *name, r)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}
