package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/store"
	"github.com/hallmark-dev/hallmark/store/storetest"
)

func open(tb testing.TB) *DB {
	tb.Helper()
	db, err := Open(context.Background(), filepath.Join(tb.TempDir(), "hallmark.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

func TestMemory(t *testing.T) {
	db, err := Open(t.Context(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.PutSeller(t.Context(), &hallmark.Seller{ID: "s", Name: "S"}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetSeller(t.Context(), "s"); err != nil {
		t.Fatal(err)
	}
}

// TestReopen checks that migrations are recorded and not applied twice, and
// that the data survives.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hallmark.db")
	for i := range 2 {
		db, err := Open(t.Context(), path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if i == 0 {
			err = db.PutSeller(t.Context(), &hallmark.Seller{ID: "s", Name: "S"}, "test")
		} else {
			_, err = db.GetSeller(t.Context(), "s")
		}
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestBadPath(t *testing.T) {
	for _, p := range []string{"", "x.db?_pragma=foo"} {
		if _, err := Open(t.Context(), p); err == nil {
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

func BenchmarkSaveScreening(b *testing.B) {
	db := open(b)
	ctx := context.Background()
	if err := db.PutSeller(ctx, &hallmark.Seller{ID: "s1", Name: "Seller"}, "bench"); err != nil {
		b.Fatal(err)
	}
	d := hallmark.Decision{
		Action: hallmark.Review, Score: 0.8, BrandID: "acme", PolicyVersion: "v1",
		Reasons: []hallmark.Reason{{Rule: "brand_and_replica", Action: hallmark.Review, Weight: 0.8, Message: "brand mark with replica cue",
			Signals: []hallmark.Signal{{Detector: hallmark.DetectorBrand, Kind: "exact", BrandID: "acme", Mark: "Acme"}}}},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		l := hallmark.Listing{ID: fmt.Sprintf("l%d", i), SellerID: "s1", Title: "Acme replica sneakers", Price: 20, Currency: "USD"}
		dd := d
		if err := db.SaveScreening(ctx, &l, &dd, "system"); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkListBrands loads a registry of 10,000 brands with 50,000 marks
// (and a trademark, floor, seller and image each): what a screening engine
// reads at start and whenever the registry version moves.
func BenchmarkListBrands(b *testing.B) {
	db := open(b)
	ctx := context.Background()
	const brands, marksPer = 10000, 5
	start := time.Now()
	for i := range brands {
		id := fmt.Sprintf("brand%05d", i)
		br := &hallmark.Brand{ID: id, Name: "Brand " + id,
			Trademarks:        []hallmark.Trademark{{Mark: id, Number: "TM" + id, Office: "USPTO", Classes: []int{25}}},
			PriceFloors:       []hallmark.PriceFloor{{Amount: 10, Currency: "USD"}},
			AuthorizedSellers: []string{"seller-" + id},
			Images:            []hallmark.BrandImage{{ID: id + "-img", PDQ: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", Quality: 80}},
		}
		for m := range marksPer {
			br.Marks = append(br.Marks, hallmark.Mark{Text: fmt.Sprintf("%s mark %d", id, m), Kind: hallmark.MarkWord})
		}
		if err := db.PutBrand(ctx, br, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("loaded %d brands in %v", brands, time.Since(start))
	b.ReportAllocs()
	for b.Loop() {
		bs, err := db.ListBrands(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(bs) != brands || len(bs[brands-1].Marks) != marksPer {
			b.Fatalf("got %d brands", len(bs))
		}
	}
}

// TestNewerSchemaRefused checks that a binary does not use a database that a
// newer Hallmark has migrated past what it knows.
func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hallmark.db")
	db, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	err = db.ExecRaw(t.Context(), `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '')`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if db, err := Open(t.Context(), path); err == nil {
		db.Close()
		t.Fatal("Open succeeded on a database from the future")
	}
}
