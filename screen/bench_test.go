package screen_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/screen"
)

// syntheticRegistry makes n brands with five marks each (50,000 marks for
// 10,000 brands): pronounceable coined names, product lines of one to three
// words, some of them ordinary words, and a price floor.
func syntheticRegistry(n int) []hallmark.Brand {
	r := rand.New(rand.NewPCG(1, 2))
	syl := []string{"ka", "lo", "mi", "ra", "ven", "tor", "zi", "bel", "qu", "nor", "sa", "pe", "lux", "dra", "vi", "con", "mar", "tel", "gra", "fin"}
	word := func() string {
		var b strings.Builder
		for i := 0; i < 2+r.IntN(2); i++ {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		return b.String()
	}
	ordinary := []string{"summit", "harbor", "classic", "vintage", "royal", "ocean", "prime", "atlas"}
	brands := make([]hallmark.Brand, n)
	for i := range brands {
		id := fmt.Sprintf("b%05d", i)
		name := word() + fmt.Sprint(i)
		b := hallmark.Brand{ID: id, Name: name, Category: "bags",
			PriceFloors: []hallmark.PriceFloor{{BrandID: id, Amount: 50, Currency: "USD"}}}
		b.Marks = append(b.Marks, hallmark.Mark{BrandID: id, Text: name, Kind: hallmark.MarkWord})
		for j := 0; j < 4; j++ {
			var parts []string
			for k := 0; k < 1+r.IntN(3); k++ {
				parts = append(parts, word())
			}
			m := hallmark.Mark{BrandID: id, Text: strings.Join(parts, " ") + fmt.Sprint(j, i), Kind: hallmark.MarkProductLine}
			if j == 3 && i%5 == 0 {
				m = hallmark.Mark{BrandID: id, Text: ordinary[r.IntN(len(ordinary))] + " " + word() + fmt.Sprint(i), Kind: hallmark.MarkProductLine, Ordinary: true}
			}
			b.Marks = append(b.Marks, m)
		}
		brands[i] = b
	}
	return brands
}

// syntheticListings makes 500-byte listings: marketplace filler with, now and
// then, a brand name (plain or disguised) and counterfeit wording.
func syntheticListings(brands []hallmark.Brand, n int) []hallmark.Listing {
	r := rand.New(rand.NewPCG(3, 4))
	filler := strings.Fields("new genuine leather shoulder bag with adjustable strap gold tone hardware fast shipping from our warehouse " +
		"size medium colour black brown free returns within 30 days great gift for him or her limited stock " +
		"compatible with most phones waterproof lightweight durable premium quality best price 2024 model")
	out := make([]hallmark.Listing, n)
	for i := range out {
		var title, desc strings.Builder
		for title.Len() < 70 {
			title.WriteString(filler[r.IntN(len(filler))] + " ")
		}
		if i%3 == 0 {
			b := brands[r.IntN(len(brands))]
			name := b.Marks[0].Text
			if i%6 == 0 {
				name = strings.Join(strings.Split(name, ""), ".")
			}
			title.WriteString(name)
		}
		for desc.Len() < 420 {
			desc.WriteString(filler[r.IntN(len(filler))] + " ")
		}
		if i%10 == 0 {
			desc.WriteString(" mirror quality AAA")
		}
		out[i] = hallmark.Listing{ID: fmt.Sprint(i), SellerID: "s", Title: title.String(), Description: desc.String(),
			Price: float64(10 + r.IntN(200)), Currency: "USD", Category: "bags"}
	}
	return out
}

// BenchmarkScreen is the publish-time text screening target: 10,000 brands
// with 50,000 marks, 500-byte listings, one core (run with -cpu 1).
func BenchmarkScreen(b *testing.B) {
	brands := syntheticRegistry(10000)
	eng, err := screen.New(brands, screen.Options{})
	if err != nil {
		b.Fatal(err)
	}
	listings := syntheticListings(brands, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := &listings[i%len(listings)]
		if _, err := eng.ScreenInput(&screen.Input{Listing: l}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "listings/s")
}

// BenchmarkNewRegistry builds the screening registry for 10,000 brands and
// 50,000 marks, as a reload does (target: under a second).
func BenchmarkNewRegistry(b *testing.B) {
	brands := syntheticRegistry(10000)
	lex := screen.DefaultLexicon()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := screen.NewRegistry(brands, lex); err != nil {
			b.Fatal(err)
		}
	}
}
