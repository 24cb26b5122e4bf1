package screen

import (
	_ "embed"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"go.yaml.in/yaml/v3"

	"github.com/hallmark-dev/hallmark/screen/textmatch"
)

//go:embed lexicon.yaml
var defaultLexicon []byte

// Lexicon groups, as keys of the lexicon file.
const (
	lexReplicaStrong  = "replica_strong"
	lexReplicaWeak    = "replica_weak"
	lexReplicaAlone   = "replica_standalone"
	lexNominative     = "nominative"
	lexNominativeWeak = "nominative_weak"
	lexAccessory      = "accessory"
	lexResale         = "resale"
	lexDisclaimer     = "disclaimer"
	lexBrandContext   = "brand_context"
	lexNegation       = "negation"
	lexPackaging      = "packaging"
	lexDesign         = "design"
	lexDupeAfter      = "dupe_after"
	lexCueException   = "cue_exception"
	lexKeywords       = "keywords"
	lexExceptAfter    = "cue_exception_after"
	lexExceptBefore   = "cue_exception_before"
	lexDupeBefore     = "dupe_before"
	// lexCategory marks category words; their phrase is the group name.
	lexCategory = "category"
)

var lexGroups = []string{lexReplicaStrong, lexReplicaWeak, lexReplicaAlone, lexNominative, lexNominativeWeak,
	lexAccessory, lexResale, lexDisclaimer, lexBrandContext, lexNegation, lexPackaging, lexDesign, lexDupeAfter, lexCueException, lexKeywords, lexExceptAfter, lexExceptBefore, lexDupeBefore}

// Lexicon is the compiled set of evidence phrases and category groups.
type Lexicon struct {
	matcher *textmatch.Matcher
	group   []string // per matcher term: its lexicon group
	phrase  []string // per matcher term: the phrase as written
	// categoryGroup maps a normalized category word or phrase to its group.
	categoryGroup map[string]string
	// phrases holds the normalized evidence phrases.
	phrases map[string]bool
	// categoryCache remembers the groups of listing category names, which
	// repeat from listing to listing.
	categoryCache sync.Map // string -> []string
	cached        atomic.Int64
	// topic holds the category groups no brand makes goods in (books, art).
	topic map[string]bool
}

// DefaultLexicon returns the embedded lexicon.
func DefaultLexicon() *Lexicon {
	l, err := ParseLexicon("lexicon.yaml", defaultLexicon)
	if err != nil {
		panic("screen: embedded lexicon: " + err.Error())
	}
	return l
}

// LoadLexicon reads a lexicon file that replaces the default.
func LoadLexicon(path string) (*Lexicon, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseLexicon(path, b)
}

// ParseLexicon compiles a lexicon from YAML.
func ParseLexicon(name string, src []byte) (*Lexicon, error) {
	var doc map[string]yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	known := map[string]bool{}
	for _, g := range lexGroups {
		known[g] = true
	}
	raw := map[string][]string{}
	var categories map[string][]string
	var topics []string
	for k, node := range doc {
		if k == "topic_categories" {
			var list []string
			if err := node.Decode(&list); err != nil {
				return nil, fmt.Errorf("%s: line %d: topic_categories: want a list of category groups: %w", name, node.Line, err)
			}
			topics = list
			continue
		}
		if k == "categories" {
			if err := node.Decode(&categories); err != nil {
				return nil, fmt.Errorf("%s: line %d: categories: want a mapping of group to words: %w", name, node.Line, err)
			}
			continue
		}
		if !known[k] {
			return nil, fmt.Errorf("%s: line %d: unknown lexicon group %q (want one of %s, categories)", name, node.Line, k, strings.Join(lexGroups, ", "))
		}
		var list []string
		if err := node.Decode(&list); err != nil {
			return nil, fmt.Errorf("%s: line %d: %s: want a list of phrases: %w", name, node.Line, k, err)
		}
		raw[k] = list
	}
	l := &Lexicon{categoryGroup: map[string]string{}, topic: map[string]bool{}, phrases: map[string]bool{}}
	var terms []textmatch.Term
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, g := range keys {
		for _, p := range raw[g] {
			if strings.TrimSpace(p) == "" {
				return nil, fmt.Errorf("%s: %s: empty phrase", name, g)
			}
			terms = append(terms, textmatch.Term{Text: p})
			l.group = append(l.group, g)
			l.phrase = append(l.phrase, p)
			l.phrases[textmatch.Normalize(p)] = true
		}
	}
	// Category words go into the same matcher, so one pass over a title
	// finds both evidence phrases and category words.
	groups := make([]string, 0, len(categories))
	for g := range categories {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		for _, w := range append([]string{g}, categories[g]...) {
			l.categoryGroup[textmatch.Normalize(w)] = g
			terms = append(terms, textmatch.Term{Text: w})
			l.group = append(l.group, lexCategory)
			l.phrase = append(l.phrase, g)
		}
	}
	for _, t := range topics {
		if _, ok := categories[t]; !ok {
			return nil, fmt.Errorf("%s: topic_categories: %q is not a category group", name, t)
		}
		l.topic[t] = true
	}
	m, err := textmatch.NewMatcher(terms)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	l.matcher = m
	return l, nil
}

// accessoryCategory reports whether a listing category names accessories of
// something ("watch accessories", "Cell Phones & Accessories > Cases", "shoe
// care"). A bare "accessories", or one beside fashion groups ("Clothing,
// Shoes & Accessories", "bag accessories"), is fashion accessories (belts,
// scarves, straps), which brands make themselves.
func (l *Lexicon) accessoryCategory(category string) bool {
	if category == "" {
		return false
	}
	accessory := false
	for _, m := range l.matcher.Find(category, nil) {
		switch l.group[m.Term] {
		case lexAccessory:
			if words(category) > words(m.Original) {
				accessory = true
			}
		case lexCategory:
			if fashionGroups[l.phrase[m.Term]] {
				return false
			}
		}
	}
	return accessory
}

// fashionGroups are the category groups whose accessories the brands
// themselves sell.
var fashionGroups = map[string]bool{"apparel": true, "shoes": true, "bags": true, "jewelry": true}

// isPhrase reports whether a normalized text is one of the lexicon's
// evidence phrases.
func (l *Lexicon) isPhrase(norm string) bool { return l.phrases[norm] }

// maxCachedCategories bounds the category cache; past it, names are
// resolved each time.
const maxCachedCategories = 10000

// categoryGroups adds the category groups that a category name falls in.
func (l *Lexicon) categoryGroups(text string, dst map[string]bool) {
	if text == "" {
		return
	}
	if v, ok := l.categoryCache.Load(text); ok {
		for _, g := range v.([]string) {
			dst[g] = true
		}
		return
	}
	var groups []string
	// A category that names a group outright ("home decor") belongs to
	// that group alone, not to every group its words touch ("home").
	if g, ok := l.categoryGroup[textmatch.Normalize(text)]; ok {
		groups = []string{g}
	} else {
		groups = l.matchedGroups(l.matcher.Find(text, nil))
	}
	if l.cached.Add(1) <= maxCachedCategories {
		l.categoryCache.Store(text, groups)
	}
	for _, g := range groups {
		dst[g] = true
	}
}

// matchedGroups lists the category groups among lexicon matches.
func (l *Lexicon) matchedGroups(ms []textmatch.Match) []string {
	var groups []string
	for _, m := range ms {
		if l.group[m.Term] == lexCategory {
			groups = append(groups, l.phrase[m.Term])
		}
	}
	return groups
}
