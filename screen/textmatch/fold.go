package textmatch

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"go.mau.fi/util/confusable"
	"golang.org/x/text/unicode/norm"
)

// class says how a character takes part in words.
type class uint8

const (
	clsHard   class = iota // ends a word; nothing is joined across it (newline, comma, brackets...)
	clsSpace               // whitespace: ends a word; joined only at a mark's word boundary or between single letters
	clsTight               // punctuation sellers use to split letters (. - _ * · / ...): joined across freely
	clsLetter              // part of a word
	clsDigit               // ASCII digit: part of a word, and a leet candidate inside letter runs
	clsIgnore              // invisible (zero-width, soft hyphen, stray combining mark): neither letter nor break
	clsApos                // apostrophe: invisible between letters ("Levi's"), a hard break elsewhere
)

// folded is what one input rune becomes.
type folded struct {
	out  string // folded letters/digits; empty for separators and ignorables
	cls  class
	dis  Disguise
	leet string   // the letter it stands for in leetspeak, when inside a letter run
	alt  string   // a second leet reading for ambiguous symbols (1 and | are i or l)
	lit  string   // literal form for terms matched as written ("1:1"): out, or the symbol itself
	ldis Disguise // the disguise a leet reading stands for; Leet if zero
}

// In most fonts a capital I and a lower-case l are the same stroke, so
// "ChaneI" and "NlKE" read as brand names. Where the case around them
// gives the game away, they get the other letter as an alternative
// reading, like the ambiguous leet digit 1.
var (
	capIAsL    = folded{out: "i", cls: clsLetter, leet: "i", alt: "l", lit: "i", ldis: Confusable}
	lowLAsCapI = folded{out: "l", cls: clsLetter, leet: "l", alt: "i", lit: "l", ldis: Confusable}
)

var asciiFold [128]folded

func init() {
	for c := 0; c < 128; c++ {
		f := &asciiFold[c]
		switch {
		case c >= 'a' && c <= 'z':
			f.out, f.cls = string(rune(c)), clsLetter
		case c >= 'A' && c <= 'Z':
			f.out, f.cls = string(rune(c+'a'-'A')), clsLetter
		case c >= '0' && c <= '9':
			f.out, f.cls = string(rune(c)), clsDigit
		case c == ' ' || c == '\t':
			f.cls = clsSpace
		case c == '\'' || c == '`':
			f.cls = clsApos
		case strings.IndexByte(".-_*/\\~+=#&^|@$!%", byte(c)) >= 0:
			f.cls = clsTight
		default:
			f.cls = clsHard
		}
		switch {
		case f.out != "":
			f.lit = f.out
		case f.cls == clsSpace:
			f.lit = " "
		case c >= 0x21 && c < 0x7f:
			f.lit = string(rune(c))
		}
	}
	// Leet readings. Digits fold only inside letter runs (see markLeet),
	// so "Air Max 90" and "size 42" keep their numbers.
	for c, s := range map[byte]string{'0': "o", '3': "e", '4': "a", '5': "s", '7': "t", '8': "b", '9': "g", '@': "a", '$': "s", '!': "i", '+': "t"} {
		asciiFold[c].leet = s
	}
	asciiFold['1'].leet, asciiFold['1'].alt = "i", "l"
	// An asterisk between letters censors one of them ("N*ke"): it reads
	// as a wildcard, which Find resolves against the terms.
	asciiFold['*'].leet = "*"
	asciiFold['|'].leet, asciiFold['|'].alt = "l", "i"
	// An open bracket is a C ("(artier", "Mon(ler").
	asciiFold['('].leet = "c"
}

// cache holds the folding of non-ASCII runes: the Unicode work (NFKC,
// decomposition, confusable lookup) costs far more than a map hit.
var cache sync.Map // rune -> *folded

func foldRune(r rune) *folded {
	if r < utf8.RuneSelf {
		return &asciiFold[r]
	}
	if v, ok := cache.Load(r); ok {
		return v.(*folded)
	}
	f := foldSlow(r)
	// Bound the cache: hostile text can hold a great many distinct runes.
	if cached.Add(1) > maxCached {
		return f
	}
	v, _ := cache.LoadOrStore(r, f)
	return v.(*folded)
}

const maxCached = 1 << 16

var cached atomic.Int64

func isZeroWidth(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E, 0x034F, 0x2061, 0x2062, 0x2063, 0x2064:
		return true
	}
	return r >= 0xFE00 && r <= 0xFE0F // variation selectors
}

// isCJK reports scripts written without spaces. Their characters are kept
// as they are: the TR39 table maps a few ideographs to Latin or kana
// lookalikes, which would corrupt Chinese and Japanese lexicon terms.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo)
}

func foldSlow(r rune) *folded { return foldSlowDepth(r, true) }

func foldSlowDepth(r rune, stable bool) *folded {
	f := &folded{}
	switch {
	case isZeroWidth(r):
		f.cls, f.dis = clsIgnore, ZeroWidth
		return f
	case unicode.Is(unicode.M, r):
		// A combining accent after a base letter ("Gu\u0300cci"). Spacing
		// vowel signs of Indic scripts go too, so that a letter and its
		// decomposed form fold alike.
		f.cls, f.dis = clsIgnore, Confusable
		return f
	case r == 0x2019 || r == 0x02BC || r == 0x2018 || r == 0xFF07:
		f.cls = clsApos
		return f
	case r == 0x20AC: // euro sign: a common stand-in for e
		f.cls, f.leet, f.lit = clsTight, "e", string(r)
		return f
	case r == 0xA2: // cent sign for c
		f.cls, f.leet, f.lit = clsTight, "c", string(r)
		return f
	}
	if c, ok := regionalLetter(r); ok {
		// A regional indicator symbol: a flag in pairs, so it reads as its
		// letter only as a leet reading, in runs (see markLeet).
		f.cls, f.leet, f.lit, f.ldis = clsTight, string(c), string(r), Confusable
		return f
	}
	if c, ok := enclosedLetter(r); ok {
		f.out, f.cls, f.dis, f.lit = string(c), clsLetter, Confusable, string(c)
		return f
	}
	if isCJK(r) {
		s := norm.NFKC.String(string(r))
		if s != string(r) {
			f.dis = Fullwidth
		}
		if unicode.In(r, unicode.Hiragana, unicode.Katakana) {
			// Halfwidth katakana spell voiced kana with a separate mark
			// (ﾋﾟ for ピ) that per-character folding cannot recompose, so
			// kana lose their voicing marks on both sides.
			var b strings.Builder
			for _, c := range norm.NFKD.String(s) {
				if !unicode.Is(unicode.M, c) {
					b.WriteRune(c)
				}
			}
			if b.Len() > 0 {
				s = b.String()
			}
		}
		f.out, f.cls = s, clsLetter
		return f
	}
	s := norm.NFKC.String(string(r))
	if s != string(r) && unicode.IsLetter(r) && !isASCII(s) {
		// A compatibility form whose decomposition is itself a letter of
		// another script: the lunate sigma Ϲ decomposes to Σ, which reads
		// as o, while it was drawn, and is chosen, as a C. The lookalike
		// table knows the form itself.
		if rep, ok := latinLookalike(r, r); ok && isLower(rep) {
			f.out, f.cls, f.dis, f.lit = rep, clsLetter, Confusable, rep
			return f
		}
	}
	if s != string(r) {
		f.dis |= compatDisguise(r)
		if unicode.IsSymbol(r) && utf8.RuneCountInString(s) > 1 {
			// ™, ℠, ㎏: a symbol that spells letters is still a symbol;
			// "Nike™" must not become the word "niketm".
			f.cls, f.lit = clsTight, strings.ToLower(s)
			return f
		}
		if len(s) == 1 && s[0] < utf8.RuneSelf {
			// Fullwidth or other compatibility form of an ASCII character:
			// behave exactly like it, flagged.
			a := asciiFold[s[0]]
			a.dis |= compatDisguise(r)
			return &a
		}
	}
	var b strings.Builder
	anyLetter, anyDigit, onlyMarks := false, false, true
	for _, c := range s {
		if isZeroWidth(c) || unicode.Is(unicode.M, c) {
			continue
		}
		onlyMarks = false
		if !unicode.IsLetter(c) && !unicode.IsNumber(c) {
			continue
		}
		if unicode.IsNumber(c) {
			if c < utf8.RuneSelf {
				b.WriteRune(c)
				anyDigit = true
				continue
			}
			if v := unicode.ToLower(c); v != c {
				c = v
			}
		}
		anyLetter = true
		out, dis := foldLetter(c)
		f.dis |= dis
		b.WriteString(out)
	}
	f.out = b.String()
	if stable {
		f.out = stabilize(f.out, 3)
	}
	switch {
	case f.out == "" && onlyMarks:
		// A compatibility form of a combining mark (halfwidth ﾟ).
		f.cls, f.dis = clsIgnore, Confusable
		return f
	case f.out == "" && (unicode.IsSpace(r) || unicode.Is(unicode.Zs, r)):
		f.cls = clsSpace
	case f.out == "" && (r == 0xB7 || r == 0x2022 || r == 0x2027 || r == 0x2219 || r == 0x22C5 || r == 0x30FB || r == 0xFF65 || r == 0x2010 || r == 0x2011 || r == 0x2012 || r == 0x2013 || r == 0x2014 || r == 0x2043 || r == 0x2044 || r == 0x2215 || r == 0x2217 || r == 0x2605 || r == 0x2606):
		// Middle dots, bullets, dashes, slashes and stars: letter splitters.
		f.cls = clsTight
	case f.out == "" && unicode.IsSymbol(r):
		f.cls = clsTight
	case f.out == "":
		f.cls = clsHard
	case anyLetter:
		f.cls = clsLetter
	case anyDigit && len(f.out) == 1:
		a := asciiFold[f.out[0]]
		a.dis |= f.dis
		return &a
	default:
		f.cls = clsLetter
	}
	switch {
	case f.out != "":
		f.lit = f.out
	case f.cls == clsSpace:
		f.lit = " "
	default:
		f.lit = strings.ToLower(s)
	}
	return f
}

// stabilize folds the non-ASCII runes of a folding result again until it
// no longer changes, so that Normalize(Normalize(s)) == Normalize(s):
// compatibility decompositions can yield characters that fold further
// ("ŉ" becomes a modifier apostrophe and n).
func stabilize(s string, depth int) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii || depth == 0 {
		return s
	}
	var b strings.Builder
	changed := false
	for _, c := range s {
		if c < utf8.RuneSelf || isCJK(c) {
			b.WriteRune(c)
			continue
		}
		g := foldSlowNoStabilize(c)
		if !(g.cls == clsLetter || g.cls == clsDigit) {
			changed = true
			continue
		}
		if g.out != string(c) {
			changed = true
		}
		b.WriteString(g.out)
	}
	if !changed {
		return s
	}
	return stabilize(b.String(), depth-1)
}

func foldSlowNoStabilize(r rune) *folded {
	return foldSlowDepth(r, false)
}

// foldLetter case-folds one letter, strips its accents and maps
// lookalikes from other scripts to the Latin letter they imitate.
func foldLetter(c rune) (string, Disguise) {
	var dis Disguise
	lc := unicode.ToLower(c)
	if lc == 'ß' || c == 'ẞ' {
		return "ss", 0
	}
	// Strip accents: decompose and drop the marks.
	d := norm.NFD.String(string(lc))
	var base []rune
	for _, x := range d {
		if unicode.Is(unicode.M, x) {
			dis |= Confusable
			continue
		}
		base = append(base, x)
	}
	var b strings.Builder
	for _, x := range base {
		if x < utf8.RuneSelf {
			b.WriteRune(unicode.ToLower(x))
			continue
		}
		if l, ok := smallCapitals[x]; ok {
			b.WriteRune(l)
			dis |= Confusable
			continue
		}
		if l, ok := strokedLetters[x]; ok {
			b.WriteString(l)
			dis |= Confusable
			continue
		}
		if rep, ok := latinLookalike(x, c); ok {
			b.WriteString(rep)
			dis |= Confusable
			continue
		}
		b.WriteRune(x)
	}
	return b.String(), dis
}

// smallCapitals are the Latin small-capital letters (ɴɪᴋᴇ). TR39 does not
// list them as confusable with lower-case letters, but in a listing they
// read as exactly that.
var smallCapitals = map[rune]rune{
	0x1D00: 'a', 0x0299: 'b', 0x1D04: 'c', 0x1D05: 'd', 0x1D07: 'e', 0xA730: 'f', 0x0262: 'g',
	0x029C: 'h', 0x026A: 'i', 0x1D0A: 'j', 0x1D0B: 'k', 0x029F: 'l', 0x1D0D: 'm', 0x0274: 'n',
	0x1D0F: 'o', 0x1D18: 'p', 0xA7AF: 'q', 0x0280: 'r', 0xA731: 's', 0x1D1B: 't', 0x1D1C: 'u',
	0x1D20: 'v', 0x1D21: 'w', 0x028F: 'y', 0x1D22: 'z',
}

// strokedLetters are Latin letters with a stroke or ligature that Unicode
// does not decompose, so accent stripping leaves them alone: "Canøn",
// "Cašiø", "Łouis". The mapping is the letter a reader sees.
var strokedLetters = map[rune]string{
	'ø': "o", 'đ': "d", 'ł': "l", 'ħ': "h", 'ŧ': "t", 'ƀ': "b", 'ɨ': "i", 'ı': "i",
	'ɵ': "o", 'ƶ': "z", 'ǥ': "g", 'æ': "ae", 'œ': "oe", 'þ': "th",
}

// enclosedLetter maps the negative squared and negative circled capital
// letters (🅽, 🅝), emoji with no compatibility decomposition, to their
// letter. Regional indicators are left alone: in pairs they are flags,
// and 🇺🇦 is Ukraine, not "UA".
func enclosedLetter(r rune) (rune, bool) {
	switch {
	case r >= 0x1F170 && r <= 0x1F189:
		return 'a' + r - 0x1F170, true
	case r >= 0x1F150 && r <= 0x1F169:
		return 'a' + r - 0x1F150, true
	}
	return 0, false
}

// regionalLetter maps a regional indicator symbol (🇳) to its letter.
func regionalLetter(r rune) (rune, bool) {
	if r >= 0x1F1E6 && r <= 0x1F1FF {
		return 'a' + r - 0x1F1E6, true
	}
	return 0, false
}

// compatDisguise is the disguise a compatibility form of a character
// stands for: Fullwidth for the fullwidth forms a CJK keyboard types
// (ＮＩＫＥ), Confusable for deliberate styling (𝐍𝐈𝐊𝐄, ⓃⒾⓀⒺ, ﬁ).
func compatDisguise(r rune) Disguise {
	if r >= 0xFF01 && r <= 0xFF5E || r >= 0xFFE0 && r <= 0xFFEE || r == 0x3000 {
		return Fullwidth
	}
	return Confusable
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isLower reports whether s is all ASCII lower-case letters.
func isLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

// latinLookalike returns the ASCII letters a non-Latin letter imitates,
// according to the TR39 confusables table. The table's prototype for the
// I/l/| family is "l"; an upper-case source is read as "i" because that is
// the letter a capital lookalike (Greek Iota, Cyrillic І) is standing in for.
func latinLookalike(lower, orig rune) (string, bool) {
	try := func(x rune) (string, bool) {
		rep := confusable.GetReplacement(x)
		if rep == "" {
			return "", false
		}
		for i := 0; i < len(rep); i++ {
			c := rep[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return "", false
			}
		}
		if unicode.IsUpper(x) && rep == "l" {
			return "i", true
		}
		return strings.ToLower(rep), true
	}
	if unicode.IsUpper(orig) {
		if s, ok := try(orig); ok {
			return s, true
		}
	}
	if s, ok := try(lower); ok {
		return s, true
	}
	if s, ok := try(unicode.ToUpper(lower)); ok {
		return s, true
	}
	return "", false
}

// Normalize returns the canonical form used on both sides of a match:
// NFKC, case folded, accents stripped, lookalike letters from other
// scripts mapped to Latin, invisible characters dropped, and words
// separated by single spaces. Leetspeak is not folded here because digits
// are meaningful in marks ("3M", "Air Max 90"); Find tries leet readings
// of the listing text separately.
func Normalize(s string) string {
	var st stream
	st.build(appendUnits(nil, s), modePlain, nil)
	return st.spaced(0, len(st.words)-1, false)
}
