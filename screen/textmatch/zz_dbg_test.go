package textmatch_test

import (
	"fmt"
	"testing"

	"github.com/hallmark-dev/hallmark/screen/textmatch"
)

func TestDbg(t *testing.T) {
	brands := []string{"Coach", "Gucci", "Givenchy", "Canon", "New Balance", "Supreme", "Hydro Flask", "Kate Spade", "Canada Goose", "Stone Island", "Ray-Ban", "Yves Saint Laurent", "Prada", "Fendi", "Cartier", "Apple", "Bosch", "Timberland", "Omega", "Moncler", "Adidas", "Bose", "Chanel", "Nike", "Dyson", "Lululemon", "Puma", "Tiffany", "Sony", "Callaway", "Off-White", "Air Jordan"}
	var terms []textmatch.Term
	for _, b := range brands {
		terms = append(terms, textmatch.Term{Text: b, Typos: true, Joined: true})
	}
	terms = append(terms, textmatch.Term{Text: "1:1"}, textmatch.Term{Text: "AAA"})
	m, _ := textmatch.NewMatcher(terms)
	for _, s := range []string{"Ϲоach wallet", "Gιvenϲhy handbag", "Ԍυϲϲι belt", "ϹANΣN RF 50MM", "Νҽw Вɑӏаոϲҽ", "ЅΥРRҼMЕ",
		"Hydr Flask", "Kaet Spade", "Cnaada Goose", "Stone Islland", "Ray-Bsn", "Ray-aBn", "Yves Saint Laurant",
		"Pr4d@", "F3nd!", "(art!er", "@pp|3", "85¢h", "Dy5n", "L#lul3mon", "5vpr3m3", "7!m83r|@nd", "0M394", "Mon(ler", "¢@r+13r", "@1d4$", "570n3 !514nd", "8053",
		"Spreme", "Supreeme", "Omegaa", "Cpach", "Channel", "Prado", "Mike", "Carter", "omega-3",
		"𝘾𝙝𝙖𝙣𝙚𝙡", "🅽🅸🅺🅴", "🇳🇮🇰🇪", "ɴɪᴋᴇ", "ＮＩＫＥ",
		"Air Max 90", "size 42", "iPhone 15", "1:1", "AAA", "$99", "(2 pack)", "100%", "Breakfast at Tiffany's", "Sony WH-1000XM4", "Cab Calloway", "Diana Ross & The Supremes"} {
		var out []string
		for _, g := range m.Find(s, nil) {
			out = append(out, fmt.Sprintf("%s[%q %v e%d]", terms[g.Term].Text, g.Original, g.Disguise, g.Edits))
		}
		fmt.Printf("%-28q %v\n", s, out)
	}
}
