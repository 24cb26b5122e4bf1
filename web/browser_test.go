package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium or Chrome binary, or "".
func chromium() string {
	if p := os.Getenv("HALLMARK_CHROMIUM"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// browser drives one headless Chromium; each role gets its own browser
// context (its own cookies), as separate people on separate machines would.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
	n     int
}

func newBrowser(t *testing.T, base string) *browser {
	bin := chromium()
	if bin == "" {
		t.Skip("no chromium binary found (apt-get install -y chromium, or set HALLMARK_CHROMIUM): skipping the browser tests")
	}
	shots := os.Getenv("HALLMARK_ARTIFACTS")
	if shots == "" {
		shots = t.TempDir()
	} else {
		shots = filepath.Join(shots, "console")
	}
	must(t, os.MkdirAll(shots, 0o755))
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	// Start the browser now, so a broken install fails here, clearly.
	if err := chromedp.Do(ctx); err != nil {
		cancelB()
		cancelA()
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Cleanup(func() { cancelB(); cancelA() })
	return &browser{t: t, ctx: ctx, base: base, shots: shots}
}

// tab is one person's browser context.
type tab struct {
	b    *browser
	ctx  context.Context
	name string
}

func (b *browser) person(t *testing.T, name string) *tab {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancel2 := context.WithTimeout(ctx, 20*time.Second)
	t.Cleanup(cancel2)
	return &tab{b: b, ctx: ctx, name: name}
}

func (tb *tab) run(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		loc, _ := chromedp.Run(tb.ctx, chromedp.Location())
		tb.shot(t, "failure")
		t.Fatalf("%s: %s: %v (at %s)", tb.name, what, err, loc)
	}
}

// shot saves a screenshot of the page as it stands.
func (tb *tab) shot(t *testing.T, page string) {
	t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", page, err)
		return
	}
	tb.b.n++
	name := filepath.Join(tb.b.shots, fmt.Sprintf("%02d-%s-%s.png", tb.b.n, tb.name, page))
	if err := os.WriteFile(name, png, 0o644); err != nil {
		t.Logf("screenshot %s: %v", page, err)
	}
}

func (tb *tab) visit(t *testing.T, path, waitFor, page string) {
	t.Helper()
	tb.run(t, "visit "+path, chromedp.Navigate(tb.b.base+path), chromedp.WaitVisible(chromedp.CSS(waitFor)))
	tb.shot(t, page)
}

func (tb *tab) text(t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		tb.shot(t, "failure")
		t.Fatalf("%s: read %s: %v", tb.name, sel, err)
	}
	return s
}

func (tb *tab) login(t *testing.T, email, landing string) {
	t.Helper()
	tb.visit(t, "/console/login", "#login", "login")
	tb.run(t, "log in",
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS(landing)))
	tb.shot(t, "home")
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	f := newFixture(t)
	b := newBrowser(t, f.srv.URL)
	start := time.Now()
	id := func(n int64) string { return strconv.FormatInt(n, 10) }

	t.Run("reviewer decides a held listing", func(t *testing.T) {
		r := b.person(t, "reviewer")
		r.login(t, "reviewer@example.com", "#queue")
		first := r.text(t, "#queue tbody tr:first-child")
		if !strings.Contains(first, "l-acme-held") {
			t.Fatalf("the riskiest case is not first: %q", first)
		}
		// Filter by brand.
		r.run(t, "filter by brand", chromedp.SetValue(chromedp.CSS("#brand"), "bolt"),
			chromedp.Submit(chromedp.CSS("#brand")), chromedp.WaitVisible(chromedp.CSS("#queue")))
		r.shot(t, "queue-bolt")
		if rows := r.text(t, "#queue tbody"); !strings.Contains(rows, "l-bolt-held") || strings.Contains(rows, "l-acme") {
			t.Fatalf("brand filter: %q", rows)
		}
		r.visit(t, "/console/cases/l-acme-held", "#decide", "case")
		marks, err := chromedp.Run(r.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#title mark")].map(m => m.textContent)`))
		must(t, err)
		if strings.Join(marks, ",") != "Acme,Rep1ica" {
			t.Errorf("highlighted in the title: %q", marks)
		}
		if s := r.text(t, "#signals"); !strings.Contains(s, "replica") || !strings.Contains(s, "leetspeak") {
			t.Errorf("normalized forms: %q", s)
		}
		if s := r.text(t, "#floor"); !strings.Contains(s, "below the floor") {
			t.Errorf("price against floor: %q", s)
		}
		if s := r.text(t, "#rules"); !strings.Contains(s, "brand_with_replica_cue") {
			t.Errorf("rules: %q", s)
		}
		if s := r.text(t, "#audit"); !strings.Contains(s, "decision") {
			t.Errorf("audit trail: %q", s)
		}
		// Each decision has its access key (DevTools key events do not
		// trigger access keys, so the test checks them and then decides
		// with the keyboard: focus on the button, Enter).
		keys, err := chromedp.Run(r.ctx, chromedp.Evaluate[string](
			`[...document.querySelectorAll("#decide button")].map(b => b.value + "=" + b.accessKey).join(",")`))
		must(t, err)
		if keys != "restore=a,remove=b,review=r" {
			t.Errorf("access keys: %q", keys)
		}
		r.run(t, "decide with the keyboard",
			chromedp.SetValue(chromedp.CSS("#reason"), "counterfeit"),
			chromedp.Focus(chromedp.CSS("#remove")),
			chromedp.KeyEvent("\r"),
			chromedp.WaitVisible(chromedp.CSS("#decided")))
		r.shot(t, "decided")
		if s := r.text(t, "#main"); strings.Contains(s, "Acme Rep1ica Runner") {
			t.Error("the decided case is still in the queue")
		}
		r.visit(t, "/console/cases/l-acme-held", "#audit", "case-after")
		if s := r.text(t, "#status"); s != "removed" {
			t.Errorf("status after removal: %q", s)
		}
		if s := r.text(t, "#audit"); !strings.Contains(s, "counterfeit") || !strings.Contains(s, "status_change") {
			t.Errorf("the decision is not in the audit trail: %q", s)
		}
		r.run(t, "log out", chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#login")))
		r.visit(t, "/console/queue", "#login", "after-logout")
	})

	t.Run("reviewers claim cases and decide in bulk", func(t *testing.T) {
		ada := b.person(t, "admin")
		ada.login(t, "admin@example.com", "#queue")
		ada.visit(t, "/console/cases/l-acme-photo", "#claim-button", "case-unclaimed")
		if s := ada.text(t, "#images"); !strings.Contains(s, "acme-runner-front") || !strings.Contains(s, "12") {
			t.Errorf("matched images: %q", s)
		}
		loaded, err := chromedp.Run(ada.ctx, chromedp.Evaluate[bool](`document.querySelector("#images img").naturalWidth > 0`))
		must(t, err)
		if !loaded {
			t.Error("the uploaded listing image is not shown")
		}
		ada.run(t, "claim", chromedp.Click(chromedp.CSS("#claim-button")), chromedp.WaitVisible(chromedp.CSS("#claimed-mine")))
		ada.shot(t, "case-claimed")

		r := b.person(t, "reviewer-2")
		r.login(t, "reviewer@example.com", "#queue")
		if s := r.text(t, "#row-l-acme-photo"); !strings.Contains(s, "claimed by Ada Admin") {
			t.Errorf("the queue does not show the claim: %q", s)
		}
		r.visit(t, "/console/cases/l-acme-photo", "#claimed-by", "case-claimed-by-other")
		disabled, err := chromedp.Run(r.ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll("#decide button")].every(b => b.disabled)`))
		must(t, err)
		if !disabled {
			t.Error("the decision buttons are live on a case another reviewer claimed")
		}
		r.visit(t, "/console/queue", "#bulk", "queue-before-bulk")
		r.run(t, "bulk decision",
			chromedp.Click(chromedp.CSS("#pick-l-acme-low")),
			chromedp.Click(chromedp.CSS("#pick-l-bolt-held")),
			chromedp.SetValue(chromedp.CSS("#bulk-reason"), "counterfeit"),
			chromedp.Click(chromedp.CSS("#bulk-remove")),
			chromedp.WaitVisible(chromedp.CSS("#bulk-result")))
		r.shot(t, "bulk-decided")
		if s := r.text(t, "#bulk-result"); !strings.Contains(s, "l-acme-low: decided: remove") || !strings.Contains(s, "l-bolt-held: decided: remove") {
			t.Errorf("bulk result: %q", s)
		}
		if s := r.text(t, "#queue tbody"); strings.Contains(s, "l-bolt-held") || !strings.Contains(s, "l-acme-photo") {
			t.Errorf("queue after the bulk decision: %q", s)
		}
	})

	t.Run("another tenant's case is refused", func(t *testing.T) {
		o := b.person(t, "brand-b")
		o.login(t, "bolt@example.com", "#notices")
		if s := o.text(t, "#notices"); strings.Contains(s, "acme") {
			t.Errorf("brand B sees brand A's notices: %q", s)
		}
		o.visit(t, "/console/notices/"+id(f.noticeA), "#notfound", "other-notice")
		o.visit(t, "/console/cases/l-acme-held", "#notfound", "other-case")
		o.visit(t, "/console/statements/"+id(f.stmt), "#notfound", "other-statement")
	})

	t.Run("rights holder files a notice", func(t *testing.T) {
		a := b.person(t, "brand-a")
		a.login(t, "acme@example.com", "#notices")
		if s := a.text(t, "#notices"); !strings.Contains(s, "accepted") {
			t.Errorf("the accepted notice and its outcome: %q", s)
		}
		a.run(t, "open the form", chromedp.Click(chromedp.CSS("#new-notice")), chromedp.WaitVisible(chromedp.CSS("#notice-form")))
		a.shot(t, "notice-form")
		a.run(t, "fill in and file",
			chromedp.SetValue(chromedp.CSS("#right_id"), id(f.rightA)),
			chromedp.SendKeys(chromedp.CSS("#listing_ids"), f.listingA),
			chromedp.SendKeys(chromedp.CSS("#explanation"), "Sells copies of the Acme Runner under the ACME mark."),
			chromedp.Click(chromedp.CSS("#good_faith")),
			chromedp.Click(chromedp.CSS("#file-notice")),
			chromedp.WaitVisible(chromedp.CSS("#notice-status")))
		a.shot(t, "notice-filed")
		if s := a.text(t, "#notice-status"); s != "received" {
			t.Errorf("new notice status: %q", s)
		}
		if s := a.text(t, "#notice-listings"); s != f.listingA {
			t.Errorf("notice listings: %q", s)
		}
	})

	t.Run("rights holder registers a right and a photo, files a notice from a search", func(t *testing.T) {
		a := b.person(t, "brand-a-2")
		a.login(t, "acme@example.com", "#notices")
		a.run(t, "open the rights page", chromedp.Click(chromedp.CSS(`nav a[href$="/rights"]`)), chromedp.WaitVisible(chromedp.CSS("#right-form")))
		a.shot(t, "rights")
		a.run(t, "submit a trademark",
			chromedp.SendKeys(chromedp.CSS("#right-mark"), "ACME RUNNER"),
			chromedp.SendKeys(chromedp.CSS("#right-number"), "018765432"),
			chromedp.SendKeys(chromedp.CSS("#right-office"), "EUIPO"),
			chromedp.SendKeys(chromedp.CSS("#right-classes"), "18, 25"),
			chromedp.SendKeys(chromedp.CSS("#right-owner"), "Acme Inc."),
			chromedp.SendKeys(chromedp.CSS("#right-documents"), "https://euipo.example/018765432.pdf"),
			chromedp.Click(chromedp.CSS("#submit-right")),
			chromedp.WaitVisible(chromedp.CSS("#submitted")))
		a.shot(t, "right-submitted")
		rowID, err := chromedp.Run(a.ctx, chromedp.Evaluate[string](`document.querySelector("#rights tbody tr").id`))
		must(t, err)
		rid := strings.TrimPrefix(rowID, "right-")
		if s := a.text(t, "#right-status-"+rid); s != "pending" {
			t.Fatalf("new right %q: status %q", rid, s)
		}

		r := b.person(t, "reviewer-3")
		r.login(t, "reviewer@example.com", "#queue")
		r.visit(t, "/console/rights", "#decide-right-"+rid, "rights-pending")
		r.run(t, "verify the right",
			chromedp.SendKeys(chromedp.CSS("#reason-"+rid), "registration checked in eSearch"),
			chromedp.Click(chromedp.CSS("#verify-"+rid)),
			chromedp.WaitVisible(chromedp.CSS("#decided")))
		r.shot(t, "right-verified")

		a.visit(t, "/console/rights", "#right-status-"+rid, "rights-after")
		if s := a.text(t, "#right-status-"+rid); s != "verified" {
			t.Errorf("status after verification: %q", s)
		}
		if s := a.text(t, "#right-reason-"+rid); s != "registration checked in eSearch" {
			t.Errorf("verifier's reason: %q", s)
		}

		photo := filepath.Join(t.TempDir(), "runner.png")
		must(t, os.WriteFile(photo, genuinePNG(t), 0o644))
		a.visit(t, "/console/images", "#upload-form", "photos")
		a.run(t, "upload a genuine photo",
			chromedp.SendKeys(chromedp.CSS("#image-id"), "runner-side"),
			chromedp.SendKeys(chromedp.CSS("#image-label"), "Acme Runner, side"),
			chromedp.SetUploadFiles(chromedp.CSS("#image-file"), []string{photo}),
			chromedp.Click(chromedp.CSS("#upload-image")),
			chromedp.WaitVisible(chromedp.CSS("#added")))
		a.shot(t, "photo-added")
		if s := a.text(t, "#image-runner-side"); !strings.Contains(s, "Acme Runner, side") {
			t.Errorf("protected photo row: %q", s)
		}
		if f.reloads.Load() == 0 {
			t.Error("screening was not asked to reload after the upload")
		}

		a.visit(t, "/console/notices/new", "#search-form", "notice-search")
		a.run(t, "search listings",
			chromedp.SendKeys(chromedp.CSS("#search-q"), "running shoes"),
			chromedp.Click(chromedp.CSS("#search")),
			chromedp.WaitVisible(chromedp.CSS("#found-query")),
			chromedp.WaitVisible(chromedp.CSS("#tick-l-acme-photo")))
		a.shot(t, "notice-search-results")
		if s := a.text(t, "#found tbody"); strings.Contains(s, "l-acme-held") {
			t.Errorf("the title filter let through another listing: %q", s)
		}
		a.run(t, "tick and file",
			chromedp.Click(chromedp.CSS("#tick-l-acme-photo")),
			chromedp.SetValue(chromedp.CSS("#right_id"), rid),
			chromedp.SendKeys(chromedp.CSS("#explanation"), "Uses our protected photo of the Acme Runner."),
			chromedp.Click(chromedp.CSS("#good_faith")),
			chromedp.Click(chromedp.CSS("#file-notice")),
			chromedp.WaitVisible(chromedp.CSS("#notice-status")))
		a.shot(t, "notice-filed-from-search")
		if s := a.text(t, "#notice-listings"); s != "l-acme-photo" {
			t.Errorf("notice listings: %q", s)
		}
	})

	t.Run("seller files a counter-notice", func(t *testing.T) {
		s := b.person(t, "seller")
		s.login(t, "seller@example.com", "#listings")
		if txt := s.text(t, "#listings"); !strings.Contains(txt, "l-acme-noticed") || !strings.Contains(txt, "Statement #"+id(f.stmt)) {
			t.Fatalf("the seller's removed listing and its statement: %q", txt)
		}
		s.run(t, "open the statement", chromedp.Click(chromedp.CSS(`#listings a[href$="/statements/`+id(f.stmt)+`"]`)),
			chromedp.WaitVisible(chromedp.CSS("#counter-form")))
		s.shot(t, "statement")
		if txt := s.text(t, "#facts"); txt == "" {
			t.Error("the statement shows no facts")
		}
		s.run(t, "file the counter-notice",
			chromedp.SendKeys(chromedp.CSS("#counter-explanation"), "These are genuine Acme runners bought from the distributor."),
			chromedp.Click(chromedp.CSS("#file-counter")),
			chromedp.WaitVisible(chromedp.CSS("#counter-notices")))
		s.shot(t, "counter-filed")
		if txt := s.text(t, "#counter-notices"); !strings.Contains(txt, "pending") {
			t.Errorf("counter-notice: %q", txt)
		}
		forms, err := chromedp.Run(s.ctx, chromedp.Evaluate[int](`document.querySelectorAll("#counter-form").length`))
		must(t, err)
		if forms != 0 {
			t.Error("the counter-notice form is still offered")
		}
	})
	t.Logf("browser tests took %v; screenshots in %s", time.Since(start).Round(time.Millisecond), b.shots)
}
