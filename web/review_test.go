package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestQueueFiltersAndImages(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.login("reviewer@example.com")
	for _, tc := range []struct {
		query    string
		want     []string
		notWant  []string
		waitingN string
	}{
		{"", []string{"l-acme-held", "l-bolt-held", "l-acme-photo", "l-acme-low"}, nil, "4 listings"},
		{"?detector=image_match", []string{"l-acme-photo"}, []string{"l-acme-held", "l-bolt-held"}, "1 listings"},
		{"?category=sneakers", []string{"l-acme-photo"}, []string{"l-acme-held"}, "1 listings"},
		{"?seller=s-other&brand=acme", []string{"l-acme-photo", "l-acme-low"}, []string{"l-acme-held", "l-bolt-held"}, "2 listings"},
	} {
		res, page := c.do("GET", "/console/queue"+tc.query, nil)
		if res.StatusCode != 200 || !strings.Contains(page, tc.waitingN) {
			t.Errorf("queue%s: %s, want %q", tc.query, res.Status, tc.waitingN)
		}
		last := -1
		for _, id := range tc.want {
			i := strings.Index(page, `id="row-`+id+`"`)
			if i < last {
				t.Errorf("queue%s: %s missing or out of order", tc.query, id)
			}
			last = i
		}
		for _, id := range tc.notWant {
			if strings.Contains(page, `id="row-`+id+`"`) {
				t.Errorf("queue%s shows %s", tc.query, id)
			}
		}
	}
	_, page := c.do("GET", "/console/cases/l-acme-photo", nil)
	for _, s := range []string{`src="/console/uploads/` + f.uploadID + `"`, "acme-runner-front", `class="distance">12<`, "rot90"} {
		if !strings.Contains(page, s) {
			t.Errorf("case page lacks %q", s)
		}
	}
	res, img := c.do("GET", "/console/uploads/"+f.uploadID, nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(img, "\x89PNG") {
		t.Errorf("upload: %s %s", res.Status, res.Header.Get("Content-Type"))
	}
	s := f.client(t)
	s.login("seller@example.com")
	if res, _ := s.do("GET", "/console/uploads/"+f.uploadID, nil); res.StatusCode != 404 {
		t.Errorf("a seller reads uploads: %s", res.Status)
	}
}

func TestClaimsAndBulk(t *testing.T) {
	f := newFixture(t)
	rita := f.client(t)
	rita.login("reviewer@example.com")
	ada := f.client(t)
	ada.login("admin@example.com")

	_, page := rita.do("GET", "/console/cases/l-acme-held", nil)
	csrfR := csrfOf(t, page)
	if res, _ := rita.do("POST", "/console/cases/l-acme-held/claim", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("claim without CSRF: %s", res.Status)
	}
	if res, _ := rita.do("POST", "/console/cases/l-acme-held/claim", url.Values{"csrf": {csrfR}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %s", res.Status)
	}
	_, page = rita.do("GET", "/console/cases/l-acme-held", nil)
	if !strings.Contains(page, `id="claimed-mine"`) {
		t.Error("the claimant is not told the case is hers")
	}
	// Ada sees the claim in the queue and on the case, and cannot claim or decide it.
	_, page = ada.do("GET", "/console/queue", nil)
	if !strings.Contains(page, "claimed by Rita Reviewer") {
		t.Error("the queue does not show the claim")
	}
	csrfA := csrfOf(t, page)
	_, page = ada.do("GET", "/console/cases/l-acme-held", nil)
	if !strings.Contains(page, `id="claimed-by"`) || !strings.Contains(page, "Rita Reviewer") {
		t.Error("another reviewer is not told the case is claimed")
	}
	if res, _ := ada.do("POST", "/console/cases/l-acme-held/claim", url.Values{"csrf": {csrfA}}); res.StatusCode != http.StatusConflict {
		t.Errorf("claiming a claimed case: %s", res.Status)
	}
	res, page := ada.do("POST", "/console/cases/l-acme-held/decision", url.Values{"csrf": {csrfA}, "action": {"remove"}, "reason": {"counterfeit"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, "claimed by Rita Reviewer") {
		t.Errorf("deciding another's case: %s", res.Status)
	}
	// A bulk decision skips the claimed case and decides the rest, each audited.
	res, page = ada.do("POST", "/console/queue/decision", url.Values{"csrf": {csrfA}, "action": {"restore"}, "reason": {"false_positive"},
		"id": {"l-acme-held", "l-acme-low", "l-bolt-held"}})
	if res.StatusCode != 200 || !strings.Contains(page, "l-acme-held: claimed by Rita Reviewer") ||
		!strings.Contains(page, "l-bolt-held: decided: restore") {
		t.Fatalf("bulk: %s\n%s", res.Status, page)
	}
	for _, id := range []string{"l-acme-low", "l-bolt-held"} {
		_, page = ada.do("GET", "/console/cases/"+id, nil)
		if !strings.Contains(page, `id="status">active<`) || !strings.Contains(page, "false_positive") {
			t.Errorf("%s after the bulk decision: not restored and audited", id)
		}
	}
	if res, _ := ada.do("POST", "/console/queue/decision", url.Values{"csrf": {csrfA}, "action": {"restore"}, "reason": {"counterfeit"}, "id": {"l-acme-photo"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bulk with a mismatched reason: %s", res.Status)
	}
	if res, _ := ada.do("POST", "/console/queue/decision", url.Values{"action": {"restore"}, "reason": {"false_positive"}, "id": {"l-acme-photo"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("bulk without CSRF: %s", res.Status)
	}
	// Rita decides; that releases the claim.
	if res, _ := rita.do("POST", "/console/cases/l-acme-held/decision", url.Values{"csrf": {csrfR}, "action": {"review"}, "reason": {"escalate_lead"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("claimant decides: %s", res.Status)
	}
	_, page = ada.do("GET", "/console/cases/l-acme-held", nil)
	if strings.Contains(page, `id="claimed-by"`) || !strings.Contains(page, `id="claim-button"`) {
		t.Error("the decision did not release the claim")
	}
}
