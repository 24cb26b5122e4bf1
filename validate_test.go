package hallmark

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestListingValidate(t *testing.T) {
	ok := Listing{ID: "l1", SellerID: "s1", Title: "Nike Air Max", Price: 10, Currency: "USD"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		edit  func(*Listing)
		field string
	}{
		"no id":       {func(l *Listing) { l.ID = " " }, "id"},
		"no seller":   {func(l *Listing) { l.SellerID = "" }, "seller_id"},
		"no title":    {func(l *Listing) { l.Title = "" }, "title"},
		"huge title":  {func(l *Listing) { l.Title = strings.Repeat("x", 10<<20) }, "title"},
		"bad utf8":    {func(l *Listing) { l.Title = "\xff" }, "title"},
		"nul":         {func(l *Listing) { l.Description = "a\x00b" }, "description"},
		"negative":    {func(l *Listing) { l.Price = -1 }, "price"},
		"absurd":      {func(l *Listing) { l.Price = 1e12 }, "price"},
		"nan":         {func(l *Listing) { l.Price = math.NaN() }, "price"},
		"currency":    {func(l *Listing) { l.Currency = "XYZ" }, "currency"},
		"no currency": {func(l *Listing) { l.Currency = "" }, "currency"},
		"images":      {func(l *Listing) { l.Images = make([]string, 21) }, "images"},
	}
	for name, c := range cases {
		l := ok
		c.edit(&l)
		err := l.Validate()
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != c.field || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want a validation error on %s", name, err, c.field)
		}
	}
}

func TestBrandValidate(t *testing.T) {
	b := Brand{ID: "nike", Name: "Nike",
		Marks:             []Mark{{Text: "Nike", Kind: MarkWord}},
		PriceFloors:       []PriceFloor{{Amount: 60, Currency: "USD"}},
		AuthorizedSellers: []string{"a", "a", "b"}}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if b.Marks[0].BrandID != "nike" || len(b.AuthorizedSellers) != 2 {
		t.Fatalf("not normalized: %+v", b)
	}
	for name, c := range map[string]struct {
		b     Brand
		field string
	}{
		"id":        {Brand{ID: "Nike!", Name: "x"}, "id"},
		"name":      {Brand{ID: "x"}, "name"},
		"mark kind": {Brand{ID: "x", Name: "X", Marks: []Mark{{Text: "X", Kind: "logo"}}}, "marks[0].kind"},
		"dup mark":  {Brand{ID: "x", Name: "X", Marks: []Mark{{Text: "X", Kind: MarkWord}, {Text: "x", Kind: MarkWord}}}, "marks[1].text"},
		"other":     {Brand{ID: "x", Name: "X", Marks: []Mark{{BrandID: "y", Text: "X", Kind: MarkWord}}}, "marks[0].brand_id"},
		"currency":  {Brand{ID: "x", Name: "X", PriceFloors: []PriceFloor{{Amount: 1, Currency: "ABC"}}}, "price_floors[0].currency"},
		"class":     {Brand{ID: "x", Name: "X", Trademarks: []Trademark{{Mark: "X", Number: "1", Office: "EUIPO", Classes: []int{46}}}}, "trademarks[0].classes[0]"},
		"pdq":       {Brand{ID: "x", Name: "X", Images: []BrandImage{{ID: "i", PDQ: "zz"}}}, "images[0].pdq"},
	} {
		err := c.b.Validate()
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != c.field {
			t.Errorf("%s: err = %v, want field %s", name, err, c.field)
		}
	}
}
