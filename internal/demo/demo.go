// Package demo seeds a small marketplace for 'hallmark demo': a few brands
// with their marks, floors and authorized sellers, sellers, and listings
// screened through the real engine so the review queue has work in it.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/hallmark-dev/hallmark/feed"
	"github.com/hallmark-dev/hallmark/screen"
	"github.com/hallmark-dev/hallmark/store"
)

var (
	//go:embed registry.json
	registryJSON []byte
	//go:embed listings.jsonl
	listingsJSONL []byte
)

// Seeded reports whether the store already holds brands.
func Seeded(ctx context.Context, st store.Store) (bool, error) {
	brands, err := st.ListBrands(ctx)
	return len(brands) > 0, err
}

// Seed writes the demo registry and sellers, then screens and saves the demo
// listings with eng, which it reloads from the store first.
func Seed(ctx context.Context, st store.Store, eng *screen.Engine, now time.Time) (int, error) {
	reg, err := feed.ReadRegistry(bytes.NewReader(registryJSON), "demo registry")
	if err != nil {
		return 0, err
	}
	for i, s := range reg.Sellers {
		// Stagger account ages so seller history means something.
		s.CreatedAt = now.Add(-time.Duration(30*(len(reg.Sellers)-i)) * 24 * time.Hour)
		if err := st.PutSeller(ctx, &s, "demo"); err != nil {
			return 0, fmt.Errorf("seller %s: %w", s.ID, err)
		}
	}
	for i := range reg.Brands {
		if err := st.PutBrand(ctx, &reg.Brands[i], "demo"); err != nil {
			return 0, fmt.Errorf("brand %s: %w", reg.Brands[i].ID, err)
		}
	}
	if err := eng.Reload(ctx); err != nil {
		return 0, err
	}
	n := 0
	err = feed.ReadListingsJSONL(bytes.NewReader(listingsJSONL), "demo listings", feed.ListingOptions{}, func(r feed.Record) error {
		l := r.Listing
		hist, err := st.SellerHistory(ctx, l.SellerID, now)
		if err != nil {
			return err
		}
		d, err := eng.Screen(ctx, &l, hist)
		if err != nil {
			return err
		}
		if err := st.SaveScreening(ctx, &l, d, "demo"); err != nil {
			return fmt.Errorf("listing %s: %w", l.ID, err)
		}
		n++
		return nil
	})
	return n, err
}
