package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestAdminPages(t *testing.T) {
	f := newFixture(t)
	a := f.client(t)
	a.login("admin@example.com")
	for path, want := range map[string]string{
		"/console/admin/brands":      `href="/console/admin/brands/acme"`,
		"/console/admin/brands/acme": "100.00 USD",
		"/console/admin/rules":       `id="policy-source"`,
		"/console/admin/users":       "reviewer@example.com",
		"/console/admin/keys":        `id="new-key"`,
	} {
		res, page := a.do("GET", path, nil)
		if res.StatusCode != 200 || !strings.Contains(page, want) {
			t.Errorf("GET %s: %s, want %q in the page", path, res.Status, want)
		}
	}
	if res, _ := a.do("GET", "/console/admin/brands/nope", nil); res.StatusCode != 404 {
		t.Errorf("unknown brand: %s", res.Status)
	}
	// A reviewer is staff but not an admin: the pages do not exist for her.
	r := f.client(t)
	r.login("reviewer@example.com")
	for _, p := range []string{"/console/admin/brands", "/console/admin/keys", "/console/admin/users", "/console/admin/rules"} {
		if res, _ := r.do("GET", p, nil); res.StatusCode != 404 {
			t.Errorf("reviewer GET %s: %s", p, res.Status)
		}
	}

	_, page := a.do("GET", "/console/admin/keys", nil)
	csrf := csrfOf(t, page)
	if res, _ := a.do("POST", "/console/admin/keys", url.Values{"name": {"x"}, "role": {"integration"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("create key without CSRF: %s", res.Status)
	}
	res, page := a.do("POST", "/console/admin/keys", url.Values{"csrf": {csrf}, "name": {"shop backend"}, "role": {"integration"}})
	m := regexp.MustCompile(`id="secret-value">([^<]+)<`).FindStringSubmatch(page)
	if res.StatusCode != 200 || m == nil {
		t.Fatalf("create key: %s", res.Status)
	}
	secret := m[1]
	_, page = a.do("GET", "/console/admin/keys", nil)
	if strings.Contains(page, secret) || !strings.Contains(page, "shop backend") {
		t.Error("the key list shows the secret again, or not the key")
	}
	id := regexp.MustCompile(`action="/console/admin/keys/(\d+)/revoke"`).FindStringSubmatch(page)
	if id == nil {
		t.Fatal("no revoke form")
	}
	if res, _ := a.do("POST", "/console/admin/keys/"+id[1]+"/revoke", url.Values{"csrf": {csrf}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %s", res.Status)
	}
	if _, page = a.do("GET", "/console/admin/keys", nil); !strings.Contains(page, "revoked") {
		t.Error("the revoked key is not shown as revoked")
	}
	if res, _ := a.do("POST", "/console/admin/keys", url.Values{"csrf": {csrf}, "name": {"x"}, "role": {"superuser"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("key with an unknown role: %s", res.Status)
	}

	res, page = a.do("POST", "/console/admin/users", url.Values{"csrf": {csrf}, "name": {"Rex Reviewer"}, "email": {"rex@example.com"},
		"role": {"reviewer"}, "password": {password}})
	if res.StatusCode != 200 || !strings.Contains(page, `id="created"`) || !strings.Contains(page, "rex@example.com") {
		t.Fatalf("create user: %s", res.Status)
	}
	f.client(t).login("rex@example.com")
	if res, _ := a.do("POST", "/console/admin/users", url.Values{"csrf": {csrf}, "name": {"Rex"}, "email": {"rex@example.com"},
		"role": {"reviewer"}, "password": {password}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("duplicate user: %s", res.Status)
	}
}
