package screen_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/screen"
)

// productRegistry gives brands genuine product data: a Birkin floor far
// above Hermès' brand-wide one (a scarf costs a few hundred), and a Casio
// model whose floor is above the brand's (a basic Casio costs 15).
const productRegistry = `{"brands":[
 {"id":"hermes","name":"Hermès","terms":["Hermès","Birkin","Kelly"],"category":"bags","min_price":300,"currency":"EUR",
  "products":[{"name":"Birkin 30","identifiers":["H041344CK89"],"category":"bags","min_price":8000},
              {"name":"Twilly","min_price":150},
              {"name":"Kelly","min_price":7000}]},
 {"id":"casio","name":"Casio","terms":["Casio","G-Shock"],"category":"watches","min_price":15,
  "products":[{"name":"G-Shock CasiOak","identifiers":["GA-2100","4549526241543","501"],"min_price":90}]}
]}`

func newProductEngine(t testing.TB) *screen.Engine { return engineFor(t, productRegistry) }

func TestProductFloorsAndIdentifiers(t *testing.T) {
	eng := newProductEngine(t)
	cases := []struct {
		name, title, category string
		price                 float64
		currency              string
		want                  hallmark.Action
		brand                 string
		// detail, when set, must appear in the price signal's detail.
		detail string
	}{
		{"birkin far below its floor", "Hermès Birkin 30 Togo", "bags", 680, "USD", hallmark.Block, "hermes", "product Birkin 30"},
		{"birkin at its price", "Hermès Birkin 30 Togo", "bags", 9000, "USD", hallmark.Allow, "hermes", "product Birkin 30"},
		// Without the product, the brand floor (300 EUR) applies: 680 USD
		// is above it.
		{"other hermes bag", "Hermès Evelyne bag", "bags", 680, "USD", hallmark.Allow, "hermes", "the Hermès floor"},
		// The product's floor counts only when higher than the brand's.
		{"twilly below brand floor", "Hermès Twilly silk", "", 200, "EUR", hallmark.Review, "hermes", "the Hermès floor"},
		// A product named like one of the brand's marks labels that mark.
		{"kelly by its mark", "Hermès Kelly bag", "bags", 900, "USD", hallmark.Block, "hermes", "product Kelly"},
		{"casio model cheap", "Casio GA-2100 watch", "watches", 20, "USD", hallmark.Block, "casio", "product G-Shock CasiOak"},
		{"casio model at its price", "Casio GA-2100 watch", "watches", 99, "USD", hallmark.Allow, "casio", ""},
		// An identifier is the brand without its name.
		{"model number alone", "GA-2100 watch black", "watches", 20, "USD", hallmark.Block, "casio", "product G-Shock CasiOak"},
		{"gtin alone", "Watch 4549526241543", "", 20, "USD", hallmark.Block, "casio", ""},
		// Inside a longer code it is another product, or no product.
		{"gtin in longer number", "Order 94549526241543 spare strap", "", 5, "USD", hallmark.Allow, "", ""},
		{"gtin before more digits", "Part 4549526241543-7 spare strap", "", 5, "USD", hallmark.Allow, "", ""},
		{"model in longer code", "GA-2100X7 lookalike watch", "watches", 20, "USD", hallmark.Allow, "", ""},
		{"model one edit off", "GA-2108 style watch", "watches", 20, "USD", hallmark.Allow, "", ""},
		// A bare short number counts only with context.
		{"short number alone", "501 jeans", "apparel", 20, "USD", hallmark.Allow, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := &hallmark.Listing{ID: "l", SellerID: "x", Title: c.title, Category: c.category, Price: c.price, Currency: c.currency}
			d, err := eng.Screen(context.Background(), l, hallmark.SellerHistory{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Action != c.want || d.BrandID != c.brand {
				t.Errorf("%q at %.0f %s: %v for %q, want %v for %q; reasons %s", c.title, c.price, c.currency, d.Action, d.BrandID, c.want, c.brand, reasonNames(d))
			}
			if c.detail == "" {
				return
			}
			found := false
			for _, s := range d.Signals {
				if s.Detector == hallmark.DetectorPrice && s.BrandID == c.brand {
					found = true
					if !strings.Contains(s.Detail, c.detail) {
						t.Errorf("price detail %q, want it to name %q", s.Detail, c.detail)
					}
				}
			}
			if !found {
				t.Errorf("no price signal for %s", c.brand)
			}
		})
	}
}

// TestProductIdentifierSignal checks that an identifier match says what it is.
func TestProductIdentifierSignal(t *testing.T) {
	eng := newProductEngine(t)
	title := "G-SHOCK GA-2100 black"
	d, err := eng.Screen(context.Background(), &hallmark.Listing{ID: "l", SellerID: "x", Title: title, Price: 20, Currency: "USD"}, hallmark.SellerHistory{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.Signals {
		if s.Detector == hallmark.DetectorBrand && s.Mark == "GA-2100" {
			if s.Detail != "product identifier" || title[s.Span.Start:s.Span.End] != "GA-2100" {
				t.Errorf("identifier signal %+v", s)
			}
			return
		}
	}
	t.Errorf("no identifier signal in %+v", d.Signals)
}
