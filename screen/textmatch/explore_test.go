package textmatch

import (
	"fmt"
	"testing"
)

func TestExplore(t *testing.T) {
	terms := []Term{{Text: "Nike", Joined: true}, {Text: "Gucci", Typos: true, Joined: true}, {Text: "Louis Vuitton", Typos: true, Joined: true},
		{Text: "Chanel", Typos: true, Joined: true}, {Text: "Off-White", Joined: true}, {Text: "Ray-Ban", Joined: true}, {Text: "Prada", Typos: true, Joined: true},
		{Text: "Coach", Joined: true}, {Text: "Dior", Joined: true}, {Text: "Puma", Joined: true}, {Text: "Adidas", Typos: true, Joined: true},
		{Text: "高仿"}, {Text: "A货"}, {Text: "1:1"}, {Text: "AAA"}, {Text: "UA"}, {Text: "mirror quality"}, {Text: "Supreme", Joined: true}, {Text: "Rolex", Typos: true}}
	m, err := NewMatcher(terms)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"ＮＩＫＥ shoes", "Nіkе ΝΙΚΕ", "Gùcci bag", "N1ke air max 90", "N.I.K.E", "G U C C I", "L-o-u-i-s V-u-i-t-t-o-n", "Ch*nel", "Pr\u200bada",
		"LouisVuitton louis-vuitton", "Off White OffWhite off-white", "Ray Ban Rayban ray of light", "Guuci Addidas Rolx", "Channel 5", "GucciBag nikeshoes #louisvuitton adidasoriginals",
		"stagecoach diorama pumpkin", "正品高仿耐克鞋 A货", "1:1 replica AAA quality UA", "mirror  quality", "$upreme L0UIS VUITT0N", "Gu\u0300cci", "iPhone 15 size 42 11", "Guccione", "Louis Vuiton"} {
		fmt.Printf("%q\n", s)
		for _, x := range m.Find(s, nil) {
			fmt.Printf("   %-16s %q [%d,%d) %q %v e=%d\n", terms[x.Term].Text, x.Original, x.Start, x.End, x.Normalized, x.Disguise, x.Edits)
		}
	}
}
