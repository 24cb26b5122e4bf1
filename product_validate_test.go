package hallmark

import (
	"errors"
	"strings"
	"testing"
)

func TestValidGTIN(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"4006381333931", true},  // EAN-13
		{"4006381333932", false}, // check digit off by one
		{"036000291452", true},   // UPC-A
		{"96385074", true},       // GTIN-8
		{"10012345678902", true}, // GTIN-14
		{"10012345678903", false},
		{"40063813339", false}, // 11 digits: not a GTIN length
		{"40063813339a1", false},
	} {
		if got := ValidGTIN(tc.in); got != tc.want {
			t.Errorf("ValidGTIN(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestBrandProductsValidate(t *testing.T) {
	good := func() Brand {
		return Brand{ID: "casio", Name: "Casio", Products: []Product{
			{Name: "G-Shock GA-2100", Identifiers: []string{"GA-2100", "4549526241543", "GA2100-1A1"}, MinPrice: 90, Currency: "USD"},
			{Name: "F-91W"},
		}}
	}
	b := good()
	if err := b.Validate(); err != nil {
		t.Fatalf("valid products: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Brand)
		field string
	}{
		{"no name", func(b *Brand) { b.Products[1].Name = " " }, "products[1].name"},
		{"bad check digit", func(b *Brand) { b.Products[0].Identifiers[1] = "4549526241548" }, "products[0].identifiers[1]"},
		{"short identifier", func(b *Brand) { b.Products[0].Identifiers[0] = "GA" }, "products[0].identifiers[0]"},
		{"odd character", func(b *Brand) { b.Products[0].Identifiers[2] = "GA_2100" }, "products[0].identifiers[2]"},
		{"only separators", func(b *Brand) { b.Products[0].Identifiers[2] = "-./" }, "products[0].identifiers[2]"},
		{"negative price", func(b *Brand) { b.Products[0].MinPrice = -1 }, "products[0].min_price"},
		{"floor without currency", func(b *Brand) { b.Products[0].Currency = "" }, "products[0].currency"},
		{"unknown currency", func(b *Brand) { b.Products[1].Currency = "XYZ" }, "products[1].currency"},
		{"too many identifiers", func(b *Brand) {
			b.Products[1].Identifiers = strings.Fields(strings.Repeat("ABC-1 ", MaxProductIdentifiers+1))
		}, "products[1].identifiers"},
		{"too many products", func(b *Brand) { b.Products = make([]Product, MaxProducts+1) }, "products"},
	} {
		b := good()
		tc.edit(&b)
		err := b.ValidatePath("brands[2].")
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "brands[2]."+tc.field {
			t.Errorf("%s: got %v, want an error naming brands[2].%s", tc.name, err, tc.field)
		}
	}
}
