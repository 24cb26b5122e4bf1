package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"

	"golang.org/x/term"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/feed"
	"github.com/hallmark-dev/hallmark/scan"
)

func cmdScan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("scan", "scan --registry REGISTRY.json --in LISTINGS.jsonl|.csv [--out DECISIONS.jsonl]", stderr)
	var ef engineFlags
	ef.register(fs)
	registry := fs.String("registry", "", "brand registry `file` (JSON); image paths are relative to it")
	in := fs.String("in", "", "listings `file`: JSON Lines (.jsonl) or CSV (.csv); image paths are relative to it")
	out := fs.String("out", "", "decisions `file` (JSON Lines); default standard output")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "screening `goroutines`")
	currency := fs.String("default-currency", "", "currency `code` for listings that name none (default: the field is required)")
	noImages := fs.Bool("no-images", false, "do not hash listing or registry images")
	quiet := fs.Bool("quiet", false, "no progress bar or summary")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *registry == "" || *in == "" {
		fmt.Fprintln(stderr, "hallmark scan: --registry and --in are required")
		fs.Usage()
		return exitError{2}
	}
	if *currency != "" && !hallmark.KnownCurrency(*currency) {
		return fmt.Errorf("--default-currency: unknown currency code %q", *currency)
	}
	reg, err := feed.ReadRegistryFile(*registry)
	if err != nil {
		return err
	}
	if !*quiet {
		for _, w := range reg.Warnings {
			fmt.Fprintf(stderr, "%s: warning: %s\n", *registry, w)
		}
	}
	eng, err := ef.build(reg.Brands, nil)
	if err != nil {
		return err
	}
	cfg := scan.Config{
		Engine: eng, InPath: *in, OutPath: *out, Out: stdout, Workers: *workers,
		Options: feed.ListingOptions{DefaultCurrency: *currency},
	}
	if !*noImages {
		if err := attachImages(eng, reg, *workers); err != nil {
			return err
		}
		cfg.HashImages = hashListingImage
	}
	if f, ok := stderr.(*os.File); ok && !*quiet && term.IsTerminal(int(f.Fd())) {
		cfg.Progress = stderr
	}
	sum, err := scan.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintln(stderr, sum)
	}
	return nil
}
