package textmatch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"sync"
)

// words.txt.gz holds the lowercase ASCII entries of at least three letters
// from SCOWL's american-english list (see NOTICE-words.txt). Lowercase
// entries are ordinary vocabulary; proper nouns, brand names among them,
// are capitalised in SCOWL and so left out.
//
//go:embed words.txt.gz
var wordsGz []byte

// names.txt.gz holds SCOWL's capitalised entries (place and personal names,
// some brands), lowercased. A listing word that is a known name is not
// taken for a one-letter typo of a mark: "Prado" is a museum and a car,
// not Prada.
//
//go:embed names.txt.gz
var namesGz []byte

// shortWords are the one- and two-letter words the list leaves out; they
// matter for marks like "A Bathing Ape" and for the remainder of joined
// tokens.
var shortWords = []string{
	"a", "i", "am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it",
	"me", "my", "no", "of", "oh", "ok", "on", "or", "so", "to", "up", "us", "we",
}

var (
	wordsOnce sync.Once
	wordList  []string
	wordIndex index // polynomial hash of a word -> its place in wordList
)

var (
	namesOnce sync.Once
	nameList  []string
	nameIndex index
)

func loadWords() {
	wordList = readList(wordsGz)
	wordList = append(wordList, shortWords...)
	// Keyed by the same hash Find already has for every word, so the
	// check costs no hashing of its own.
	buildListIndex(&wordIndex, wordList)
}

func loadNames() {
	nameList = readList(namesGz)
	buildListIndex(&nameIndex, nameList)
}

func readList(gz []byte) []string {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		panic("textmatch: embedded word list is corrupt: " + err.Error())
	}
	list := make([]string, 0, 64000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		list = append(list, sc.Text())
	}
	if err := sc.Err(); err != nil {
		panic("textmatch: embedded word list is corrupt: " + err.Error())
	}
	return list
}

func buildListIndex(x *index, list []string) {
	x.init(len(list))
	for i, w := range list {
		x.add(hashBytes([]byte(w)), int32(i))
	}
	x.finish()
}

// IsCommonWord reports whether w, already folded (see Normalize), is an
// ordinary English word.
func IsCommonWord(w string) bool {
	return isCommonBytes([]byte(w))
}

func isCommonBytes(w []byte) bool {
	return isCommonHash(hashBytes(w), w)
}

// isCommonHash is isCommonBytes for a word whose hash is known.
func isCommonHash(h uint64, w []byte) bool {
	wordsOnce.Do(loadWords)
	for e := wordIndex.first(h); e >= 0; e = wordIndex.next[e] {
		if wordList[wordIndex.ids[e]] == string(w) {
			return true
		}
	}
	return false
}

// isName reports whether w, folded, is a known proper noun.
func isName(h uint64, w []byte) bool {
	namesOnce.Do(loadNames)
	for e := nameIndex.first(h); e >= 0; e = nameIndex.next[e] {
		if nameList[nameIndex.ids[e]] == string(w) {
			return true
		}
	}
	return false
}

// IsOrdinaryMark reports whether every word of the normalized mark is an
// ordinary English word ("Apple", "Coach", "Off-White"). Such marks say
// little on their own; the caller decides how much context they need.
func IsOrdinaryMark(text string) bool {
	var st stream
	st.build(appendUnits(nil, text), modePlain, nil)
	return st.ordinary()
}
