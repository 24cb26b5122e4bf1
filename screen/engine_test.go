package screen_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/feed"
	"github.com/hallmark-dev/hallmark/screen"
)

const engineRegistry = `{"brands":[
 {"id":"nike","name":"Nike","terms":["Nike","Air Jordan","Air Max"],"category":"shoes","min_price":60,"authorized_sellers":["nike-store"]},
 {"id":"lv","name":"Louis Vuitton","terms":["Louis Vuitton","LV","Neverfull"],"category":"bags","min_price":900},
 {"id":"gucci","name":"Gucci","terms":["Gucci"],"category":"bags","min_price":500},
 {"id":"apple","name":"Apple","terms":["Apple","iPhone","AirPods"],"category":"electronics","min_price":99},
 {"id":"samsung","name":"Samsung","terms":["Samsung","Galaxy Watch"],"category":"electronics","min_price":80},
 {"id":"coach","name":"Coach","terms":["Coach"],"category":"bags","min_price":150},
 {"id":"offwhite","name":"Off-White","terms":["Off-White"],"category":"apparel","min_price":120},
 {"id":"chanel","name":"Chanel","terms":["Chanel"],"category":"bags","min_price":1000},
 {"id":"rolex","name":"Rolex","terms":["Rolex","Submariner"],"category":"watches","min_price":4000}
]}`

func newEngine(t testing.TB) *screen.Engine { return engineFor(t, engineRegistry) }

// engineFor builds an engine over a registry given as JSON text.
func engineFor(t testing.TB, registry string) *screen.Engine {
	t.Helper()
	reg, err := feed.ReadRegistry(strings.NewReader(registry), "test")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := screen.New(reg.Brands, screen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func TestScreenDecisions(t *testing.T) {
	eng := newEngine(t)
	cases := []struct {
		name, seller, title, desc, category string
		price                               float64
		currency                            string
		want                                hallmark.Action
		brand                               string
	}{
		// Disguised marks.
		{"leet", "x", "N1ke Air Max 90", "", "shoes", 85, "USD", hallmark.Block, "nike"},
		{"cyrillic", "x", "Lоuis Vuittоn monogram tote", "", "bags", 1200, "USD", hallmark.Block, "lv"},
		{"split dots", "x", "G.U.C.C.I belt", "", "", 300, "USD", hallmark.Block, "gucci"},
		{"split spaces", "x", "R O L E X watch", "", "watches", 5000, "USD", hallmark.Block, "rolex"},
		{"zero width", "x", "Gu\u200bcci handbag", "", "bags", 700, "USD", hallmark.Block, "gucci"},
		{"fullwidth", "x", "ＧＵＣＣＩ handbag", "", "bags", 700, "USD", hallmark.Review, "gucci"},
		{"typo", "x", "Guuci handbag", "", "bags", 700, "USD", hallmark.Review, "gucci"},
		{"typo cheap", "x", "Guuci handbag", "", "bags", 70, "USD", hallmark.Block, "gucci"},
		{"joined", "x", "LouisVuitton Neverfull bag replica", "", "bags", 100, "USD", hallmark.Block, "lv"},
		// Counterfeit wording.
		{"replica", "x", "Gucci bag mirror quality", "", "bags", 900, "USD", hallmark.Block, "gucci"},
		{"chinese", "x", "Gucci 手袋", "高仿 原单", "bags", 900, "USD", hallmark.Block, "gucci"},
		{"aaa", "x", "LV Neverfull AAA", "", "bags", 1000, "USD", hallmark.Block, "lv"},
		{"cue only", "x", "Designer handbag super copy", "", "bags", 50, "USD", hallmark.Review, ""},
		{"ambiguous cue only", "x", "Museum replica Roman coin set", "", "collectibles", 20, "USD", hallmark.Allow, ""},
		{"negated cue", "x", "Authentic Gucci belt, not a replica", "", "bags", 600, "USD", hallmark.Allow, "gucci"},
		{"disclaimer", "x", "Plain sneaker cleaner kit", "Not affiliated with Nike.", "shoe care", 10, "USD", hallmark.Allow, ""},
		{"logo case", "x", "Louis Vuitton monogram phone case for iPhone 15", "", "phone accessories", 20, "USD", hallmark.Block, "lv"},
		{"packaging", "x", "Empty Rolex watch box with booklet", "", "watches", 150, "USD", hallmark.Allow, ""},
		// Price.
		{"far below", "x", "Rolex Submariner automatic", "", "watches", 200, "USD", hallmark.Block, "rolex"},
		{"below half", "x", "Nike Air Max 90", "", "shoes", 25, "USD", hallmark.Review, "nike"},
		{"converted", "x", "Nike Air Max 90", "", "shoes", 100, "CNY", hallmark.Block, "nike"},
		{"marketplace category path", "x", "Nike Air Max 90", "", "Clothing, Shoes & Accessories > Men > Shoes", 15, "USD", hallmark.Block, "nike"},
		{"accessory category path", "x", "Clear iPhone 15 case", "", "Cell Phones & Accessories > Cases", 5, "USD", hallmark.Allow, ""},
		// Legitimate.
		{"authorized", "nike-store", "Nike Air Max 90", "", "shoes", 130, "USD", hallmark.Allow, "nike"},
		{"authorized cheap", "nike-store", "Nike Air Max 90 clearance", "", "shoes", 15, "USD", hallmark.Allow, "nike"},
		{"reseller", "x", "Nike Air Max 90, new in box", "", "shoes", 120, "USD", hallmark.Allow, "nike"},
		{"nominative", "x", "Clear case compatible with iPhone 15", "", "phone accessories", 9, "USD", hallmark.Allow, ""},
		{"nominative strap", "x", "Silicone strap for Galaxy Watch 5", "", "accessories", 8, "USD", hallmark.Allow, ""},
		{"nominative after", "x", "iPhone 15 Pro case, clear", "", "", 9, "USD", hallmark.Allow, ""},
		{"product with its case", "x", "AirPods Pro 2 with MagSafe case, sealed", "", "electronics", 30, "USD", hallmark.Review, "apple"},
		{"resale", "x", "Pre-owned authentic Gucci bag, receipt included", "", "bags", 400, "USD", hallmark.Allow, ""},
		{"apple slicer", "x", "Apple slicer and corer", "", "kitchen", 12, "USD", hallmark.Allow, ""},
		{"coach", "x", "Basketball coach clipboard", "", "sports", 14, "USD", hallmark.Allow, ""},
		{"off white", "x", "Off white curtains, 2 panels", "", "home", 30, "USD", hallmark.Allow, ""},
		{"channel", "x", "4 channel audio mixer", "", "electronics", 60, "USD", hallmark.Allow, ""},
		{"plain", "x", "Wooden chopping board", "", "kitchen", 20, "USD", hallmark.Allow, ""},
		{"coach bag cheap", "x", "Coach leather handbag", "", "bags", 30, "USD", hallmark.Review, "coach"},
		{"coach bag authentic cheap", "x", "Authentic Coach leather handbag", "", "bags", 30, "USD", hallmark.Block, "coach"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := &hallmark.Listing{ID: "l", SellerID: c.seller, Title: c.title, Description: c.desc, Category: c.category, Price: c.price, Currency: c.currency}
			d, err := eng.Screen(context.Background(), l, hallmark.SellerHistory{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Action != c.want {
				t.Errorf("%q: action %v, want %v; reasons %s", c.title, d.Action, c.want, reasonNames(d))
			}
			if c.brand != "" && d.BrandID != c.brand {
				t.Errorf("%q: brand %q, want %q", c.title, d.BrandID, c.brand)
			}
			if d.Action != hallmark.Allow && len(d.Reasons) == 0 {
				t.Errorf("%q: %v with no reason", c.title, d.Action)
			}
		})
	}
}

func reasonNames(d *hallmark.Decision) string {
	var names []string
	for _, r := range d.Reasons {
		names = append(names, r.Rule)
	}
	return strings.Join(names, ",")
}

func TestReasonsCarryEvidence(t *testing.T) {
	eng := newEngine(t)
	title := "Brand new Lоuis Vuittоn bag"
	d, err := eng.Screen(context.Background(), &hallmark.Listing{ID: "l", SellerID: "x", Title: title, Price: 1000, Currency: "USD"}, hallmark.SellerHistory{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Action != hallmark.Block || len(d.Reasons) == 0 {
		t.Fatalf("decision = %+v", d)
	}
	var found bool
	for _, s := range d.Reasons[0].Signals {
		if s.Detector == hallmark.DetectorBrand {
			found = true
			if s.Span == nil || title[s.Span.Start:s.Span.End] != s.Original || s.Normalized != "louis vuitton" || s.Mark != "Louis Vuitton" {
				t.Errorf("signal = %+v", s)
			}
		}
	}
	if !found {
		t.Errorf("no brand signal in %+v", d.Reasons[0])
	}
}

func TestSellerHistoryAuthorizes(t *testing.T) {
	eng := newEngine(t)
	l := &hallmark.Listing{ID: "l", SellerID: "reseller-1", Title: "Gucci bag AAA", Price: 900, Currency: "USD"}
	d, _ := eng.Screen(context.Background(), l, hallmark.SellerHistory{Known: true, Authorized: []string{"gucci"}})
	if d.Action == hallmark.Block {
		t.Fatalf("authorized seller blocked: %s", reasonNames(d))
	}
}

func TestRepeatOffender(t *testing.T) {
	eng := newEngine(t)
	l := &hallmark.Listing{ID: "l", SellerID: "s", Title: "Nike Air Max 90", Price: 120, Currency: "USD"}
	d, _ := eng.Screen(context.Background(), l, hallmark.SellerHistory{Known: true, AgeDays: 400, Blocks: 5})
	if d.Action != hallmark.Review {
		t.Fatalf("repeat offender: %v %s", d.Action, reasonNames(d))
	}
}
