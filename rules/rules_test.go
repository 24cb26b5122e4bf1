package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark"
)

func TestDefaultPolicyCompiles(t *testing.T) {
	p := Default()
	if len(p.Rules) < 10 {
		t.Fatalf("default policy has %d rules", len(p.Rules))
	}
	for _, r := range p.Rules {
		if r.Description == "" {
			t.Errorf("rule %s has no description", r.Name)
		}
	}
}

func TestParseReportsLinePreciseErrors(t *testing.T) {
	src := `version: t
rules:
  - name: ok_rule
    when: brand.matched
    action: block
    weight: 10
  - name: bad_expr
    when: brand.matched && price.ratoi < 1
    action: block
    weight: 10
  - name: bad_action
    when: brand.matched
    action: destroy
    weight: 1
  - name: ok_rule
    when: replica.strong
    action: review
    weight: 1
  - name: misspelt
    whn: replica.strong
    action: review
    weight: 1
  - name: not_bool
    when: price.ratio
    action: review
    weight: 1
  - name: multi
    when: |
      brand.matched &&
      seller.nope
    action: review
    weight: 1
`
	_, err := Parse("policy.yaml", []byte(src))
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %v", err)
	}
	want := []struct {
		line int
		frag string
	}{
		{8, `rule "bad_expr": when:`},
		{13, `rule "bad_action": action: unknown action "destroy"`},
		{15, `duplicate rule name (first defined on line 3)`},
		{20, `unknown key "whn"`},
		{19, `rule "misspelt": when is required`},
		{24, `rule "not_bool": when:`},
		{30, `rule "multi": when:`},
	}
	text := err.Error()
	for _, w := range want {
		found := false
		for _, e := range errs {
			if e.Line == w.line && strings.Contains(e.Error(), w.frag) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error at line %d containing %q; got:\n%s", w.line, w.frag, text)
		}
	}
}

func TestParseRejectsBadDocuments(t *testing.T) {
	for name, src := range map[string]string{
		"empty":      "",
		"not yaml":   "rules: [",
		"no rules":   "version: x\n",
		"thresholds": "review_at: 100\nblock_at: 50\nrules:\n  - {name: a, when: 'true', action: allow, weight: 0}\n",
		"rules map":  "rules: {a: 1}\n",
		"weight":     "rules:\n  - {name: a, when: 'true', action: allow, weight: 1e9}\n",
	} {
		if _, err := Parse(name, []byte(src)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestEvaluate(t *testing.T) {
	p, err := Parse("t", []byte(`review_at: 50
block_at: 100
rules:
  - {name: cue, when: replica.strong, action: block, weight: 100}
  - {name: cheap, when: price.known && price.ratio < 0.5, action: score, weight: 30}
  - {name: new, when: seller.age_days < 30, action: score, weight: 30}
  - {name: auth, when: seller.authorized, action: allow, weight: -60, max_action: review}
`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		env    Env
		action hallmark.Action
		score  float64
		fired  int
	}{
		{"nothing", Env{Seller: SellerEnv{AgeDays: 400}}, hallmark.Allow, 0, 0},
		{"cue blocks", Env{Replica: ReplicaEnv{Strong: true}, Seller: SellerEnv{AgeDays: 400}}, hallmark.Block, 100, 1},
		{"score reaches review", Env{Price: PriceEnv{Known: true, Ratio: 0.2}, Seller: SellerEnv{AgeDays: 3}}, hallmark.Review, 60, 2},
		{"one score rule stays allow", Env{Price: PriceEnv{Known: true, Ratio: 0.2}, Seller: SellerEnv{AgeDays: 300}}, hallmark.Allow, 30, 1},
		{"authorized capped at review", Env{Replica: ReplicaEnv{Strong: true}, Seller: SellerEnv{Authorized: true, AgeDays: 400}}, hallmark.Review, 40, 2},
	}
	for _, c := range cases {
		out, err := p.Evaluate(&c.env)
		if err != nil {
			t.Fatal(err)
		}
		if out.Action != c.action || out.Score != c.score || len(out.Fired) != c.fired {
			t.Errorf("%s: got %v %.0f (%d fired), want %v %.0f (%d)", c.name, out.Action, out.Score, len(out.Fired), c.action, c.score, c.fired)
		}
	}
}

func TestDetectorsOf(t *testing.T) {
	p, err := Parse("t", []byte("rules:\n  - {name: a, when: 'brand.matched && price.ratio < 1 || seller.known', action: review, weight: 1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(p.Rules[0].Detectors, ",")
	if got != "brand,price,seller" {
		t.Fatalf("detectors = %s", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(DefaultSource())
	f.Add([]byte("rules:\n  - {name: a, when: 'true', action: allow, weight: 0}\n"))
	f.Add([]byte("rules: [{name: x, when: '(', action: block}]"))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse("fuzz", src)
		if err == nil {
			if len(p.Rules) == 0 {
				t.Fatal("policy with no rules accepted")
			}
			for i := range p.Rules {
				if _, err := p.Evaluate(&Env{}); err != nil {
					_ = i
				}
			}
		}
	})
}
