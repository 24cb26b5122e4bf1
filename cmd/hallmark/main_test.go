package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = run(context.Background(), args, &o, &e)
	return o.String(), e.String(), err
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const testRegistry = `{"brands":[{"id":"nike","name":"Nike","terms":["Nike","Air Max"],"category":"shoes","min_price":60,"authorized_sellers":["nike-store"]},
{"id":"gucci","name":"Gucci","terms":["Gucci"],"category":"bags","min_price":500}]}`

func TestScanWritesDecisions(t *testing.T) {
	dir := t.TempDir()
	reg := writeFile(t, dir, "registry.json", testRegistry)
	in := writeFile(t, dir, "listings.jsonl", `{"id":"1","seller_id":"x","title":"N1ke Air Max 90","price":30,"currency":"USD","category":"shoes"}
{"id":"2","seller_id":"x","title":"Gucci bag 1:1 mirror quality","price":80,"currency":"USD"}
{"id":"3","seller_id":"x","title":"Wooden chopping board","price":20,"currency":"USD"}
{"id":"4","seller_id":"nike-store","title":"Nike Air Max 90","price":130,"currency":"USD","category":"shoes"}
`)
	out := filepath.Join(dir, "decisions.jsonl")
	_, stderr, err := runCLI(t, "scan", "--registry", reg, "--in", in, "--out", out)
	if err != nil {
		t.Fatalf("scan: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "screened 4 listings") {
		t.Errorf("summary missing: %q", stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	want := []string{"block", "block", "allow", "allow"}
	if len(lines) != len(want) {
		t.Fatalf("got %d decisions", len(lines))
	}
	for i, line := range lines {
		var d struct {
			ListingID string            `json:"listing_id"`
			Action    string            `json:"action"`
			BrandID   string            `json:"brand_id"`
			Reasons   []json.RawMessage `json:"reasons"`
		}
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		if d.Action != want[i] {
			t.Errorf("listing %s: action %s, want %s (%s)", d.ListingID, d.Action, want[i], line)
		}
		if d.Action == "block" && len(d.Reasons) == 0 {
			t.Errorf("listing %s blocked with no reasons", d.ListingID)
		}
	}
}

func TestScanBadInputNamesFileAndLineAndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	reg := writeFile(t, dir, "registry.json", testRegistry)
	cases := map[string]struct{ listings, want string }{
		"negative price": {`{"id":"1","seller_id":"x","title":"a","price":1,"currency":"USD"}
{"id":"2","seller_id":"x","title":"b","price":-3,"currency":"USD"}`, "listings.jsonl:2: price: must not be negative"},
		"bad json":         {`{"id":"1",`, "listings.jsonl:1: invalid JSON"},
		"unknown currency": {`{"id":"1","seller_id":"x","title":"a","price":1,"currency":"ABC"}`, "listings.jsonl:1: currency: unknown currency code"},
		"empty":            {"\n\n", "no listings"},
	}
	for name, c := range cases {
		in := writeFile(t, dir, "listings.jsonl", c.listings)
		out := filepath.Join(dir, "out-"+strings.ReplaceAll(name, " ", "-")+".jsonl")
		_, _, err := runCLI(t, "scan", "--registry", reg, "--in", in, "--out", out, "--quiet")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", name, err, c.want)
		}
		if _, statErr := os.Stat(out); !errors.Is(statErr, os.ErrNotExist) {
			t.Errorf("%s: a decisions file was left behind", name)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestScanBadRegistry(t *testing.T) {
	dir := t.TempDir()
	reg := writeFile(t, dir, "registry.json", "{\"brands\": [\n  {\"id\": \"x\", \"name\": \"X\", \"min_price\": -1}\n]}")
	in := writeFile(t, dir, "l.jsonl", `{"id":"1","seller_id":"x","title":"a","price":1,"currency":"USD"}`)
	_, _, err := runCLI(t, "scan", "--registry", reg, "--in", in)
	if err == nil || !strings.Contains(err.Error(), "registry.json") || !strings.Contains(err.Error(), "must not be negative") {
		t.Fatalf("err = %v", err)
	}
}

func TestScanCSV(t *testing.T) {
	dir := t.TempDir()
	reg := writeFile(t, dir, "registry.json", testRegistry)
	in := writeFile(t, dir, "l.csv", "id,seller_id,title,price,currency\n1,x,G U C C I tote,40,USD\n")
	stdout, _, err := runCLI(t, "scan", "--registry", reg, "--in", in, "--quiet")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, `"action":"block"`) {
		t.Fatalf("stdout = %s", stdout)
	}
}

func TestRulesCheck(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.yaml", "rules:\n  - {name: a, when: replica.strong, action: block, weight: 100}\n")
	bad := writeFile(t, dir, "bad.yaml", "rules:\n  - name: a\n    when: replica.strongg\n    action: block\n    weight: 1\n")
	if out, _, err := runCLI(t, "rules", "check", good); err != nil || !strings.Contains(out, "ok, 1 rules") {
		t.Fatalf("good: %v %q", err, out)
	}
	_, stderr, err := runCLI(t, "rules", "check", bad)
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(stderr, "bad.yaml:3:") {
		t.Fatalf("bad: err=%v stderr=%q", err, stderr)
	}
	if out, _, err := runCLI(t, "rules", "show"); err != nil || !strings.Contains(out, "replica_wording_with_brand") {
		t.Fatalf("show: %v", err)
	}
}

func TestUsage(t *testing.T) {
	_, stderr, err := runCLI(t)
	if err == nil || !strings.Contains(stderr, "Usage:") {
		t.Fatalf("no-args: %v %q", err, stderr)
	}
	_, stderr, err = runCLI(t, "frobnicate")
	if err == nil || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Fatalf("unknown: %v %q", err, stderr)
	}
	_, _, err = runCLI(t, "scan", "--in", "x")
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 2 {
		t.Fatalf("missing flag: %v", err)
	}
}
