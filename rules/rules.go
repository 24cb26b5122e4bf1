// Package rules turns detector signals into a decision. A policy is a list
// of expr-lang expressions over an Env, each naming an action and a weight;
// analysts edit the policy file and reload it without a deploy. The default
// policy is embedded (default.yaml) and documented rule by rule.
package rules

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v3"

	"github.com/hallmark-dev/hallmark"
)

//go:embed default.yaml
var defaultPolicy []byte

// DefaultSource returns the text of the embedded default policy.
func DefaultSource() []byte { return bytes.Clone(defaultPolicy) }

// Default returns the embedded default policy. It panics if the embedded file
// is broken, which a test rules out.
func Default() *Policy {
	p, err := Parse("default.yaml", defaultPolicy)
	if err != nil {
		panic("rules: embedded default policy: " + err.Error())
	}
	return p
}

// Limits that keep a policy file reasonable.
const (
	maxPolicyBytes = 1 << 20
	maxRules       = 500
	maxExprLen     = 4000
)

// Rule is one compiled rule.
type Rule struct {
	Name        string
	Description string
	When        string
	Action      RuleAction
	Weight      float64
	Message     string
	// MaxAction caps the decision when the rule fires: an authorized seller's
	// listing may be held for review but never blocked outright.
	MaxAction *hallmark.Action
	// Detectors lists the signal groups the expression reads (brand, price ...),
	// so reasons can carry exactly the evidence the rule looked at.
	Detectors []string
	Line      int

	program *vm.Program
}

// RuleAction is what a rule asks for: one of the decision actions, or
// "score", which only adds its weight.
type RuleAction struct {
	Action    hallmark.Action
	ScoreOnly bool
}

func (a RuleAction) String() string {
	if a.ScoreOnly {
		return "score"
	}
	return a.Action.String()
}

// Policy is a compiled, validated rule set.
type Policy struct {
	Version string
	// ReviewAt and BlockAt are score thresholds: a listing whose rules add up
	// to ReviewAt goes to review even if no single rule asked for it.
	ReviewAt float64
	BlockAt  float64
	Rules    []Rule
	// Source names where the policy came from; Text is the file as read,
	// for people to see the rules in force.
	Source string
	Text   []byte
}

// policyFile is the YAML shape of a policy.
type policyFile struct {
	Version  string     `yaml:"version"`
	ReviewAt *float64   `yaml:"review_at"`
	BlockAt  *float64   `yaml:"block_at"`
	Rules    []ruleFile `yaml:"rules"`
}

type ruleFile struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	When        string   `yaml:"when"`
	Action      string   `yaml:"action"`
	Weight      *float64 `yaml:"weight"`
	Message     string   `yaml:"message"`
	MaxAction   string   `yaml:"max_action"`
}

// Error is a problem in a policy file, located to the line.
type Error struct {
	File    string
	Line    int
	Column  int
	Rule    string
	Message string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", e.Rule)
	}
	b.WriteString(e.Message)
	return b.String()
}

// Errors is every problem found in one policy file.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// LoadFile reads and compiles a policy file.
func LoadFile(path string) (*Policy, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > maxPolicyBytes {
		return nil, &Error{File: path, Message: fmt.Sprintf("file is too large (%d bytes, at most %d)", fi.Size(), maxPolicyBytes)}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, b)
}

// Parse compiles a policy from YAML. All problems are reported together,
// each with its line, so an analyst can fix a file in one pass.
func Parse(name string, src []byte) (*Policy, error) {
	if len(src) > maxPolicyBytes {
		return nil, &Error{File: name, Message: "file is too large"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: name, Line: 1, Message: "empty policy: want a mapping with a rules list"}
	}
	root := doc.Content[0]
	var pf policyFile
	if err := root.Decode(&pf); err != nil {
		return nil, yamlError(name, err)
	}
	var errs Errors
	add := func(line, col int, rule, format string, args ...any) {
		errs = append(errs, &Error{File: name, Line: line, Column: col, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	errs = append(errs, unknownKeys(name, root, "", policyKeys)...)

	p := &Policy{Version: pf.Version, ReviewAt: 40, BlockAt: 100, Source: name, Text: bytes.Clone(src)}
	if pf.ReviewAt != nil {
		p.ReviewAt = *pf.ReviewAt
	}
	if pf.BlockAt != nil {
		p.BlockAt = *pf.BlockAt
	}
	if p.ReviewAt <= 0 || p.BlockAt <= p.ReviewAt || math.IsNaN(p.ReviewAt) || math.IsInf(p.BlockAt, 0) {
		add(lineOf(root, "review_at"), 0, "", "thresholds must satisfy 0 < review_at < block_at (got %v and %v)", p.ReviewAt, p.BlockAt)
	}
	rulesNode := valueOf(root, "rules")
	if rulesNode == nil || rulesNode.Kind != yaml.SequenceNode || len(rulesNode.Content) == 0 {
		add(lineOf(root, "rules"), 0, "", "a policy needs a non-empty rules list")
		return nil, errs
	}
	if len(pf.Rules) > maxRules {
		add(rulesNode.Line, 0, "", "too many rules (%d, at most %d)", len(pf.Rules), maxRules)
		return nil, errs
	}
	seen := map[string]int{}
	for i, rf := range pf.Rules {
		node := rulesNode.Content[i]
		errs = append(errs, unknownKeys(name, node, rf.Name, ruleKeys)...)
		r := Rule{Name: rf.Name, Description: rf.Description, When: rf.When, Message: rf.Message, Line: node.Line}
		switch {
		case rf.Name == "":
			add(node.Line, node.Column, "", "rule %d has no name", i+1)
		case !validName(rf.Name):
			add(lineOf(node, "name"), 0, rf.Name, "name must be lower_snake_case letters, digits and underscores")
		case seen[rf.Name] != 0:
			add(lineOf(node, "name"), 0, rf.Name, "duplicate rule name (first defined on line %d)", seen[rf.Name])
		default:
			seen[rf.Name] = node.Line
		}
		switch rf.Action {
		case "score":
			r.Action = RuleAction{ScoreOnly: true}
		case "":
			add(node.Line, 0, rf.Name, "action is required (allow, review, block or score)")
		default:
			a, err := hallmark.ParseAction(rf.Action)
			if err != nil {
				add(lineOf(node, "action"), 0, rf.Name, "action: %v", err)
			}
			r.Action = RuleAction{Action: a}
		}
		if rf.Weight == nil {
			add(node.Line, 0, rf.Name, "weight is required (a number; negative lowers the score)")
		} else if math.IsNaN(*rf.Weight) || math.Abs(*rf.Weight) > 1000 {
			add(lineOf(node, "weight"), 0, rf.Name, "weight must be between -1000 and 1000")
		} else {
			r.Weight = *rf.Weight
		}
		if rf.MaxAction != "" {
			a, err := hallmark.ParseAction(rf.MaxAction)
			if err != nil {
				add(lineOf(node, "max_action"), 0, rf.Name, "max_action: %v", err)
			}
			r.MaxAction = &a
		}
		if r.Message == "" {
			r.Message = r.Description
		}
		whenLine := lineOf(node, "when")
		switch {
		case strings.TrimSpace(rf.When) == "":
			add(node.Line, 0, rf.Name, "when is required (an expression over brand, replica, context, price, seller, image, listing)")
		case len(rf.When) > maxExprLen:
			add(whenLine, 0, rf.Name, "when is too long (%d bytes, at most %d)", len(rf.When), maxExprLen)
		default:
			prog, err := expr.Compile(rf.When, expr.Env(Env{}), expr.AsBool())
			if err != nil {
				line, col, msg := whenLine, 0, err.Error()
				var fe *file.Error
				if errors.As(err, &fe) {
					msg = fe.Message
					// A block scalar starts on the line after "when: |".
					wn := valueOf(node, "when")
					offset := 0
					if wn != nil && (wn.Style == yaml.LiteralStyle || wn.Style == yaml.FoldedStyle) {
						offset = 1
					}
					line = whenLine + offset + max(fe.Line-1, 0)
					col = fe.Column + 1
				}
				add(line, col, rf.Name, "when: %s", msg)
				break
			}
			r.program = prog
			r.Detectors = detectorsOf(prog.Node())
		}
		p.Rules = append(p.Rules, r)
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
		return nil, errs
	}
	return p, nil
}

var (
	policyKeys = map[string]bool{"version": true, "review_at": true, "block_at": true, "rules": true}
	ruleKeys   = map[string]bool{"name": true, "description": true, "when": true, "action": true, "weight": true, "message": true, "max_action": true}
)

// unknownKeys reports misspelt keys, which YAML decoding would silently drop.
func unknownKeys(name string, m *yaml.Node, rule string, allowed map[string]bool) Errors {
	if m.Kind != yaml.MappingNode {
		return Errors{{File: name, Line: m.Line, Column: m.Column, Rule: rule, Message: "expected a mapping"}}
	}
	var errs Errors
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if !allowed[k.Value] {
			errs = append(errs, &Error{File: name, Line: k.Line, Column: k.Column, Rule: rule, Message: fmt.Sprintf("unknown key %q", k.Value)})
		}
	}
	return errs
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func lineOf(m *yaml.Node, key string) int {
	if v := valueOf(m, key); v != nil {
		return v.Line
	}
	if m != nil {
		return m.Line
	}
	return 0
}

func yamlError(name string, err error) error {
	// yaml.v3 errors read "yaml: line N: message"; keep the line.
	msg := err.Error()
	var line int
	if _, scanErr := fmt.Sscanf(msg, "yaml: line %d:", &line); scanErr == nil {
		if i := strings.Index(msg, ": "); i >= 0 {
			if j := strings.Index(msg[i+2:], ": "); j >= 0 {
				msg = msg[i+2+j+2:]
			}
		}
		return &Error{File: name, Line: line, Message: msg}
	}
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		var errs Errors
		for _, m := range te.Errors {
			e := &Error{File: name, Message: m}
			if _, scanErr := fmt.Sscanf(m, "line %d:", &e.Line); scanErr == nil {
				if i := strings.Index(m, ": "); i >= 0 {
					e.Message = m[i+2:]
				}
			}
			errs = append(errs, e)
		}
		return errs
	}
	return &Error{File: name, Message: msg}
}

func validName(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r == '_':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return len(s) > 0 && len(s) <= 64
}

// detectorsOf lists the top-level groups an expression reads.
func detectorsOf(root ast.Node) []string {
	v := &identVisitor{seen: map[string]bool{}}
	ast.Walk(&root, v)
	sort.Strings(v.names)
	return v.names
}

type identVisitor struct {
	seen  map[string]bool
	names []string
}

func (v *identVisitor) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok && !v.seen[id.Value] {
		v.seen[id.Value] = true
		v.names = append(v.names, id.Value)
	}
}

// Outcome is the policy's verdict on one Env.
type Outcome struct {
	Action hallmark.Action
	Score  float64
	Fired  []*Rule
}

// Evaluate runs every rule against env. A rule that fails at run time (it
// cannot, having been type-checked, but a policy is data) is treated as not
// fired and returned as an error alongside the outcome.
func (p *Policy) Evaluate(env *Env) (Outcome, error) {
	var out Outcome
	var errs []error
	maxAction := hallmark.Block
	for i := range p.Rules {
		r := &p.Rules[i]
		res, err := vm.Run(r.program, env)
		if err != nil {
			errs = append(errs, fmt.Errorf("rule %s: %w", r.Name, err))
			continue
		}
		if fired, _ := res.(bool); !fired {
			continue
		}
		out.Fired = append(out.Fired, r)
		out.Score += r.Weight
		if !r.Action.ScoreOnly && r.Action.Action > out.Action {
			out.Action = r.Action.Action
		}
		if r.MaxAction != nil && *r.MaxAction < maxAction {
			maxAction = *r.MaxAction
		}
	}
	switch {
	case out.Score >= p.BlockAt && out.Action < hallmark.Block:
		out.Action = hallmark.Block
	case out.Score >= p.ReviewAt && out.Action < hallmark.Review:
		out.Action = hallmark.Review
	}
	if out.Action > maxAction {
		out.Action = maxAction
	}
	out.Score = math.Max(0, math.Min(100, out.Score))
	return out, errors.Join(errs...)
}
