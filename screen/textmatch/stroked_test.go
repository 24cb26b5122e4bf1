package textmatch_test

import (
	"testing"

	"github.com/hallmark-dev/hallmark/screen/textmatch"
)

// Letters with a stroke do not decompose, so accent stripping alone leaves
// "Canøn" unmatched.
func TestStrokedLetters(t *testing.T) {
	m, err := textmatch.NewMatcher([]textmatch.Term{{Text: "Canon", Typos: true, Joined: true}, {Text: "Casio", Typos: true, Joined: true},
		{Text: "Hydro Flask", Typos: true, Joined: true}, {Text: "Bosch", Typos: true, Joined: true}})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{"Canøn camera": "canon", "Cašiø watch": "casio",
		"HÝD\u00adRØ FL\u00adA\u00adSK bottle": "hydro flask", "Bøsçh drill": "bosch"} {
		ms := m.Find(text, nil)
		if len(ms) != 1 || ms[0].Normalized != want || ms[0].Disguise&textmatch.Confusable == 0 {
			t.Errorf("%q: %+v, want %s as confusable", text, ms, want)
		}
	}
	if got := textmatch.Normalize("Smørrebrød Łódź"); got != "smorrebrod lodz" {
		t.Errorf("Normalize = %q", got)
	}
}
