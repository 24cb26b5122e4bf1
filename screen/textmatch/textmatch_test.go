package textmatch

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// testBrands are real marks of the kind the screening set covers; the
// lexicon entries are replica-trade phrases matched as written.
var testBrands = []string{
	"Nike", "Adidas", "Gucci", "Louis Vuitton", "LV", "Chanel", "Prada", "Rolex", "Apple", "Coach",
	"Dior", "Puma", "Supreme", "Off-White", "Ray-Ban", "Hermès", "Versace", "Balenciaga", "Burberry",
	"Fendi", "Cartier", "Omega", "Michael Kors", "Ralph Lauren", "Calvin Klein", "Lacoste", "Moncler",
	"Canada Goose", "The North Face", "Yves Saint Laurent", "YSL", "Givenchy", "Valentino",
	"Bottega Veneta", "Tiffany", "Pandora", "Swarovski", "Air Jordan", "New Balance", "Converse",
	"Vans", "Timberland", "UGG", "Dolce & Gabbana", "Armani", "Hublot", "Patek Philippe", "Levi's",
	"Guess", "Celine", "Stone Island", "Yeezy", "Chrome Hearts", "H&M", "Hydro Flask", "Kate Spade", "Canon", "Bose",
}

var testLexicon = []string{"コピー", "高仿", "A货", "复刻", "原单", "精仿", "mirror quality", "super copy", "1:1", "AAA", "UA", "OEM factory", "replica"}

func testTerms() []Term {
	var terms []Term
	for _, b := range testBrands {
		terms = append(terms, Term{Text: b, Typos: true, Joined: true})
	}
	for _, l := range testLexicon {
		terms = append(terms, Term{Text: l})
	}
	return terms
}

var (
	testOnce    sync.Once
	testMatcher *Matcher
)

func matcher(t testing.TB) (*Matcher, []Term) {
	t.Helper()
	terms := testTerms()
	testOnce.Do(func() {
		m, err := NewMatcher(terms)
		if err != nil {
			t.Fatal(err)
		}
		testMatcher = m
	})
	return testMatcher, terms
}

func termIndex(terms []Term, text string) int {
	for i, t := range terms {
		if t.Text == text {
			return i
		}
	}
	panic("no term " + text)
}

func TestFindDisguises(t *testing.T) {
	m, terms := matcher(t)
	tests := []struct {
		text     string
		term     string
		original string   // the exact span expected
		dis      Disguise // disguises that must be present
		edits    int
	}{
		// Unicode forms.
		{"ＮＩＫＥ air", "Nike", "ＮＩＫＥ", Fullwidth, 0},
		{"𝐍𝐈𝐊𝐄 shoes", "Nike", "𝐍𝐈𝐊𝐄", Confusable, 0},               // styled, not typed on a CJK keyboard
		{"new Nіkе shoes", "Nike", "Nіkе", Confusable, 0},           // Cyrillic і and е
		{"ΝΙΚΕ", "Nike", "ΝΙΚΕ", Confusable, 0},                     // Greek capitals
		{"Gùcci belt", "Gucci", "Gùcci", Confusable, 0},             // precomposed accent
		{"Gu\u0300cci belt", "Gucci", "Gu\u0300cci", Confusable, 0}, // combining accent
		{"HERMES scarf", "Hermès", "HERMES", 0, 0},
		{"Hermès scarf", "Hermès", "Hermès", Confusable, 0},
		{"ᏟhaneI", "Chanel", "ᏟhaneI", Confusable, 0},               // Cherokee Ꮯ, and capital I standing for l
		{"Ϲоach wallet", "Coach", "Ϲоach", Confusable, 0},           // lunate sigma Ϲ is a C, not Σ
		{"Gιvenϲhy handbag", "Givenchy", "Gιvenϲhy", Confusable, 0}, // Greek ι and lunate ϲ
		{"Brand new Ԍυϲϲι belt", "Gucci", "Ԍυϲϲι", Confusable, 0},
		{"Νҽw Вɑӏаոϲҽ high tops", "New Balance", "Νҽw Вɑӏаոϲҽ", Confusable, 0},
		{"ЅΥРRҼMЕ hoodie", "Supreme", "ЅΥРRҼMЕ", Confusable, 1},
		{"NlKE", "Nike", "NlKE", Confusable, 0}, // lower-case l standing for I
		// Leetspeak inside letter runs.
		{"N1ke Air Max 90", "Nike", "N1ke", Leet, 0},
		{"L0uis Vuitt0n bag", "Louis Vuitton", "L0uis Vuitt0n", Leet, 0},
		{"$upreme box logo", "Supreme", "$upreme", Leet, 0},
		{"Ch@nel No 5", "Chanel", "Ch@nel", Leet, 0},
		{"Ro1ex watch", "Rolex", "Ro1ex", Leet, 0}, // 1 read as l
		{"Pr4d4 bag", "Prada", "Pr4d4", Leet, 0},
		{"Adida$ shoes", "Adidas", "Adida$", Leet, 0},
		{"N!ke", "Nike", "N!ke", Leet, 0},
		{"R|olex", "Rolex", "R|olex", Split, 0},
		{"Versac€ jeans", "Versace", "Versac€", Leet, 0},
		{"Bal3nciaga", "Balenciaga", "Bal3nciaga", Leet, 0},
		// Leet from edge to edge of a token.
		{"purse by Pr4d@", "Prada", "Pr4d@", Leet, 0},
		{"handbag F3nd! mini", "Fendi", "F3nd!", Leet, 0},
		{"(art!er earrings", "Cartier", "(art!er", Leet, 0},
		{"¢@r+13r bracelet", "Cartier", "¢@r+13r", Leet, 0},
		{"@pp|3 wireless earbuds", "Apple", "@pp|3", Leet, 0},
		{"7!m83r|@nd boots", "Timberland", "7!m83r|@nd", Leet, 0},
		{"0M394 diver watch", "Omega", "0M394", Leet, 0},
		{"8053 speaker", "Bose", "8053", Leet, 0}, // all digits: exact only
		{"ϹANΣN RF 50MM", "Canon", "ϹANΣN", Confusable, 0},
		{"Mon(ler jacket", "Moncler", "Mon(ler", Leet, 0},
		{"@1d4$ shoes", "Adidas", "@1d4$", Leet | Typo, 1},
		{"570n3 !514nd jacket", "Stone Island", "570n3 !514nd", Leet, 0},
		{"5vpr3m3 sweatshirt", "Supreme", "5vpr3m3", Leet | Typo, 1},
		// Split letters.
		{"N.I.K.E", "Nike", "N.I.K.E", Split, 0},
		{"N.1.K.E", "Nike", "N.1.K.E", Split | Leet, 0},
		{"G U C C 1", "Gucci", "G U C C 1", Split | Leet, 0},
		{"real G U C C I belt", "Gucci", "G U C C I", Split, 0},
		{"L-o-u-i-s V-u-i-t-t-o-n", "Louis Vuitton", "L-o-u-i-s V-u-i-t-t-o-n", Split, 0},
		{"P·r·a·d·a", "Prada", "P·r·a·d·a", Split, 0},
		{"D/i/o/r", "Dior", "D/i/o/r", Split, 0},
		{"C_h_a_n_e_l", "Chanel", "C_h_a_n_e_l", Split, 0},
		{"V•e•r•s•a•c•e", "Versace", "V•e•r•s•a•c•e", Split, 0},
		{"Ch*nel perfume", "Chanel", "Ch*nel", Leet, 0},
		{"N*ke shoes", "Nike", "N*ke", Leet, 0},
		{"D*or", "Dior", "D*or", Leet, 0},
		{"G*cci", "Gucci", "G*cci", Leet, 0},
		{"Gu-cci", "Gucci", "Gu-cci", Split, 0},
		// Invisible characters.
		{"Pr\u200bada", "Prada", "Pr\u200bada", ZeroWidth, 0},
		{"Gu\u00adcci", "Gucci", "Gu\u00adcci", ZeroWidth, 0},
		{"N\u2060ike", "Nike", "N\u2060ike", ZeroWidth, 0},
		{"Ch\ufeffanel", "Chanel", "Ch\ufeffanel", ZeroWidth, 0},
		{"R\u200co\u200dlex", "Rolex", "R\u200co\u200dlex", ZeroWidth, 0},
		// Multi-word marks joined or separated.
		{"LouisVuitton", "Louis Vuitton", "LouisVuitton", Joined, 0},
		{"louis-vuitton", "Louis Vuitton", "louis-vuitton", 0, 0},
		{"LOUIS  VUITTON", "Louis Vuitton", "LOUIS  VUITTON", 0, 0},
		{"Off White hoodie", "Off-White", "Off White", 0, 0},
		{"OffWhite hoodie", "Off-White", "OffWhite", Joined, 0},
		{"off-white", "Off-White", "off-white", 0, 0},
		{"Ray Ban aviators", "Ray-Ban", "Ray Ban", 0, 0},
		{"Rayban aviators", "Ray-Ban", "Rayban", Joined, 0},
		{"Dolce&Gabbana", "Dolce & Gabbana", "Dolce&Gabbana", 0, 0},
		{"Dolce Gabbana", "Dolce & Gabbana", "Dolce Gabbana", 0, 0},
		{"Levis 501", "Levi's", "Levis", 0, 0},
		{"Levi’s 501", "Levi's", "Levi’s", 0, 0},
		{"thenorthface jacket", "The North Face", "thenorthface", Joined, 0},
		// Typos.
		{"Guuci bag", "Gucci", "Guuci", Typo, 1},
		{"Addidas shoes", "Adidas", "Addidas", Typo, 1},
		{"Balenciaaga", "Balenciaga", "Balenciaaga", Typo, 1},
		{"Rollex", "Rolex", "Rollex", Typo, 1},
		{"Vesrace", "Versace", "Vesrace", Typo, 1},
		{"Louis Vuiton", "Louis Vuitton", "Louis Vuiton", Typo, 1},
		{"Burbery scarf", "Burberry", "Burbery", Typo, 1},
		{"Spreme track pants", "Supreme", "Spreme", Typo, 1},
		{"Supreeme down coat", "Supreme", "Supreeme", Typo, 1},
		{"Omegaa Constellation", "Omega", "Omegaa", Typo, 1},
		{"Cpach shoulder bag", "Coach", "Cpach", Typo, 1},
		// One edit across a multi-word mark, in a word that is not itself
		// a dictionary word.
		{"Cnaada Goose parka", "Canada Goose", "Cnaada Goose", Typo, 1},
		{"Hydr Flask 40 oz", "Hydro Flask", "Hydr Flask", Typo, 1},
		{"Genuine Kaet Spade handbag", "Kate Spade", "Kaet Spade", Typo, 1},
		{"Kate Sade handbag", "Kate Spade", "Kate Sade", Typo, 1}, // a name, but next to the mark's own "kate"
		{"Stone Islland jacket", "Stone Island", "Stone Islland", Typo, 1},
		{"Ray-Bsn polarized", "Ray-Ban", "Ray-Bsn", Typo, 1},
		{"Ray-aBn polarized", "Ray-Ban", "Ray-aBn", Typo, 1},
		{"Yves Saint Laurant Loulou", "Yves Saint Laurent", "Yves Saint Laurant", Typo, 1},
		// Embedded in a token.
		{"GucciBag", "Gucci", "Gucci", Embedded, 0},
		{"nikeshoes", "Nike", "nike", Embedded, 0},
		{"#louisvuitton", "Louis Vuitton", "louisvuitton", Joined, 0},
		{"louisvuittonbag", "Louis Vuitton", "louisvuitton", Embedded, 0},
		{"adidasoriginals", "Adidas", "adidas", Embedded, 0},
		{"rolex2024", "Rolex", "rolex", Embedded, 0},
		{"cheapmoncler", "Moncler", "moncler", Embedded, 0},
		{"Nikes", "Nike", "Nike", 0, 0},
		{"Nike's new drop", "Nike", "Nike", 0, 0},
		{"Nike™ Air", "Nike", "Nike", 0, 0},
		{"NIKE® shoes", "Nike", "NIKE", 0, 0},
		{"ⓃⒾⓀⒺ", "Nike", "ⓃⒾⓀⒺ", Confusable, 0},
		{"𝘾𝙝𝙖𝙣𝙚𝙡 Boy Bag", "Chanel", "𝘾𝙝𝙖𝙣𝙚𝙡", Confusable, 0},
		{"🇳🇮🇰🇪 shoes", "Nike", "🇳🇮🇰🇪", Confusable, 0}, // regional indicators in a run of three or more
		{"ɴɪᴋᴇ", "Nike", "ɴɪᴋᴇ", Confusable, 0},
		{"🅽🅸🅺🅴 🔥", "Nike", "🅽🅸🅺🅴", Confusable, 0},
		{"ɢᴜᴄᴄɪ", "Gucci", "ɢᴜᴄᴄɪ", Confusable, 0},
		{"N🔥I🔥K🔥E", "Nike", "N🔥I🔥K🔥E", Split, 0},
		{"guccibagwomen", "Gucci", "gucci", Embedded, 0},
		{"L.V. bag", "LV", "L.V", 0, 0},
		{"lv bag", "LV", "lv", 0, 0},
		{"yeezy350", "Yeezy", "yeezy", Embedded, 0},
		// CJK and mixed lexicon terms.
		{"正品高仿耐克鞋", "高仿", "高仿", 0, 0},
		{"顶级A货包", "A货", "A货", 0, 0},
		{"原单精仿", "原单", "原单", 0, 0},
		{"原单精仿", "精仿", "精仿", 0, 0},
		{"复刻版", "复刻", "复刻", 0, 0},
		{"ｺﾋﾟｰ品", "コピー", "ｺﾋﾟｰ", Fullwidth, 0},
		{"スーパーコピー", "コピー", "コピー", 0, 0},
		{"ａ货", "A货", "ａ货", Fullwidth, 0},
		// Lexicon phrases with symbols.
		{"1:1 replica", "1:1", "1:1", 0, 0},
		{"(1:1)", "1:1", "1:1", 0, 0},
		{"1：1 quality", "1:1", "1：1", Fullwidth, 0},
		{"AAA+ quality", "AAA", "AAA", 0, 0},
		{"UA version", "UA", "UA", 0, 0},
		{"mirror quality", "mirror quality", "mirror quality", 0, 0},
		{"Mirror-Quality", "mirror quality", "Mirror-Quality", 0, 0},
		{"super copy", "super copy", "super copy", 0, 0},
		{"OEM factory direct", "OEM factory", "OEM factory", 0, 0},
		{"H&M tee", "H&M", "H&M", 0, 0},
		// Ordinary marks are still reported; the caller weighs them.
		{"Apple iPhone 15", "Apple", "Apple", 0, 0},
		{"coach bag", "Coach", "coach", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			want := termIndex(terms, tt.term)
			got := m.Find(tt.text, nil)
			for _, g := range got {
				if g.Term != want {
					continue
				}
				if g.Original != tt.original {
					t.Errorf("Original = %q, want %q (%+v)", g.Original, tt.original, g)
				}
				if g.Disguise&tt.dis != tt.dis {
					t.Errorf("Disguise = %v, want at least %v", g.Disguise, tt.dis)
				}
				if g.Edits != tt.edits {
					t.Errorf("Edits = %d, want %d", g.Edits, tt.edits)
				}
				checkMatch(t, tt.text, g)
				return
			}
			t.Errorf("%q not found in %q; got %+v", tt.term, tt.text, got)
		})
	}
}

func TestFindFalsePositives(t *testing.T) {
	m, terms := matcher(t)
	tests := []struct {
		text string
		term string // must not be found
	}{
		{"Channel 5 news tonight", "Chanel"},
		{"new channels added", "Chanel"},
		{"stagecoach lamp", "Coach"},
		{"diorama kit", "Dior"},
		{"pumpkin spice", "Puma"},
		{"ray of light", "Ray-Ban"},
		{"a ray, ban it", "Ray-Ban"},
		{"Rolx", "Rolex"},
		{"Air Max 90 size 42", "Nike"},
		{"guava juice", "UA"},
		{"N**e", "Nike"},
		{"a*b", "AAA"},
		{"Слава 🇺🇦", "UA"},
		{"usa made", "UA"},
		{"version 11:10", "1:1"},
		{"1.1 liters", "1:1"},
		{"11 items", "1:1"},
		{"diorite stone", "Dior"},
		{"the mirror is high quality", "mirror quality"},
		{"copy paper", "super copy"},
		{"nikel plated", "Nike"},
		{"Gu cci", "Gucci"},
		{"Pr ada", "Prada"},
		{"hm, not sure", "H&M"},
		{"HM", "H&M"},
		{"aaa battery", "Apple"},
		{"louis armstrong vinyl", "Louis Vuitton"},
		{"north face of the mountain", "The North Face"},
		{"prada\nbag", "Adidas"},
		{"iPhone15 Pro", "Nike"},
		{"guessing game", "Guess"},
		{"kg mm cm xl", "Rolex"},
		{"Toyota Land Cruiser Prado", "Prada"},
		{"Celina dress", "Celine"},
		{"L V", "LV"},
		{"lvl 5", "LV"},
		{"guccixyzq", "Gucci"},
		{"Channel 5", "Chanel"},
		{"Carter family", "Cartier"},
		{"Air Max 90", "AAA"},
		{"size 42", "AAA"},
		{"iPhone 15", "Apple"},
		{"$99 only", "Supreme"},
		{"(2 pack)", "Coach"},
		{"100% cotton", "Coach"},
		{"Слава 🇺🇦 🇺🇦", "UA"},
		{"stone islands", "Stone Island"},
		{"a gucci", "Prada"},
		{"(anon) post", "Canon"},
		{"1000 pieces", "Bose"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			bad := termIndex(terms, tt.term)
			for _, g := range m.Find(tt.text, nil) {
				checkMatch(t, tt.text, g)
				if g.Term == bad {
					t.Errorf("found %q in %q: %+v", tt.term, tt.text, g)
				}
			}
		})
	}
}

// checkMatch asserts the invariants every match must keep.
func checkMatch(t testing.TB, text string, g Match) {
	t.Helper()
	if g.Start < 0 || g.End > len(text) || g.Start >= g.End {
		t.Fatalf("bad span [%d,%d) in %q", g.Start, g.End, text)
	}
	// Boundaries as range sees them: an invalid byte is a one-byte rune.
	startOK, endOK := false, g.End == len(text)
	for i := range text {
		startOK = startOK || i == g.Start
		endOK = endOK || i == g.End
	}
	if !startOK || !endOK {
		t.Fatalf("span [%d,%d) not on rune boundaries in %q", g.Start, g.End, text)
	}
	if g.Original != text[g.Start:g.End] {
		t.Fatalf("Original %q != text[%d:%d] %q", g.Original, g.Start, g.End, text[g.Start:g.End])
	}
	if g.Edits < 0 || g.Edits > 1 {
		t.Fatalf("Edits = %d", g.Edits)
	}
}

func TestFindOffsets(t *testing.T) {
	m, terms := matcher(t)
	text := "Neu: ＮＩＫＥ × Gu\u200bcci — «LouisVuitton» 高仿 1:1"
	got := m.Find(text, nil)
	want := []struct{ term, orig string }{
		{"Nike", "ＮＩＫＥ"}, {"Gucci", "Gu\u200bcci"}, {"Louis Vuitton", "LouisVuitton"}, {"高仿", "高仿"}, {"1:1", "1:1"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d matches, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		checkMatch(t, text, g)
		if terms[g.Term].Text != w.term || g.Original != w.orig {
			t.Errorf("match %d = %q %q, want %q %q", i, terms[g.Term].Text, g.Original, w.term, w.orig)
		}
		if strings.Index(text, w.orig) != g.Start {
			t.Errorf("match %d starts at %d, want %d", i, g.Start, strings.Index(text, w.orig))
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].Start < got[i-1].Start {
			t.Errorf("not ordered by Start: %+v", got)
		}
	}
}

func TestFindNoDuplicateSpans(t *testing.T) {
	m, _ := matcher(t)
	// The same mark reachable through the plain and the leet readings, and
	// through split and typo paths, is reported once per span.
	text := "G.u.c.c.i Gucci Gucc1 GUCCI! N1ke n1ke"
	got := m.Find(text, nil)
	for i := range got {
		for j := i + 1; j < len(got); j++ {
			a, b := got[i], got[j]
			if a.Term == b.Term && a.Start < b.End && b.Start < a.End {
				t.Errorf("overlapping matches of one term: %+v and %+v", a, b)
			}
		}
	}
	if len(got) != 6 {
		t.Errorf("got %d matches, want 6: %+v", len(got), got)
	}
}

func TestFindAppendsAndIsDeterministic(t *testing.T) {
	m, _ := matcher(t)
	text := "GucciBag nikeshoes N.I.K.E Louis Vuiton 高仿 1:1 AAA"
	first := m.Find(text, nil)
	dst := []Match{{Term: -1}}
	second := m.Find(text, dst)
	if len(second) != len(first)+1 || second[0].Term != -1 {
		t.Fatalf("Find did not append to dst: %+v", second)
	}
	for i := range first {
		if first[i] != second[i+1] {
			t.Errorf("run differs at %d: %+v vs %+v", i, first[i], second[i+1])
		}
	}
}

func TestFindConcurrent(t *testing.T) {
	m, _ := matcher(t)
	text := "L0uis Vuitt0n GucciBag N.I.K.E 高仿"
	want := len(m.Find(text, nil))
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst []Match
			for range 200 {
				dst = m.Find(text, dst[:0])
				if len(dst) != want {
					t.Errorf("got %d matches, want %d", len(dst), want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestFindAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	m, _ := matcher(t)
	text := strings.Repeat("Genuine leather wallet for men, black, size 42, Air Max 90 style. ", 6)
	dst := make([]Match, 0, 16)
	m.Find(text, dst) // warm the pool and the dictionary
	if n := testing.AllocsPerRun(100, func() { m.Find(text, dst[:0]) }); n > 0 {
		t.Errorf("Find on a clean listing allocates %.1f times", n)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Louis Vuitton", "louis vuitton"},
		{"  LOUIS---VUITTON  ", "louis vuitton"},
		{"ＮＩＫＥ", "nike"},
		{"Nіkе", "nike"},
		{"ΝΙΚΕ", "nike"},
		{"Hermès", "hermes"},
		{"Straße", "strasse"},
		{"Pr\u200bada", "prada"},
		{"Levi's", "levis"},
		{"Off-White", "off white"},
		{"Air Max 90", "air max 90"},
		{"高仿 A货", "高仿 a货"},
		{"ﬁne", "fine"},
		{"", ""},
		{"!!!", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Tokens("Louis-Vuitton Bag"); strings.Join(got, "|") != "louis|vuitton|bag" {
		t.Errorf("Tokens = %q", got)
	}
}

func TestIsCommonWord(t *testing.T) {
	for w, want := range map[string]bool{
		"channel": true, "apple": true, "coach": true, "pumpkin": true, "stagecoach": true, "diorama": true,
		"the": true, "of": true, "nike": false, "gucci": false, "vuitton": false, "": false, "Apple": false,
	} {
		if got := IsCommonWord(w); got != want {
			t.Errorf("IsCommonWord(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestIsOrdinaryMark(t *testing.T) {
	for mark, want := range map[string]bool{
		"Apple": true, "Coach": true, "Off-White": true, "Puma": true, "Supreme": true, "Guess": true,
		"Stone Island": true, "Nike": false, "Louis Vuitton": false, "Gucci": false, "LV": false, "": false,
	} {
		if got := IsOrdinaryMark(mark); got != want {
			t.Errorf("IsOrdinaryMark(%q) = %v, want %v", mark, got, want)
		}
	}
}

func TestNewMatcherErrors(t *testing.T) {
	for _, bad := range []string{"", "   ", "\xff\xfe", strings.Repeat("a", MaxTermLen+1), "\u200b"} {
		_, err := NewMatcher([]Term{{Text: "Nike"}, {Text: bad}})
		if !errors.Is(err, ErrBadTerm) {
			t.Errorf("NewMatcher(%q) error = %v, want ErrBadTerm", bad, err)
			continue
		}
		if !strings.Contains(err.Error(), "term 1") {
			t.Errorf("error %q does not name the term", err)
		}
	}
	m, err := NewMatcher(nil)
	if err != nil || len(m.Find("nike", nil)) != 0 {
		t.Errorf("empty matcher: %v", err)
	}
}

func TestDisguiseString(t *testing.T) {
	for d, want := range map[Disguise]string{
		0:                 "exact",
		Leet:              "leet",
		Confusable | Leet: "confusable+leet",
		Split | ZeroWidth: "split+zerowidth",
		Typo | Embedded:   "typo+embedded",
		Joined | 1<<12:    "joined+Disguise(0x1000)",
	} {
		if got := d.String(); got != want {
			t.Errorf("%#x.String() = %q, want %q", uint16(d), got, want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Louis Vuitton", "ＮＩＫＥ", "Nіkе", "Pr\u200bada", "高仿", "\xff", "Levi's", "a'", "'b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q) = %q: bad spacing", s, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize not idempotent: %q -> %q -> %q", s, n, again)
		}
	})
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"N.I.K.E", "L0uis Vuitt0n", "GucciBag", "正品高仿耐克鞋 A货 1:1", "Gu\u200bcci", "\xffNike\xfe", "Ro1ex R|olex", "$upreme!"} {
		f.Add(s)
	}
	m, _ := matcher(f)
	f.Fuzz(func(t *testing.T, s string) {
		got := m.Find(s, nil)
		for i, g := range got {
			checkMatch(t, s, g)
			if i > 0 && got[i-1].Start > g.Start {
				t.Fatalf("not ordered: %+v", got)
			}
			for _, h := range got[:i] {
				if h.Term == g.Term && h.Start < g.End && g.Start < h.End {
					t.Fatalf("overlapping matches of one term: %+v, %+v", h, g)
				}
			}
		}
	})
}
