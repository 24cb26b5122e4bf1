package textmatch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

// words.txt.gz holds the lowercase ASCII entries of at least three letters
// from SCOWL's american-english list (see NOTICE-words.txt). Lowercase
// entries are ordinary vocabulary; proper nouns, brand names among them,
// are capitalised in SCOWL and so left out.
//
//go:embed words.txt.gz
var wordsGz []byte

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

func loadWords() {
	zr, err := gzip.NewReader(bytes.NewReader(wordsGz))
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
	list = append(list, shortWords...)
	// Keyed by the same hash Find already has for every word, so the
	// check costs no hashing of its own.
	wordIndex.init(len(list))
	for i, w := range list {
		wordIndex.add(hashBytes([]byte(w)), int32(i))
	}
	wordIndex.finish()
	wordList = list
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

// IsOrdinaryMark reports whether every word of the normalized mark is an
// ordinary English word ("Apple", "Coach", "Off-White"). Such marks say
// little on their own; the caller decides how much context they need.
func IsOrdinaryMark(text string) bool {
	n := Normalize(text)
	if n == "" {
		return false
	}
	for _, w := range strings.Fields(n) {
		if !IsCommonWord(w) {
			return false
		}
	}
	return true
}
