package screen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultLexiconParses(t *testing.T) {
	l := DefaultLexicon()
	if len(l.group) < 100 || len(l.topic) == 0 {
		t.Fatalf("lexicon too small: %d phrases, %d topic groups", len(l.group), len(l.topic))
	}
}

func TestParseLexiconErrors(t *testing.T) {
	for name, c := range map[string]struct{ src, want string }{
		"unknown group": {"replica_strong: [fake]\nreplika: [x]\n", `line 2: unknown lexicon group "replika"`},
		"not a list":    {"replica_strong: fake\n", "want a list of phrases"},
		"empty phrase":  {"replica_strong: ['  ']\n", "empty phrase"},
		"bad topic":     {"categories: {bags: [bag]}\ntopic_categories: [books]\n", `"books" is not a category group`},
		"bad yaml":      {"replica_strong: [", "lexicon.yaml"},
	} {
		_, err := ParseLexicon("lexicon.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", name, err, c.want)
		}
	}
}

func TestLoadRates(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"EUR": 0.9, "JPY": 150}`), 0o644)
	r, err := LoadRates(good)
	if err != nil || r["USD"] != 1 {
		t.Fatalf("rates %v err %v", r, err)
	}
	if v, ok := r.Convert(90, "EUR", "USD"); !ok || v < 99.9 || v > 100.1 {
		t.Fatalf("convert = %v %v", v, ok)
	}
	for name, src := range map[string]string{"currency": `{"XYZ": 1}`, "negative": `{"EUR": -1}`, "zero": `{"EUR": 0}`, "json": `{`} {
		p := filepath.Join(dir, name+".json")
		os.WriteFile(p, []byte(src), 0o644)
		if _, err := LoadRates(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParseLexicon(f *testing.F) {
	f.Add(defaultLexicon)
	f.Add([]byte("replica_strong: [fake, '1:1']\ncategories: {bags: [bag]}\ntopic_categories: [bags]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		l, err := ParseLexicon("fuzz", src)
		if err != nil {
			return
		}
		// A lexicon that parses must be usable.
		l.matcher.Find("Gucci replica bag 1:1 for iPhone", nil)
		l.categoryGroups("bags", map[string]bool{})
	})
}
