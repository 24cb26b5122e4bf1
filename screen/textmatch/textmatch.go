// Package textmatch finds registered brand marks and replica-trade phrases
// in listing text, however the seller disguised them: fullwidth or
// lookalike letters from other scripts, accents, leetspeak, letters split
// by dots or zero-width characters, words run together, one-letter typos
// and marks glued to other words ("GucciBag").
//
// Everything here is a pure function of its input: no I/O, no clocks.
// A Matcher is built once from the terms to look for and is then safe for
// concurrent use; Find does hash lookups on the normalized words of a
// listing (never one scan per mark), so its cost depends on the listing's
// length, not on how many marks are registered. The exception is terms made
// of symbols more than letters ("1:1", "H&M"): each is searched for as
// written, which suits a lexicon's handful but not thousands.
//
// The package only reports where a mark appears and how it was disguised.
// Whether that matters is for the caller: a mark that is also an ordinary
// English word ("Apple", "Coach") is reported like any other, and
// IsOrdinaryMark lets the caller ask for more context before acting on it.
package textmatch

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Term is something to find: a brand mark or a lexicon phrase.
type Term struct {
	Text   string // as registered: "Louis Vuitton", "高仿", "mirror quality", "1:1"
	Typos  bool   // allow one-edit typo matches (only for terms of five letters or more)
	Joined bool   // allow a multi-word term written without separators, and the term embedded in a longer token
}

// Disguise is the set of tricks found in a match. Zero means the term
// appeared as written, up to case.
type Disguise uint16

// Disguises, combinable.
const (
	Confusable Disguise = 1 << iota // lookalike letters from other scripts, accents, or styled letters (𝐍𝐈𝐊𝐄, 🅽🅸🅺🅴, ɴɪᴋᴇ)
	Fullwidth                       // fullwidth forms, as a CJK keyboard types them (ＮＩＫＥ)
	Leet                            // digits or symbols for letters (N1ke, $upreme)
	Split                           // letters split by spaces or punctuation (N.I.K.E, G U C C I)
	Joined                          // a multi-word term written as one word (LouisVuitton)
	Typo                            // one edit away (Guuci, Addidas)
	Embedded                        // glued to another word (GucciBag, nikeshoes)
	ZeroWidth                       // invisible characters inside the term
)

var disguiseNames = [...]string{"confusable", "fullwidth", "leet", "split", "joined", "typo", "embedded", "zerowidth"}

// String names the disguises joined by "+", or "exact" for none.
func (d Disguise) String() string {
	if d == 0 {
		return "exact"
	}
	var b strings.Builder
	for i, n := range disguiseNames {
		if d&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte('+')
			}
			b.WriteString(n)
		}
	}
	if rest := d &^ (1<<len(disguiseNames) - 1); rest != 0 {
		if b.Len() > 0 {
			b.WriteByte('+')
		}
		fmt.Fprintf(&b, "Disguise(%#x)", uint16(rest))
	}
	return b.String()
}

// Match is one occurrence of a term in a text.
type Match struct {
	Term       int      // index into the []Term given to NewMatcher
	Start, End int      // byte offsets of the matched characters in the original text
	Original   string   // text[Start:End]
	Normalized string   // the normalized form that matched: "louis vuitton"; for a typo, the text's own form
	Disguise   Disguise // how it was disguised
	Edits      int      // 0, or 1 for a typo match
}

// MaxTermLen is the longest normalized term, in bytes, that NewMatcher accepts.
const MaxTermLen = 64

// ErrBadTerm is wrapped by the errors NewMatcher returns for unusable terms.
var ErrBadTerm = errors.New("textmatch: bad term")

// minTypoLen is the shortest term, and the shortest listing token, that a
// typo may match: below five letters almost every one-edit neighbour of a
// mark is some other real word or abbreviation.
const minTypoLen = 5

// minEmbedLen is the shortest mark found glued inside a longer token.
const minEmbedLen = 4

// Tokens returns the normalized words of s, as Find sees them before any
// leet, split or join handling. It is meant for display and tests.
func Tokens(s string) []string {
	return strings.Fields(Normalize(s))
}

func validUTF8Term(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w %q: invalid UTF-8", ErrBadTerm, s)
	}
	return nil
}
