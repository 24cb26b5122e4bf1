package textmatch

import (
	"math/bits"
	"unicode/utf8"
)

// unit is one rune of the input with its folding.
type unit struct {
	start, end int32 // byte span in the original text
	f          *folded
}

// appendUnits folds every rune of s. Invalid bytes become hard breaks so
// offsets stay exact and nothing is matched across them.
func appendUnits(dst []unit, s string) []unit {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, unit{int32(i), int32(i + 1), &asciiFold[c]})
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		f := &badRune
		if r != utf8.RuneError {
			f = foldRune(r)
		}
		dst = append(dst, unit{int32(i), int32(i + n), f})
		i += n
	}
	return dst
}

var badRune = folded{cls: clsHard}

// word is a maximal run of letters and digits in a stream.
type word struct {
	bs, be int32 // byte range in stream.buf
	nr     int32 // number of input runes that make it up
	gap    class // what separates it from the next word: clsHard, clsSpace or clsTight
	common int8  // cached IsCommonWord: 0 unknown, 1 yes, 2 no
	hit    bool  // the word on its own is exactly some term
}

// stream is the text folded one way (plain, or with leet readings), as a
// byte string with separators removed, so any run of consecutive words is
// a substring of buf and hashes in O(1) from the prefix hashes.
type stream struct {
	buf   []byte
	info  []byteInfo // per byte of buf
	leetN []int32    // leetN[i]: bytes before i that come from a leet reading
	ph    []uint64   // prefix hashes: ph[i] hashes buf[:i]
	words []word
}

// byteInfo says where a byte of a stream came from.
type byteInfo struct {
	off, end int32 // byte span of the original rune
	dis      Disguise
}

type mode uint8

const (
	modePlain   mode = iota
	modeLeet         // digits and symbols inside letter runs read as letters; 1 and | as i
	modeLeetAlt      // the same with 1 and | as l
)

func (st *stream) build(units []unit, md mode, role []bool) {
	st.buf, st.info = st.buf[:0], st.info[:0]
	st.leetN, st.ph, st.words = st.leetN[:0], st.ph[:0], st.words[:0]
	inWord := false
	gap, gapLen := clsHard, 0
	var pend Disguise
	var cur word
	closeWord := func() {
		cur.be = int32(len(st.buf))
		st.words = append(st.words, cur)
		inWord = false
		gap, gapLen = clsTight, 0
		pend = 0
	}
	st.leetN = append(st.leetN, 0)
	st.ph = append(st.ph, 0)
	nleet := int32(0)
	for i, u := range units {
		f := u.f
		out, c, dis := f.out, f.cls, f.dis
		isLeet := md != modePlain && role[i]
		if isLeet {
			out, c = f.leet, clsLetter
			if md == modeLeetAlt && f.alt != "" {
				out = f.alt
			}
			if f.ldis != 0 {
				dis |= f.ldis
			} else {
				dis |= Leet
			}
		}
		switch c {
		case clsLetter, clsDigit:
			if !inWord {
				if n := len(st.words); n > 0 {
					if gapLen > 3 {
						gap = clsHard
					}
					st.words[n-1].gap = gap
				}
				cur = word{bs: int32(len(st.buf))}
				inWord = true
			}
			cur.nr++
			for k := 0; k < len(out); k++ {
				b := out[k]
				st.buf = append(st.buf, b)
				st.info = append(st.info, byteInfo{u.start, u.end, dis | pend})
				pend = 0
				if isLeet {
					nleet++
				}
				st.leetN = append(st.leetN, nleet)
				st.ph = append(st.ph, st.ph[len(st.ph)-1]*hashBase+uint64(b)+1)
			}
			continue
		case clsIgnore:
			if inWord {
				pend |= dis
			}
			continue
		case clsApos:
			if inWord && i+1 < len(units) && wordLike(units[i+1], md, role, i+1) {
				continue
			}
			c = clsHard
		}
		// A separator.
		if inWord {
			closeWord()
			gap, gapLen = c, 1
			continue
		}
		gapLen++
		switch {
		case gap == clsHard || c == clsHard:
			gap = clsHard
		case gap == clsTight || c == clsTight:
			gap = clsTight
		default:
			gap = clsSpace
		}
	}
	if inWord {
		closeWord()
	}
	if n := len(st.words); n > 0 {
		st.words[n-1].gap = clsHard
	}
}

func wordLike(u unit, md mode, role []bool, i int) bool {
	if md != modePlain && role[i] {
		return true
	}
	return u.f.cls == clsLetter || u.f.cls == clsDigit
}

// spaced returns the bytes of words[i..j] with a space between words; when
// splits is set, letters split by punctuation or single-letter spacing
// are written together ("n.i.k.e" as "nike").
func (st *stream) spaced(i, j int, splits bool) string {
	if i > j {
		return ""
	}
	n := int(st.words[j].be-st.words[i].bs) + j - i
	b := make([]byte, 0, n)
	for k := i; k <= j; k++ {
		if k > i && !(splits && splitOK(st.words, k)) {
			b = append(b, ' ')
		}
		b = append(b, st.buf[st.words[k].bs:st.words[k].be]...)
	}
	return string(b)
}

// common reports (and caches) whether words[k] is a dictionary word.
func (st *stream) common(k int) bool {
	w := &st.words[k]
	if w.common == 0 {
		w.common = 2
		// No dictionary word is anywhere near MaxTermLen long, and pow
		// only reaches a little past it.
		if w.be-w.bs <= MaxTermLen && isCommonHash(st.hash(w.bs, w.be), st.buf[w.bs:w.be]) {
			w.common = 1
		}
	}
	return w.common == 1
}

// ordinary reports whether every word is a dictionary word: see
// IsOrdinaryMark.
func (st *stream) ordinary() bool {
	for k := range st.words {
		if !st.common(k) {
			return false
		}
	}
	return len(st.words) > 0
}

// distinctive reports whether words[k] could be a name rather than
// filler: three letters or more and not in the dictionary.
func (st *stream) distinctive(k int) bool {
	w := &st.words[k]
	return w.be-w.bs > 2 && !st.common(k)
}

// editedOK reports whether the one edit that turns q, the letters of
// words[i..j], into key falls in a word that is not a dictionary word: an
// edit at a word boundary may belong to either word. Unless the rest of
// the window holds a distinctive word of the mark ("Kate Sade"), the
// edited word must not be a known name either: "Stone Isla" is not Stone
// Island.
func (st *stream) editedOK(i, j int, q []byte, key string) bool {
	pre := 0
	for pre < len(q) && pre < len(key) && q[pre] == key[pre] {
		pre++
	}
	suf := 0
	for suf < len(q)-pre && suf < len(key)-pre && q[len(q)-1-suf] == key[len(key)-1-suf] {
		suf++
	}
	// The edit spans q[lo:hi]; empty for a deletion from q.
	base := st.words[i].bs
	lo, hi := base+int32(pre), base+int32(len(q)-suf)
	edited := func(w *word) bool {
		if lo == hi {
			return w.bs <= lo && w.be >= lo
		}
		return w.bs < hi && w.be > lo
	}
	anchored := false
	for k := i; k <= j; k++ {
		if !edited(&st.words[k]) && st.distinctive(k) {
			anchored = true
		}
	}
	for k := i; k <= j; k++ {
		w := &st.words[k]
		if !edited(w) || !st.distinctive(k) {
			continue
		}
		if anchored || !isName(st.hash(w.bs, w.be), st.buf[w.bs:w.be]) {
			return true
		}
	}
	return false
}

// markLeet decides which digits and symbols read as letters: those
// inside a run of letters ("N1ke", "L0uis", "Adida$"), and every one in a
// token of letters, digits and leet symbols that has a letter or is four
// characters long ("Pr4d@", "0M394", "8053"), so "Air Max 90", "size 42"
// and "$50" stay as they are. It reports whether any do, and whether any
// have two readings.
func markLeet(text string, units []unit, rolep *[]bool) (any, ambiguous bool) {
	role := (*rolep)[:0]
	for range units {
		role = append(role, false)
	}
	*rolep = role
	letter := func(i int) bool {
		return i >= 0 && i < len(units) && units[i].f.cls == clsLetter
	}
	ascii := func(i int) byte {
		if i < 0 || i >= len(units) || units[i].end-units[i].start != 1 {
			return 0
		}
		return text[units[i].start]
	}
	wordish := func(i int) bool {
		if i < 0 || i >= len(units) {
			return false
		}
		c := units[i].f.cls
		return c == clsLetter || c == clsDigit || c == clsIgnore
	}
	isUpper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	isLower := func(c byte) bool { return c >= 'a' && c <= 'z' }
	for i := 0; i < len(units); i++ {
		f := units[i].f
		switch c := ascii(i); {
		case c == 'I' && isLower(ascii(i-1)):
			units[i].f, role[i] = &capIAsL, true
			any, ambiguous = true, true
			continue
		case c == 'l' && (isUpper(ascii(i-1)) || i == 0 || !letter(i-1)) && isUpper(ascii(i+1)) && (isUpper(ascii(i-1)) || isUpper(ascii(i+2))):
			units[i].f, role[i] = &lowLAsCapI, true
			any, ambiguous = true, true
			continue
		}
		if f.leet == "" {
			continue
		}
		if f.cls == clsDigit {
			// A short run of foldable digits touching a letter.
			j := i
			ok := true
			for j < len(units) && units[j].f.cls == clsDigit {
				if units[j].f.leet == "" {
					ok = false
				}
				j++
			}
			// Or a lone digit among spelled-out letters: "N.1.K.E".
			single := func(k int) bool {
				return letter(k) && !wordish(k-1) && !wordish(k+1)
			}
			spelled := j-i == 1 && !wordish(i-1) && !wordish(j) && (single(i-2) || single(j+1))
			if ok && j-i <= 2 && (letter(i-1) || letter(j) || spelled) {
				for k := i; k < j; k++ {
					role[k] = true
					any = true
					if units[k].f.alt != "" {
						ambiguous = true
					}
				}
			}
			i = j - 1
			continue
		}
		// A symbol: between letters, or a money sign opening a word.
		prevWord := i > 0 && (units[i-1].f.cls == clsLetter || role[i-1])
		nextLetter := letter(i+1) || (i+1 < len(units) && units[i+1].f.cls == clsDigit && units[i+1].f.leet != "" && letter(i+2))
		money := (f.leet == "s" || f.leet == "e" || f.leet == "c") && f != &asciiFold['(']
		if f.leet == "*" {
			nextLetter = letter(i + 1) // a wildcard stands for a letter, between letters
		}
		startOK := money && !prevWord && letter(i+1) && letter(i+2)
		endOK := money && letter(i-1) && letter(i-2) && !nextLetter && !(i+1 < len(units) && units[i+1].f.cls == clsDigit)
		if (prevWord && nextLetter) || startOK || endOK {
			role[i] = true
			any = true
			if f.alt != "" {
				ambiguous = true
			}
		}
	}
	// Whole tokens: a run of letters, digits and leet symbols with a
	// letter in it, or of four characters or more, reads as leet from edge
	// to edge ("Pr4d@", "(art!er", "0M394", "8053"). A digit with no
	// letter reading (2, 6) marks a number or a model code, and a run of
	// regional indicators of three or more spells a word, not a flag.
	for i := 0; i < len(units); {
		if !leetToken(units[i].f) {
			i++
			continue
		}
		j := i
		letters, leets, n, flags := 0, 0, 0, 0
		ok := true
		for ; j < len(units) && leetToken(units[j].f); j++ {
			f := units[j].f
			switch {
			case f.cls == clsIgnore:
				continue
			case f.cls == clsLetter:
				letters++
			case f.cls == clsDigit && f.leet == "":
				ok = false
			case f.ldis == Confusable && f.cls == clsTight:
				flags++
				leets++
			default:
				leets++
			}
			n++
		}
		if flags > 0 && (flags != n || n < 3) {
			ok = false
		}
		if ok && leets > 0 && (letters > 0 || n >= 4) {
			k0 := i
			if units[i].f == &asciiFold['('] && j < len(units) && units[j].f == &asciiFold[')'] {
				k0++ // "(anon)": a bracket, not a C
			}
			for k := k0; k < j; k++ {
				f := units[k].f
				if f.leet == "" || f.cls == clsLetter || role[k] {
					continue
				}
				role[k] = true
				any = true
				if f.alt != "" {
					ambiguous = true
				}
			}
		}
		i = j
	}
	return any, ambiguous
}

// leetToken reports whether f can be part of a word read as leet: a
// letter, a digit, an invisible character or a symbol with a letter
// reading, other than the wildcard.
func leetToken(f *folded) bool {
	switch f.cls {
	case clsLetter, clsDigit, clsIgnore:
		return true
	}
	return f.leet != "" && f.leet != "*"
}

// buildLiteral folds text for terms matched as written: letters and
// digits as in the plain stream, symbols kept, whitespace collapsed.
func (sc *scratch) buildLiteral() {
	sc.lit, sc.litOff, sc.litEnd, sc.litDis = sc.lit[:0], sc.litOff[:0], sc.litEnd[:0], sc.litDis[:0]
	space := false
	for _, u := range sc.units {
		f := u.f
		if f.cls == clsIgnore {
			continue
		}
		if f.lit == " " {
			space = true
			continue
		}
		if f.lit == "" {
			continue
		}
		if space && len(sc.lit) > 0 {
			sc.lit = append(sc.lit, ' ')
			sc.litOff = append(sc.litOff, u.start)
			sc.litEnd = append(sc.litEnd, u.start)
			sc.litDis = append(sc.litDis, 0)
		}
		space = false
		for k := 0; k < len(f.lit); k++ {
			sc.lit = append(sc.lit, f.lit[k])
			sc.litOff = append(sc.litOff, u.start)
			sc.litEnd = append(sc.litEnd, u.end)
			sc.litDis = append(sc.litDis, f.dis)
		}
	}
}

// literalForm is the literal fold of a term.
func literalForm(units []unit, dst []byte) []byte {
	space := false
	for _, u := range units {
		f := u.f
		if f.cls == clsIgnore {
			continue
		}
		if f.lit == " " {
			space = true
			continue
		}
		if f.lit == "" {
			continue
		}
		if space && len(dst) > 0 {
			dst = append(dst, ' ')
		}
		space = false
		dst = append(dst, f.lit...)
	}
	return dst
}

type scratch struct {
	units  []unit
	role   []bool
	st     stream
	raw    []rawMatch
	lit    []byte
	litOff []int32
	litEnd []int32
	litDis []Disguise
}

func newScratch() *scratch { return &scratch{} }

func (sc *scratch) add(id int32, a, b int32, dis Disguise, edits int8, norm string) {
	st := &sc.st
	for _, in := range st.info[a:b] {
		dis |= in.dis
	}
	sc.raw = append(sc.raw, rawMatch{term: id, start: st.info[a].off, end: st.info[b-1].end, dis: dis, edits: edits, norm: norm})
}

// Polynomial hashing modulo 2^64. Collisions are possible, so every hit is
// verified against the term's bytes; the hash only has to be fast and
// spread well.
const hashBase = 0x100000001b3*2 + 1

var pow = func() []uint64 {
	p := make([]uint64, 4*MaxTermLen+4)
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * hashBase
	}
	return p
}()

func (st *stream) hash(a, b int32) uint64 {
	return st.ph[b] - st.ph[a]*pow[b-a]
}

func hashBytes(s []byte) uint64 {
	var h uint64
	for _, c := range s {
		h = h*hashBase + uint64(c) + 1
	}
	return h
}

// deletionHash hashes key without its byte at p.
func deletionHash(key []byte, p int) uint64 {
	var h uint64
	for i, c := range key {
		if i != p {
			h = h*hashBase + uint64(c) + 1
		}
	}
	return h
}

// index maps a hash to the terms with that hash: an open-addressing table
// of hashes, each heading a chain of entries, behind a one-bit-per-slot
// filter. Most lookups miss, and the filter, small enough to stay in
// cache, answers those without touching the table.
type index struct {
	pend  []hashID // added, not yet in the table
	slots []slot
	ids   []int32 // entry -> term
	next  []int32 // entry -> next entry with the same hash, or -1
	mask  uint64
	bloom []uint64
	shift uint
}

type hashID struct {
	h  uint64
	id int32
}

type slot struct {
	h    uint64
	head int32 // first entry + 1; 0 marks an empty slot
}

func (x *index) init(n int) {
	x.pend = make([]hashID, 0, n)
}

func (x *index) add(h uint64, id int32) {
	x.pend = append(x.pend, hashID{h, id})
}

// finish builds the table. The pairs are first bucketed by their home
// slot so that the inserts walk the table in order: inserting at random
// into a table of tens of megabytes costs a cache and TLB miss each.
func (x *index) finish() {
	n := len(x.pend)
	size, logSize := 16, uint(4)
	for size < 2*n {
		size *= 2
		logSize++
	}
	x.slots = make([]slot, size)
	x.mask = uint64(size - 1)
	x.ids = make([]int32, 0, n)
	x.next = make([]int32, 0, n)
	const bucketBits = 12
	shiftB := uint(0)
	if logSize > bucketBits {
		shiftB = logSize - bucketBits
	}
	var count [1<<bucketBits + 1]int
	for _, p := range x.pend {
		count[(mix(p.h)&x.mask)>>shiftB+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	sorted := make([]hashID, n)
	for _, p := range x.pend {
		b := (mix(p.h) & x.mask) >> shiftB
		sorted[count[b]] = p
		count[b]++
	}
	x.pend = nil
	for _, p := range sorted {
		x.insert(p.h, p.id)
	}
	// Eight bits per key, two of them set in the same word: one memory
	// access per lookup and about 5% false positives.
	words := 16
	for words*64 < 8*n && words < 1<<22 {
		words *= 2
	}
	x.bloom = make([]uint64, words)
	x.shift = uint(64 - bits.TrailingZeros(uint(words)))
	for _, sl := range x.slots {
		if sl.head != 0 {
			w, m := x.bloomBits(mix(sl.h))
			x.bloom[w] |= m
		}
	}
}

func (x *index) bloomBits(mh uint64) (uint64, uint64) {
	return mh >> x.shift, 1<<(mh&63) | 1<<((mh>>6)&63)
}

func (x *index) insert(h uint64, id int32) {
	for k := mix(h) & x.mask; ; k = (k + 1) & x.mask {
		sl := &x.slots[k]
		if sl.head == 0 {
			sl.h = h
		} else if sl.h != h {
			continue
		} else {
			// Keep one entry per term and hash: a key can produce the
			// same deletion variant twice ("gucci" without either c).
			for e := sl.head - 1; e >= 0; e = x.next[e] {
				if x.ids[e] == id {
					return
				}
			}
		}
		x.ids = append(x.ids, id)
		x.next = append(x.next, sl.head-1)
		sl.head = int32(len(x.ids))
		return
	}
}

func mix(h uint64) uint64 {
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return h
}

// first returns the first entry filed under h, or -1; x.next[e] chains
// on. A hash can collide, so the caller verifies each term.
func (x *index) first(h uint64) int32 {
	if x.bloom == nil {
		return -1
	}
	mh := mix(h)
	if w, m := x.bloomBits(mh); x.bloom[w]&m != m {
		return -1
	}
	for k := mh & x.mask; ; k = (k + 1) & x.mask {
		sl := &x.slots[k]
		if sl.head == 0 {
			return -1
		}
		if sl.h == h {
			return sl.head - 1
		}
	}
}

// bitFilter is a Bloom filter with two bits per key in one word: a false
// "maybe" costs a wasted lookup, never a missed match.
type bitFilter struct {
	bits  []uint64
	shift uint
}

func newBitFilter(hs []uint64) bitFilter {
	words := 16
	for words*64 < 8*len(hs) && words < 1<<22 {
		words *= 2
	}
	f := bitFilter{bits: make([]uint64, words), shift: uint(64 - bits.TrailingZeros(uint(words)))}
	for _, h := range hs {
		w, m := f.pos(h)
		f.bits[w] |= m
	}
	return f
}

func (f *bitFilter) pos(h uint64) (uint64, uint64) {
	mh := mix(h)
	return mh >> f.shift, 1<<(mh&63) | 1<<((mh>>6)&63)
}

func (f *bitFilter) has(h uint64) bool {
	if f.bits == nil {
		return false
	}
	w, m := f.pos(h)
	return f.bits[w]&m == m
}
