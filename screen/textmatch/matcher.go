package textmatch

import (
	"bytes"
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"sync"
	"unicode/utf8"
)

// term is a Term prepared for matching.
type term struct {
	key      string // normalized letters and digits, words run together: "louisvuitton"
	norm     string // normalized with single spaces: "louis vuitton"
	bounds   uint64 // bit p set when a word of the term starts at key offset p > 0
	nwords   int
	typos    bool
	joined   bool
	short    bool   // under three bytes: only ever matched as a whole, plain word
	literal  string // matched as written in the literal stream ("1:1", "h&m"); "" if not
	literalB []byte
	cjk      bool // contains Han/kana/Hangul: matched as a substring anywhere
}

// Matcher finds terms in text. It is immutable once built and safe for
// concurrent use.
type Matcher struct {
	terms      []term
	exact      index // key -> terms
	del        index // key and each one-deletion variant of typo-eligible keys -> terms
	sub        index // keys findable inside a longer token -> terms
	embedLens  []int // distinct key lengths in sub of Latin marks, ascending
	cjkLens    []int // distinct key lengths in sub of CJK terms, ascending
	literals   []int32
	maxKey     int
	maxTypoKey int
	maxWords   int
	prefixes   bitFilter // hashes of every prefix of every key
	suffixes   bitFilter // hashes of every suffix of every typo-eligible key
	pool       sync.Pool
}

// NewMatcher prepares terms for Find. The error names the first unusable
// term (empty once normalized, longer than MaxTermLen, invalid UTF-8).
func NewMatcher(terms []Term) (*Matcher, error) {
	m := &Matcher{terms: make([]term, len(terms)), maxWords: 1}
	m.exact.init(len(terms))
	m.sub.init(len(terms) / 2)
	// Size the deletion index from the raw lengths: a key has at most one
	// variant per byte, plus itself.
	nvariants := 0
	for _, t := range terms {
		if t.Typos {
			nvariants += len(t.Text) + 1
		}
	}
	m.del.init(nvariants)
	sc := newScratch()
	var prefixes, suffixes []uint64
	embedLens, cjkLens := map[int]bool{}, map[int]bool{}
	for i, in := range terms {
		if err := validUTF8Term(in.Text); err != nil {
			return nil, fmt.Errorf("term %d: %w", i, err)
		}
		t := &m.terms[i]
		t.typos, t.joined = in.Typos, in.Joined
		sc.units = appendUnits(sc.units[:0], in.Text)
		st := &sc.st
		st.build(sc.units, modePlain, nil)
		key := st.buf
		hasSymbol, hasLetter := false, false
		for _, u := range sc.units {
			switch u.f.cls {
			case clsTight, clsHard:
				hasSymbol = true
			case clsLetter:
				hasLetter = true
			}
		}
		if hasSymbol && (!hasLetter || len(key) < 4) {
			// "1:1", "H&M", "A+": the symbols are the term. Folding them
			// away would leave a bare number or a two-letter word that
			// turns up everywhere.
			lit := literalForm(sc.units, nil)
			if len(lit) == 0 {
				return nil, fmt.Errorf("term %d: %w %q: empty once normalized", i, ErrBadTerm, in.Text)
			}
			if len(lit) > MaxTermLen {
				return nil, fmt.Errorf("term %d: %w %q: longer than %d bytes once normalized", i, ErrBadTerm, in.Text, MaxTermLen)
			}
			t.literal = string(lit)
			t.literalB = []byte(t.literal)
			t.norm = t.literal
			m.literals = append(m.literals, int32(i))
			continue
		}
		if len(key) == 0 {
			return nil, fmt.Errorf("term %d: %w %q: empty once normalized", i, ErrBadTerm, in.Text)
		}
		if len(key) > MaxTermLen {
			return nil, fmt.Errorf("term %d: %w %q: longer than %d bytes once normalized", i, ErrBadTerm, in.Text, MaxTermLen)
		}
		t.key = string(key)
		t.nwords = len(st.words)
		nb := make([]byte, 0, len(key)+len(st.words))
		for k, w := range st.words {
			if k > 0 {
				t.bounds |= 1 << uint(w.bs)
				nb = append(nb, ' ')
			}
			nb = append(nb, key[w.bs:w.be]...)
		}
		t.norm = string(nb)
		t.short = len(key) < 3
		ascii := true
		for _, c := range key {
			if c >= utf8.RuneSelf {
				ascii = false
			}
		}
		if !ascii {
			for _, r := range t.key {
				if isCJK(r) {
					t.cjk = true
					break
				}
			}
		}
		h := hashBytes(key)
		m.exact.add(h, int32(i))
		var ph uint64
		for _, c := range key {
			ph = ph*hashBase + uint64(c) + 1
			prefixes = append(prefixes, ph)
		}
		m.maxKey = max(m.maxKey, len(key))
		m.maxWords = max(m.maxWords, t.nwords)
		if t.cjk {
			m.sub.add(h, int32(i))
			cjkLens[len(key)] = true
		} else if ascii && t.joined && len(key) >= minEmbedLen && !st.ordinary() {
			m.sub.add(h, int32(i))
			embedLens[len(key)] = true
		}
		if t.typos && ascii && len(key) >= minTypoLen {
			m.maxTypoKey = max(m.maxTypoKey, len(key))
			m.del.add(h, int32(i))
			var sh uint64
			for p := len(key) - 1; p > 0; p-- {
				sh += (uint64(key[p]) + 1) * pow[len(key)-1-p]
				suffixes = append(suffixes, sh)
			}
			for p := range key {
				if p > 0 && key[p] == key[p-1] {
					continue // same variant as deleting the previous byte
				}
				m.del.add(deletionHash(key, p), int32(i))
			}
		}
	}
	if m.maxTypoKey > 0 {
		namesOnce.Do(loadNames) // now, rather than in the first Find
	}
	m.prefixes = newBitFilter(prefixes)
	m.suffixes = newBitFilter(suffixes)
	m.exact.finish()
	m.del.finish()
	m.sub.finish()
	m.embedLens = sortedKeys(embedLens)
	m.cjkLens = sortedKeys(cjkLens)
	m.pool.New = func() any { return newScratch() }
	return m, nil
}

func sortedKeys(s map[int]bool) []int {
	out := make([]int, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// Len returns the number of terms the matcher was built from.
func (m *Matcher) Len() int { return len(m.terms) }

// Find appends to dst the terms found in text, ordered by Start, then End,
// then Term. A term is reported at most once for any stretch of text: of
// overlapping matches of the same term, the one with the fewest edits and
// disguises wins.
//
// Offsets are kept as 32-bit integers; text of 2 GiB or more is not
// searched.
func (m *Matcher) Find(text string, dst []Match) []Match {
	if len(text) == 0 || len(m.terms) == 0 || len(text) >= 1<<31-1 {
		return dst
	}
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	sc.raw = sc.raw[:0]
	sc.units = appendUnits(sc.units[:0], text)

	sc.st.build(sc.units, modePlain, nil)
	m.search(sc, false)

	if leet, ambiguous := markLeet(text, sc.units, &sc.role); leet {
		sc.st.build(sc.units, modeLeet, sc.role)
		m.search(sc, true)
		if ambiguous {
			sc.st.build(sc.units, modeLeetAlt, sc.role)
			m.search(sc, true)
		}
	}
	if len(m.literals) > 0 {
		m.findLiterals(sc)
	}
	return m.emit(sc, text, dst)
}

// rawMatch is a match before de-duplication, kept small and free of
// strings so that the common case allocates nothing.
type rawMatch struct {
	term       int32
	start, end int32
	dis        Disguise
	edits      int8
	norm       string // set only for typos
}

func (m *Matcher) emit(sc *scratch, text string, dst []Match) []Match {
	raw := sc.raw
	if len(raw) == 0 {
		return dst
	}
	slices.SortFunc(raw, func(a, b rawMatch) int {
		if c := cmp.Compare(a.term, b.term); c != 0 {
			return c
		}
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		return cmp.Compare(a.end, b.end)
	})
	kept := raw[:0]
	for _, r := range raw {
		if n := len(kept); n > 0 && kept[n-1].term == r.term && r.start < kept[n-1].end {
			if better(r, kept[n-1]) {
				kept[n-1] = r
			}
			continue
		}
		kept = append(kept, r)
	}
	slices.SortFunc(kept, func(a, b rawMatch) int {
		if c := cmp.Compare(a.start, b.start); c != 0 {
			return c
		}
		if c := cmp.Compare(a.end, b.end); c != 0 {
			return c
		}
		return cmp.Compare(a.term, b.term)
	})
	for _, r := range kept {
		norm := r.norm
		if norm == "" {
			norm = m.terms[r.term].norm
		}
		dst = append(dst, Match{
			Term:       int(r.term),
			Start:      int(r.start),
			End:        int(r.end),
			Original:   text[r.start:r.end],
			Normalized: norm,
			Disguise:   r.dis,
			Edits:      int(r.edits),
		})
	}
	sc.raw = kept
	return dst
}

// better prefers the more certain of two overlapping matches of a term.
func better(a, b rawMatch) bool {
	if a.edits != b.edits {
		return a.edits < b.edits
	}
	if na, nb := bits.OnesCount16(uint16(a.dis)), bits.OnesCount16(uint16(b.dis)); na != nb {
		return na < nb
	}
	return a.end-a.start > b.end-b.start
}

// search looks for every term in the current stream: runs of whole words
// (which covers split letters and multi-word terms written either way),
// typos of those runs, and terms inside single words.
func (m *Matcher) search(sc *scratch, requireLeet bool) {
	st := &sc.st
	words := st.words
	// Whole words first, so that the typo pass below knows which words are
	// already some term: a term is never the misspelling of another.
	for i := range words {
		if requireLeet && st.leetN[words[i].be] == st.leetN[words[i].bs] {
			continue
		}
		if n := int(words[i].be - words[i].bs); n <= m.maxKey {
			words[i].hit = m.exactWindow(sc, i, i, requireLeet)
		}
	}
	for i := range words {
		free := 0
		hit := false
		for j := i; j < len(words); j++ {
			if j > i {
				g := words[j-1].gap
				if g == clsHard {
					break
				}
				if g == clsSpace && (words[j-1].nr > 1 || words[j].nr > 1) {
					// An unpunctuated space between real words can only be
					// a word boundary of the term itself.
					free++
					if free >= m.maxWords {
						break
					}
				}
			}
			hit = hit || words[j].hit
			a, b := words[i].bs, words[j].be
			n := int(b - a)
			if n > m.maxKey && n > m.maxTypoKey+1 {
				break
			}
			if requireLeet && st.leetN[b] == st.leetN[a] {
				continue
			}
			found, stop := hit, false
			if j > i {
				if j-i+1 >= m.maxWords && !m.prefixes.has(st.hash(a, b)) {
					// No term starts like this, so no longer run of
					// split letters can be one either. (Shorter windows
					// skip this check: the exact index's own filter is
					// smaller and so cheaper.)
					stop = true
				} else if n <= m.maxKey {
					found = m.exactWindow(sc, i, j, requireLeet) || found
				}
			}
			if !found && n >= minTypoLen && n <= m.maxTypoKey+1 && j-i < m.maxWords {
				m.typoWindow(sc, i, j)
			}
			if stop {
				break
			}
		}
	}
	if len(m.embedLens) > 0 || len(m.cjkLens) > 0 {
		for i := range words {
			// A word that is a term as a whole is not searched for
			// terms glued inside it.
			if !words[i].hit {
				m.inside(sc, i, requireLeet)
			}
		}
	}
}

func (m *Matcher) exactWindow(sc *scratch, i, j int, leet bool) bool {
	st := &sc.st
	words := st.words
	a, b := words[i].bs, words[j].be
	key := st.buf[a:b]
	if leet {
		if p := bytes.IndexByte(key, '*'); p >= 0 {
			return m.wildWindow(sc, i, j, p)
		}
	}
	found := false
	for e := m.exact.first(st.hash(a, b)); e >= 0; e = m.exact.next[e] {
		id := m.exact.ids[e]
		t := &m.terms[id]
		if t.key != string(key) {
			continue
		}
		found = true
		if t.short && (leet || !spelledOut(words, i, j)) {
			continue
		}
		dis, ok := boundaries(words, i, j, t)
		if !ok {
			continue
		}
		sc.add(id, a, b, dis, 0, "")
	}
	return found
}

// wildWindow is exactWindow for a window with a censored letter at key
// offset p: each letter is tried in its place. Only one wildcard is
// resolved; "N**e" leaves too little of the mark to be sure.
func (m *Matcher) wildWindow(sc *scratch, i, j, p int) bool {
	st := &sc.st
	words := st.words
	a, b := words[i].bs, words[j].be
	key := st.buf[a:b]
	if bytes.IndexByte(key[p+1:], '*') >= 0 || len(key) < minEmbedLen {
		return false
	}
	h := st.hash(a, b)
	found := false
	for c := byte('a'); c <= 'z'; c++ {
		hc := h + (uint64(c)-'*')*pow[len(key)-p-1]
		for e := m.exact.first(hc); e >= 0; e = m.exact.next[e] {
			id := m.exact.ids[e]
			t := &m.terms[id]
			if len(t.key) != len(key) || t.key[p] != c || t.key[:p] != string(key[:p]) || t.key[p+1:] != string(key[p+1:]) {
				continue
			}
			found = true
			if t.short {
				continue
			}
			dis, ok := boundaries(words, i, j, t)
			if !ok {
				continue
			}
			sc.add(id, a, b, dis, 0, "")
		}
	}
	return found
}

// boundaries checks how the text's word boundaries inside words[i..j]
// line up with the term's and returns the structural disguises.
func boundaries(words []word, i, j int, t *term) (Disguise, bool) {
	var dis Disguise
	a := words[i].bs
	var textB uint64
	for k := i + 1; k <= j; k++ {
		p := uint(words[k].bs - a)
		textB |= 1 << p
		if t.bounds&(1<<p) != 0 {
			continue
		}
		if !splitOK(words, k) {
			return 0, false
		}
		dis |= Split
	}
	if t.bounds&^textB != 0 {
		if !t.joined {
			return 0, false
		}
		dis |= Joined
	}
	return dis, true
}

// spelledOut reports whether words[i..j] is one word, or single letters
// joined by punctuation ("L.V.", "Y-S-L"): the only ways a term of one or
// two letters is matched.
func spelledOut(words []word, i, j int) bool {
	for k := i; k < j; k++ {
		if words[k].nr != 1 || words[k+1].nr != 1 || words[k].gap != clsTight {
			return false
		}
	}
	return true
}

// splitOK reports whether the boundary before words[k] may fall inside a
// word of the term: when punctuation splits it ("N.I.K.E", "Ch-anel") or
// both sides are single letters ("G U C C I"). A plain space between
// longer pieces ("Gu cci", "ray of") is taken at its word.
func splitOK(words []word, k int) bool {
	return words[k-1].gap == clsTight || (words[k-1].nr == 1 && words[k].nr == 1)
}

func (m *Matcher) typoWindow(sc *scratch, i, j int) {
	st := &sc.st
	words := st.words
	a, b := words[i].bs, words[j].be
	q := st.buf[a:b]
	for _, c := range q {
		if c >= utf8.RuneSelf {
			return
		}
	}
	// An ordinary word is never a misspelt mark: "channel" is not Chanel.
	// Nor is a run of ordinary words, or anything with a bare number in it.
	all := true
	for k := i; k <= j; k++ {
		w := &words[k]
		if q := st.buf[w.bs:w.be]; q[0] >= '0' && q[0] <= '9' && q[len(q)-1] >= '0' && q[len(q)-1] <= '9' {
			return
		}
		// Words of one or two letters ("kg", "xl") are not what a
		// misspelt mark looks like.
		if w.be-w.bs > 2 && !st.common(k) {
			all = false
		}
	}
	if all || (i < j && isCommonBytes(q)) {
		return
	}
	if i == j && isName(st.hash(a, b), q) {
		return
	}
	// A word read entirely as leet ("8053") is a number that happens to
	// spell a mark: it may match one exactly, never as a typo.
	for k := i; k <= j; k++ {
		w := &words[k]
		if st.leetN[w.be]-st.leetN[w.bs] == w.be-w.bs {
			return
		}
	}

	// Across words apart, the edit must fall in a distinctive word (see
	// editedOK), so a dictionary word or a scrap of one or two letters at
	// either end of the window is intact: it must begin, or end, a mark.
	spaced := false
	if i < j {
		if w := &words[i]; !splitOK(words, i+1) && !st.distinctive(i) && !m.prefixes.has(st.hash(w.bs, w.be)) {
			return
		}
		if w := &words[j]; !splitOK(words, j) && !st.distinctive(j) && !m.suffixes.has(st.hash(w.bs, w.be)) {
			return
		}
		for k := i + 1; k <= j; k++ {
			spaced = spaced || !splitOK(words, k)
		}
	}

	n := int32(len(q))
	try := func(h uint64) {
		for e := m.del.first(h); e >= 0; e = m.del.next[e] {
			id := m.del.ids[e]
			t := &m.terms[id]
			if !osa1(q, t.key) {
				continue
			}
			// Across several words, the edit must fall in a word that
			// could be a misspelt name: "Hydr Flask", but not "stone
			// islands" or "a gucci".
			if spaced && !st.editedOK(i, j, q, t.key) {
				continue
			}
			dis := Typo
			for k := i + 1; k <= j; k++ {
				if words[k-1].gap == clsSpace && t.nwords > 1 {
					continue
				}
				if !splitOK(words, k) {
					dis = 0
					break
				}
				dis |= Split
			}
			if dis == 0 {
				continue
			}
			if j-i+1 < t.nwords {
				if !t.joined {
					continue
				}
				dis |= Joined
			}
			sc.add(id, a, b, dis, 1, st.spaced(i, j, true))
		}
	}
	try(st.hash(a, b))
	for p := int32(0); p < n; p++ {
		if p > 0 && q[p] == q[p-1] {
			continue
		}
		try(st.hash(a, a+p)*pow[n-p-1] + st.hash(a+p+1, b))
	}
}

// inside finds terms within words[i]: CJK terms anywhere (those scripts
// have no spaces), Latin marks glued to a dictionary word, a number or
// another term ("GucciBag", "nike2024", "adidasoriginals").
func (m *Matcher) inside(sc *scratch, i int, leet bool) {
	st := &sc.st
	w := st.words[i]
	a, b := w.bs, w.be
	n := int(b - a)
	if n <= minEmbedLen || (leet && (st.leetN[b] == st.leetN[a] || st.leetN[b]-st.leetN[a] == b-a)) {
		return
	}
	word := st.buf[a:b]
	ascii := true
	for _, c := range word {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	latin := len(m.embedLens) > 0 && !st.common(i)
	if ascii && !latin {
		return
	}
	if !ascii && len(m.cjkLens) > 0 {
		m.insideLens(sc, i, m.cjkLens, leet)
	}
	if latin {
		m.insideLens(sc, i, m.embedLens, leet)
	}
}

func (m *Matcher) insideLens(sc *scratch, i int, lens []int, leet bool) {
	st := &sc.st
	w := st.words[i]
	a, b := w.bs, w.be
	for _, n := range lens {
		if n >= int(b-a) {
			break
		}
		for s := a; s+int32(n) <= b; s++ {
			e := s + int32(n)
			if !utf8.RuneStart(st.buf[s]) || (e < b && !utf8.RuneStart(st.buf[e])) {
				continue
			}
			for x := m.sub.first(st.hash(s, e)); x >= 0; x = m.sub.next[x] {
				id := m.sub.ids[x]
				t := &m.terms[id]
				if t.key != string(st.buf[s:e]) {
					continue
				}
				if leet && st.leetN[e] == st.leetN[s] {
					continue
				}
				if t.cjk {
					sc.add(id, s, e, 0, 0, "")
					continue
				}
				left, right := st.buf[a:s], st.buf[e:b]
				if !m.remainderOK(left, false, 2) || !m.remainderOK(right, true, 2) {
					continue
				}
				dis := Embedded
				if len(left) == 0 && string(right) == "s" {
					dis = 0 // the mark with a plural or possessive s: "Nikes", "Nike's"
				}
				sc.add(id, s, e, dis, 0, "")
			}
		}
	}
}

// remainderOK reports whether what is left of a token around a glued mark
// is something a seller would glue on: a dictionary word, a number,
// another term, a plural s, text in another script, or up to `parts` of
// those run together ("bagwomen").
func (m *Matcher) remainderOK(r []byte, right bool, parts int) bool {
	if len(r) == 0 {
		return true
	}
	digits, nonASCII := true, true
	for _, c := range r {
		if c < '0' || c > '9' {
			digits = false
		}
		if c < utf8.RuneSelf {
			nonASCII = false
		}
	}
	if digits || nonASCII {
		return true
	}
	if right && (string(r) == "s" || string(r) == "es") {
		return true
	}
	if len(r) >= 3 && isCommonBytes(r) {
		return true
	}
	for e := m.exact.first(hashBytes(r)); e >= 0; e = m.exact.next[e] {
		if t := &m.terms[m.exact.ids[e]]; t.key == string(r) && !t.short {
			return true
		}
	}
	if parts > 1 && len(r) >= 6 && len(r) <= 2*MaxTermLen {
		for p := 3; p <= len(r)-3; p++ {
			if m.remainderOK(r[:p], false, 1) && m.remainderOK(r[p:], right, parts-1) {
				return true
			}
		}
	}
	return false
}

func (m *Matcher) findLiterals(sc *scratch) {
	sc.buildLiteral()
	buf := sc.lit
	for _, id := range m.literals {
		t := &m.terms[id]
		lit := t.literalB
		from := 0
		for from < len(buf) {
			k := bytes.Index(buf[from:], lit)
			if k < 0 {
				break
			}
			s := from + k
			e := s + len(lit)
			from = s + 1
			if isAlnum(lit[0]) && s > 0 && isAlnum(buf[s-1]) {
				continue
			}
			if isAlnum(lit[len(lit)-1]) && e < len(buf) && isAlnum(buf[e]) {
				continue
			}
			var dis Disguise
			for _, d := range sc.litDis[s:e] {
				dis |= d
			}
			sc.raw = append(sc.raw, rawMatch{term: id, start: sc.litOff[s], end: sc.litEnd[e-1], dis: dis})
		}
	}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= utf8.RuneSelf
}

// osa1 reports whether a and b are exactly one edit apart: an insertion,
// deletion, substitution or swap of adjacent letters.
func osa1(a []byte, b string) bool {
	la, lb := len(a), len(b)
	switch la - lb {
	case 0:
		i := 0
		for i < la && a[i] == b[i] {
			i++
		}
		if i == la {
			return false
		}
		if string(a[i+1:]) == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && string(a[i+2:]) == b[i+2:]
	case 1:
		i := 0
		for i < lb && a[i] == b[i] {
			i++
		}
		return string(a[i+1:]) == b[i:]
	case -1:
		i := 0
		for i < la && a[i] == b[i] {
			i++
		}
		return string(a[i:]) == b[i+1:]
	}
	return false
}
