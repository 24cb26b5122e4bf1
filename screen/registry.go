package screen

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/screen/textmatch"
)

// Registry is the brand registry compiled for screening: one matcher over
// every mark of every brand, and look-up tables for floors and sellers.
// It is immutable once built; the engine swaps in a new one on reload.
type Registry struct {
	brands     []hallmark.Brand
	byID       map[string]int
	marks      []markRef // per matcher term
	matcher    *textmatch.Matcher
	authorized []map[string]bool
	// catGroups holds each brand's category groups (bags, shoes ...).
	catGroups []map[string]bool
	images    ImageIndex
}

type markRef struct {
	brand    int
	text     string
	kind     hallmark.MarkKind
	ordinary bool
	// short marks (three letters or fewer: LV, YSL, CK) collide with ordinary
	// strings too often to count on their own, like ordinary words.
	short bool
	// product is one plus the index of the brand's product that the term
	// names (its name or an identifier); zero for a mark that names none.
	product int
	// ident marks a product identifier (GTIN, model number): it counts only
	// as written and standing alone, never misspelt, disguised or as part
	// of a longer code.
	ident bool
}

// minTypoLetters is the shortest mark for which a one-edit typo counts.
const minTypoLetters = 5

// NewRegistry compiles brands for screening. lex supplies category groups.
func NewRegistry(brands []hallmark.Brand, lex *Lexicon) (*Registry, error) {
	r := &Registry{
		brands:     brands,
		byID:       make(map[string]int, len(brands)),
		authorized: make([]map[string]bool, len(brands)),
		catGroups:  make([]map[string]bool, len(brands)),
	}
	var terms []textmatch.Term
	for i := range brands {
		b := &brands[i]
		if _, dup := r.byID[b.ID]; dup {
			return nil, fmt.Errorf("brand %q: %w: duplicate brand id", b.ID, hallmark.ErrInvalid)
		}
		r.byID[b.ID] = i
		r.authorized[i] = make(map[string]bool, len(b.AuthorizedSellers))
		for _, s := range b.AuthorizedSellers {
			r.authorized[i][s] = true
		}
		r.catGroups[i] = map[string]bool{}
		lex.categoryGroups(b.Category, r.catGroups[i])
		for _, m := range b.Marks {
			norm := textmatch.Normalize(m.Text)
			letters := letterCount(norm)
			if letters == 0 {
				return nil, fmt.Errorf("brand %q: mark %q: %w: has no letters or digits", b.ID, m.Text, hallmark.ErrInvalid)
			}
			// Two or three Latin letters collide with ordinary strings; two or
			// three Chinese characters are a distinctive name.
			ref := markRef{brand: i, text: m.Text, kind: m.Kind, ordinary: m.Ordinary || (m.Kind == hallmark.MarkProductLine && plainWords(norm)),
				short: letters <= 3 && !hasHan(norm)}
			terms = append(terms, textmatch.Term{
				Text:   m.Text,
				Typos:  letters >= minTypoLetters && !hasDigit(norm),
				Joined: !ref.short,
			})
			r.marks = append(r.marks, ref)
		}
		r.addProducts(i, b, &terms)
		// Brands prefix product lines with their monogram ("GG Marmont",
		// "FF logo"); the monogram alone is a short mark of the brand too.
		for _, abbr := range monograms(b, lex) {
			terms = append(terms, textmatch.Term{Text: abbr})
			r.marks = append(r.marks, markRef{brand: i, text: abbr, kind: hallmark.MarkAbbreviation, short: true})
		}
	}
	m, err := textmatch.NewMatcher(terms)
	if err != nil {
		return nil, err
	}
	r.matcher = m
	return r, nil
}

// addProducts makes the names and identifiers of brand i's products terms
// of the brand. A name is read like a product-line mark; an identifier is
// distinctive enough to stand for the brand alone, unless it is a bare
// short number ("501") that turns up in any text.
func (r *Registry) addProducts(i int, b *hallmark.Brand, terms *[]textmatch.Term) {
	if len(b.Products) == 0 {
		return
	}
	// A product name or identifier that is already a term of the brand
	// ("Birkin" as mark and product) labels that term rather than add a
	// second one reporting the same words.
	have := map[string]int{}
	for k := len(r.marks) - 1; k >= 0 && r.marks[k].brand == i; k-- {
		have[textmatch.Normalize(r.marks[k].text)] = k
	}
	add := func(text string, ref markRef, term textmatch.Term) {
		norm := textmatch.Normalize(text)
		// Validation bounds names and identifiers, but folding (ß to ss)
		// can still lengthen one past what the matcher takes.
		if norm == "" || len(norm) > textmatch.MaxTermLen {
			return
		}
		if k, ok := have[norm]; ok {
			if r.marks[k].product == 0 {
				r.marks[k].product = ref.product
			}
			return
		}
		have[norm] = len(r.marks)
		*terms = append(*terms, term)
		r.marks = append(r.marks, ref)
	}
	for pi := range b.Products {
		p := &b.Products[pi]
		name := strings.TrimSpace(p.Name)
		norm := textmatch.Normalize(name)
		letters := letterCount(norm)
		short := letters <= 3 && !hasHan(norm)
		add(name, markRef{brand: i, text: name, kind: hallmark.MarkProductLine, product: pi + 1,
			ordinary: textmatch.IsOrdinaryMark(name) || plainWords(norm), short: short},
			textmatch.Term{Text: name, Typos: letters >= minTypoLetters && !hasDigit(norm), Joined: !short})
		for _, id := range p.Identifiers {
			id = strings.TrimSpace(id)
			add(id, markRef{brand: i, text: id, kind: hallmark.MarkProductLine, product: pi + 1, ident: true,
				short: !distinctiveIdentifier(id)},
				textmatch.Term{Text: id})
		}
	}
}

// distinctiveIdentifier reports whether an identifier names one product
// wherever it appears: five letters or digits or more, and either a letter
// among them ("GA-2100") or a GTIN's length and check digit. A short or
// bare number ("501", "1000") also reads as a size, a price or a year, and
// counts only in context, like a short mark.
func distinctiveIdentifier(id string) bool {
	alnum, letter := 0, false
	digits := make([]byte, 0, len(id))
	for _, c := range []byte(id) {
		switch {
		case c >= '0' && c <= '9':
			alnum++
			digits = append(digits, c)
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			alnum++
			letter = true
		}
	}
	if alnum < 5 {
		return false
	}
	return letter || hallmark.ValidGTIN(string(digits))
}

// keepIdentifiers drops matches of product identifiers that are not the
// identifier as written and standing alone: a GTIN inside a longer number,
// "GA-2100" inside "GA-2100-1A1", or a one-edit or leetspeak reading of a
// code, which would be a different product. It filters ms in place.
func (r *Registry) keepIdentifiers(text string, ms []textmatch.Match) []textmatch.Match {
	out := ms[:0]
	for _, m := range ms {
		if r.marks[m.Term].ident && (m.Edits > 0 || m.Disguise&^textmatch.Fullwidth != 0 || codeContinues(text, m.Start, m.End)) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// codeContinues reports whether the text around [start, end) carries on
// the code: a letter or digit right next to it, or a code separator ('-',
// '.', '/') followed by one.
func codeContinues(text string, start, end int) bool {
	if r, n := utf8.DecodeLastRuneInString(text[:start]); n > 0 {
		if alnum(r) {
			return true
		}
		if strings.ContainsRune("-./", r) {
			if r2, n2 := utf8.DecodeLastRuneInString(text[:start-n]); n2 > 0 && alnum(r2) {
				return true
			}
		}
	}
	if r, n := utf8.DecodeRuneInString(text[end:]); n > 0 {
		if alnum(r) {
			return true
		}
		if strings.ContainsRune("-./", r) {
			if r2, n2 := utf8.DecodeRuneInString(text[end+n:]); n2 > 0 && alnum(r2) {
				return true
			}
		}
	}
	return false
}

func alnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Brands returns the brands the registry was built from.
func (r *Registry) Brands() []hallmark.Brand { return r.brands }

// Brand returns a brand by id.
func (r *Registry) Brand(id string) (*hallmark.Brand, bool) {
	i, ok := r.byID[id]
	if !ok {
		return nil, false
	}
	return &r.brands[i], true
}

func letterCount(s string) int {
	n := 0
	for _, c := range s {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			n++
		}
	}
	return n
}

// floor returns the price floor that applies to a listing of brand i in the
// given category groups: a category-specific floor first, else the brand-wide one.
func (r *Registry) floor(i int, lex *Lexicon, category string) (hallmark.PriceFloor, bool) {
	b := &r.brands[i]
	var general *hallmark.PriceFloor
	if category != "" {
		cat := textmatch.Normalize(category)
		groups := map[string]bool{}
		lex.categoryGroups(category, groups)
		for j := range b.PriceFloors {
			f := &b.PriceFloors[j]
			if f.Category == "" {
				continue
			}
			if textmatch.Normalize(f.Category) == cat {
				return *f, true
			}
			fg := map[string]bool{}
			lex.categoryGroups(f.Category, fg)
			for g := range fg {
				if groups[g] {
					return *f, true
				}
			}
		}
	}
	for j := range b.PriceFloors {
		if b.PriceFloors[j].Category == "" {
			general = &b.PriceFloors[j]
			break
		}
	}
	if general == nil {
		return hallmark.PriceFloor{}, false
	}
	return *general, true
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}

// hasDigit reports whether a mark has a digit: model names (WH-1000XM5,
// Air Force 1) differ from their siblings by one character, so a one-edit
// reading of them is a different product, not a typo.
func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// plainWords reports whether a normalized mark is made only of common words,
// numbers and one- or two-letter pieces ("Re-Edition", "Air Force 1",
// "Classic Flap"). Such a product-line name, met without the brand's own
// name, reads as the brand only in context.
func plainWords(norm string) bool {
	for _, w := range strings.Fields(norm) {
		if len(w) < 3 || textmatch.IsCommonWord(w) || strings.Trim(w, "0123456789") == "" {
			continue
		}
		return false
	}
	return true
}

// monograms returns the two- to four-letter capitalised first words of a
// brand's multi-word marks that are not marks themselves, nor common
// words or lexicon phrases ("GG" from "GG Marmont", not "UA" or "AAA").
func monograms(b *hallmark.Brand, lex *Lexicon) []string {
	have := map[string]bool{}
	for _, m := range b.Marks {
		have[textmatch.Normalize(m.Text)] = true
	}
	var out []string
	for _, m := range b.Marks {
		first, rest, ok := strings.Cut(strings.TrimSpace(m.Text), " ")
		if !ok || strings.TrimSpace(rest) == "" || len(first) < 2 || len(first) > 4 {
			continue
		}
		if strings.ToUpper(first) != first || strings.ToLower(first) == first {
			continue
		}
		norm := textmatch.Normalize(first)
		if have[norm] || textmatch.IsCommonWord(norm) || lex.isPhrase(norm) {
			continue
		}
		have[norm] = true
		out = append(out, first)
	}
	return out
}
