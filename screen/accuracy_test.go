package screen_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark/feed"
	"github.com/hallmark-dev/hallmark/internal/eval"
	"github.com/hallmark-dev/hallmark/screen"
)

// TestDevelopmentSetAccuracy screens the labelled development set. The
// acceptance targets are at least 98% of counterfeits stopped, at most 1% of
// legitimate listings blocked and at most 5% sent to review; the legitimate
// targets are held here, and recall is held at the level reached (97.1%,
// short of 98%: see the README) so that no change can lower it unnoticed. Run with -v to
// see the per-case table; HALLMARK_EVAL_MISSES=1 lists every miss;
// HALLMARK_DEVSET=DIR screens another labelled set.
func TestDevelopmentSetAccuracy(t *testing.T) {
	const minRecall = 0.97
	dir := filepath.Join("..", "testdata", "devset")
	// Another draw of the set (go run ./internal/devsetgen -seed N -out DIR)
	// checks that the tuning generalizes beyond the committed draw.
	if d := os.Getenv("HALLMARK_DEVSET"); d != "" {
		dir = d
	}
	reg, err := feed.ReadRegistryFile(filepath.Join(dir, "registry.json"))
	if err != nil {
		t.Fatal(err)
	}
	eng, err := screen.New(reg.Brands, screen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// listings.jsonl holds the generated listings and the hand-written ones
	// (ids starting with h); the hand-written ones are also reported alone,
	// since no template produced them.
	set, err := eval.ReadLabelled(filepath.Join(dir, "listings.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var rep, hand eval.Report
	for _, l := range set {
		if err := l.Listing.Validate(); err != nil {
			t.Fatalf("listing %s: %v", l.ID, err)
		}
		d, err := eng.ScreenInput(&screen.Input{Listing: &l.Listing})
		if err != nil {
			t.Fatal(err)
		}
		rep.Add(l, d)
		if strings.HasPrefix(l.ID, "h") {
			hand.Add(l, d)
		}
	}
	var b strings.Builder
	rep.Write(&b)
	b.WriteString("hand-written only:\n")
	hand.WriteTotals(&b)
	t.Log("\n" + b.String())
	if os.Getenv("HALLMARK_EVAL_MISSES") != "" {
		for _, m := range rep.Misses {
			t.Logf("MISS %s %s [%s] -> %v %v: %q | %q", m.Listing.Label, m.Listing.ID, m.Listing.Case, m.Action, m.Rules, m.Listing.Title, m.Listing.Description)
		}
	}
	if rep.Counterfeit.Total() < 100 || rep.Legit.Total() < 100 {
		t.Fatalf("development set too small: %d counterfeit, %d legit", rep.Counterfeit.Total(), rep.Legit.Total())
	}
	if r := rep.Recall(); r < minRecall {
		t.Errorf("recall %.2f%% < %.1f%%", 100*r, 100*minRecall)
	}
	if r := rep.BlockedLegit(); r > 0.01 {
		t.Errorf("legitimate blocked %.2f%% > 1%%", 100*r)
	}
	if r := rep.ReviewedLegit(); r > 0.05 {
		t.Errorf("legitimate reviewed %.2f%% > 5%%", 100*r)
	}
}
