// Package eval measures screening accuracy on a labelled set: what share of
// counterfeits is stopped (block or review) and what share of legitimate
// listings is blocked or held, overall and per case tag.
package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/hallmark-dev/hallmark"
)

// Labelled is a listing with its truth.
type Labelled struct {
	hallmark.Listing
	Label string `json:"label"` // counterfeit or legit
	Case  string `json:"case"`
}

// ReadLabelled reads a JSON Lines file of labelled listings.
func ReadLabelled(path string) ([]Labelled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l Labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if l.Label != "counterfeit" && l.Label != "legit" {
			return nil, fmt.Errorf("%s:%d: label %q (want counterfeit or legit)", path, line, l.Label)
		}
		out = append(out, l)
	}
	return out, sc.Err()
}

// Counts tallies the actions taken on one class of listings.
type Counts struct{ Allow, Review, Block int }

// Total is the number of listings counted.
func (c Counts) Total() int { return c.Allow + c.Review + c.Block }

func (c *Counts) add(a hallmark.Action) {
	switch a {
	case hallmark.Allow:
		c.Allow++
	case hallmark.Review:
		c.Review++
	case hallmark.Block:
		c.Block++
	}
}

// Report is the accuracy of one run.
type Report struct {
	Counterfeit, Legit Counts
	ByCase             map[string]*Counts
	CaseLabel          map[string]string
	Misses             []Miss
}

// Miss is a listing the screening got wrong.
type Miss struct {
	Listing Labelled
	Action  hallmark.Action
	Rules   []string
}

// Add records one outcome.
func (r *Report) Add(l Labelled, d *hallmark.Decision) {
	if r.ByCase == nil {
		r.ByCase, r.CaseLabel = map[string]*Counts{}, map[string]string{}
	}
	c := r.ByCase[l.Case]
	if c == nil {
		c = &Counts{}
		r.ByCase[l.Case] = c
		r.CaseLabel[l.Case] = l.Label
	}
	c.add(d.Action)
	wrong := false
	if l.Label == "counterfeit" {
		r.Counterfeit.add(d.Action)
		wrong = d.Action == hallmark.Allow
	} else {
		r.Legit.add(d.Action)
		wrong = d.Action != hallmark.Allow
	}
	if wrong {
		m := Miss{Listing: l, Action: d.Action}
		for _, rs := range d.Reasons {
			m.Rules = append(m.Rules, rs.Rule)
		}
		r.Misses = append(r.Misses, m)
	}
}

// Recall is the share of counterfeits sent to block or review.
func (r *Report) Recall() float64 {
	return ratio(r.Counterfeit.Block+r.Counterfeit.Review, r.Counterfeit.Total())
}

// BlockedLegit is the share of legitimate listings blocked.
func (r *Report) BlockedLegit() float64 { return ratio(r.Legit.Block, r.Legit.Total()) }

// ReviewedLegit is the share of legitimate listings sent to review.
func (r *Report) ReviewedLegit() float64 { return ratio(r.Legit.Review, r.Legit.Total()) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Write prints the report for a person, with a line per case tag.
func (r *Report) Write(w io.Writer) {
	r.WriteTotals(w)
	r.writeCases(w)
}

// WriteTotals prints the two summary lines.
func (r *Report) WriteTotals(w io.Writer) {
	fmt.Fprintf(w, "counterfeits: %d, stopped %.2f%% (block %d, review %d, allow %d)\n",
		r.Counterfeit.Total(), 100*r.Recall(), r.Counterfeit.Block, r.Counterfeit.Review, r.Counterfeit.Allow)
	fmt.Fprintf(w, "legitimate:   %d, blocked %.2f%%, review %.2f%% (allow %d)\n",
		r.Legit.Total(), 100*r.BlockedLegit(), 100*r.ReviewedLegit(), r.Legit.Allow)
}

func (r *Report) writeCases(w io.Writer) {
	cases := make([]string, 0, len(r.ByCase))
	for c := range r.ByCase {
		cases = append(cases, c)
	}
	sort.Strings(cases)
	for _, c := range cases {
		n := r.ByCase[c]
		fmt.Fprintf(w, "  %-12s %-32s n=%4d block=%4d review=%4d allow=%4d\n", r.CaseLabel[c], c, n.Total(), n.Block, n.Review, n.Allow)
	}
}
