package main

import (
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
)

// The disguise functions rewrite a brand mark the way evading sellers do.
// Each returns the input unchanged when it cannot apply; callers check.

var homoglyphs = map[rune][]rune{
	'a': {'а', 'ɑ'}, 'c': {'с', 'ϲ'}, 'e': {'е', 'ҽ'}, 'i': {'і', 'ι'}, 'j': {'ј'}, 'o': {'о', 'ο', 'σ'},
	'p': {'р', 'ρ'}, 's': {'ѕ'}, 'x': {'х'}, 'y': {'у', 'γ'}, 'h': {'һ'}, 'l': {'ӏ', 'ⅼ'}, 'n': {'ո'}, 'v': {'ν'}, 'u': {'υ'},
	'A': {'А', 'Α'}, 'B': {'В', 'Β'}, 'C': {'С', 'Ϲ'}, 'E': {'Е', 'Ε'}, 'H': {'Н', 'Η'}, 'I': {'І', 'Ι'},
	'K': {'К', 'Κ'}, 'M': {'М', 'Μ'}, 'N': {'Ν'}, 'O': {'О', 'Ο'}, 'P': {'Р', 'Ρ'}, 'S': {'Ѕ'}, 'T': {'Т', 'Τ'},
	'X': {'Х', 'Χ'}, 'Y': {'Υ', 'Ү'}, 'Z': {'Ζ'}, 'J': {'Ј'}, 'G': {'Ԍ'}, 'L': {'Ⳑ'}, 'D': {'Ꭰ'}, 'V': {'Ꮩ'}, 'W': {'Ԝ'},
}

var leet = map[rune][]string{
	'a': {"4", "@"}, 'A': {"4", "@"}, 'e': {"3"}, 'E': {"3"}, 'i': {"1", "!", "|"}, 'I': {"1", "!"},
	'o': {"0", "()"}, 'O': {"0"}, 's': {"$", "5"}, 'S': {"$", "5"}, 't': {"7", "+"}, 'T': {"7"},
	'l': {"1", "|"}, 'L': {"1"}, 'g': {"9"}, 'G': {"6"}, 'c': {"(", "¢"}, 'C': {"(", "¢"}, 'b': {"8"}, 'B': {"8"},
	'u': {"v", "#"}, 'z': {"2"}, 'x': {"><"},
}

var accents = map[rune][]rune{
	'a': {'á', 'à', 'ä', 'â', 'å'}, 'e': {'é', 'è', 'ë', 'ê'}, 'i': {'í', 'ï', 'î'}, 'o': {'ó', 'ö', 'ô', 'ø'},
	'u': {'ú', 'ü', 'û'}, 'c': {'ç'}, 'n': {'ñ'}, 's': {'š'}, 'z': {'ž'}, 'y': {'ý'},
	'A': {'Á', 'Ä', 'Å'}, 'E': {'É', 'Ë'}, 'O': {'Ö', 'Ø'}, 'U': {'Ü'}, 'I': {'Í'},
}

var separators = []string{" ", ".", "-", "*", "·", "_", "•", "/", "‧", "∙", " . ", "~"}

var zeroWidth = []string{"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}

// positions returns the rune indexes of s for which ok is true.
func positions(rs []rune, ok func(rune) bool) []int {
	var p []int
	for i, r := range rs {
		if ok(r) {
			p = append(p, i)
		}
	}
	return p
}

// pickSome returns between 1 and max of the given positions, or all of them
// with probability pAll.
func pickSome(r *rand.Rand, p []int, max int, pAll float64) map[int]bool {
	out := map[int]bool{}
	if len(p) == 0 {
		return out
	}
	if r.Float64() < pAll {
		for _, i := range p {
			out[i] = true
		}
		return out
	}
	n := 1 + r.IntN(max)
	for range n {
		out[p[r.IntN(len(p))]] = true
	}
	return out
}

// sortedKeys keeps the use of the random source in a fixed order, so that
// output does not depend on map iteration.
func sortedKeys(m map[int]bool) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func confusable(r *rand.Rand, s string) string {
	rs := []rune(s)
	sel := pickSome(r, positions(rs, func(c rune) bool { return homoglyphs[c] != nil }), 2, 0.25)
	for _, i := range sortedKeys(sel) {
		alts := homoglyphs[rs[i]]
		rs[i] = alts[r.IntN(len(alts))]
	}
	return string(rs)
}

func diacritic(r *rand.Rand, s string) string {
	rs := []rune(s)
	sel := pickSome(r, positions(rs, func(c rune) bool { return accents[c] != nil }), 2, 0.1)
	for _, i := range sortedKeys(sel) {
		alts := accents[rs[i]]
		rs[i] = alts[r.IntN(len(alts))]
	}
	return string(rs)
}

func leetspeak(r *rand.Rand, s string) string {
	rs := []rune(s)
	sel := pickSome(r, positions(rs, func(c rune) bool { return leet[c] != nil }), 2, 0.3)
	var b strings.Builder
	for i, c := range rs {
		if sel[i] {
			alts := leet[c]
			b.WriteString(alts[r.IntN(len(alts))])
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func fullwidth(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == ' ':
			b.WriteRune('\u3000')
		case c > 0x20 && c < 0x7f:
			b.WriteRune(c - 0x21 + 0xff01)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// split puts a separator between letters: between all of them, or at one or
// two places only.
func split(r *rand.Rand, s string) string {
	sep := separators[r.IntN(len(separators))]
	rs := []rune(s)
	every := r.Float64() < 0.6
	if r.Float64() < 0.35 {
		rs = []rune(strings.ToUpper(s))
	}
	cut := map[int]bool{}
	if !every {
		letters := positions(rs, unicode.IsLetter)
		for range 1 + r.IntN(2) {
			if len(letters) > 2 {
				cut[letters[1+r.IntN(len(letters)-1)]] = true
			}
		}
	}
	var b strings.Builder
	for i, c := range rs {
		if i > 0 && unicode.IsLetter(c) && unicode.IsLetter(rs[i-1]) && (every || cut[i]) {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

func zeroWidthSplit(r *rand.Rand, s string) string {
	z := zeroWidth[r.IntN(len(zeroWidth))]
	mixed := r.Float64() < 0.3
	rs := []rune(s)
	every := r.Float64() < 0.5
	var b strings.Builder
	for i, c := range rs {
		if i > 0 && unicode.IsLetter(c) && (every || r.IntN(3) == 0 || i == len(rs)/2) {
			if mixed {
				z = zeroWidth[r.IntN(len(zeroWidth))]
			}
			b.WriteString(z)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// joined removes the spaces and hyphens of a multi-word mark.
func joined(r *rand.Rand, s string) string {
	words := strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == '-' })
	if len(words) < 2 {
		return s
	}
	switch r.IntN(5) {
	case 0:
		return strings.ToLower(strings.Join(words, ""))
	case 1:
		return strings.ToUpper(strings.Join(words, ""))
	case 2:
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
		}
		return strings.Join(words, "")
	case 3:
		return "#" + strings.ToLower(strings.Join(words, ""))
	}
	return strings.Join(words, "")
}

var keyboardNeighbours = map[rune]string{
	'a': "sq", 'b': "vn", 'c': "xv", 'd': "sf", 'e': "wr", 'f': "dg", 'g': "fh", 'h': "gj", 'i': "uo", 'j': "hk",
	'k': "jl", 'l': "k", 'm': "n", 'n': "bm", 'o': "ip", 'p': "o", 'r': "et", 's': "ad", 't': "ry", 'u': "yi",
	'v': "cb", 'w': "qe", 'x': "zc", 'y': "tu", 'z': "x",
}

// typo makes one edit inside the letters of s: a deletion, a doubled letter,
// a neighbouring-key substitution or a transposition.
func typo(r *rand.Rand, s string) string {
	rs := []rune(s)
	letters := positions(rs, func(c rune) bool { return c < 128 && unicode.IsLetter(c) })
	if len(letters) < 4 {
		return s
	}
	// Never touch the first letter: sellers keep it so buyers still find the item.
	i := letters[1+r.IntN(len(letters)-1)]
	switch r.IntN(4) {
	case 0: // deletion
		return string(append(rs[:i:i], rs[i+1:]...))
	case 1: // doubled letter
		out := append([]rune{}, rs[:i+1]...)
		out = append(out, rs[i])
		return string(append(out, rs[i+1:]...))
	case 2: // substitution
		lower := unicode.ToLower(rs[i])
		n := keyboardNeighbours[lower]
		if n == "" {
			return s
		}
		c := rune(n[r.IntN(len(n))])
		if unicode.IsUpper(rs[i]) {
			c = unicode.ToUpper(c)
		}
		out := append([]rune{}, rs...)
		out[i] = c
		return string(out)
	default: // transposition with the next letter
		if i+1 >= len(rs) || !unicode.IsLetter(rs[i+1]) || rs[i] == rs[i+1] {
			return s
		}
		out := append([]rune{}, rs...)
		out[i], out[i+1] = out[i+1], out[i]
		return string(out)
	}
}
