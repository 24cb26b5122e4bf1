package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark/web"
)

// client is a browser stand-in: it keeps cookies itself, since net/http's
// jar (rightly) will not send Secure cookies over the plain-HTTP test server.
type client struct {
	t       *testing.T
	base    string
	cookies map[string]string
}

func (f *fixture) client(t *testing.T) *client {
	return &client{t: t, base: f.srv.URL, cookies: map[string]string{}}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (c *client) do(method, path string, form url.Values, hdr ...string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	must(c.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := noRedirect.Do(req)
	must(c.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(c.t, err)
	for _, ck := range res.Cookies() {
		if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
			c.t.Errorf("cookie %s is not Secure, HttpOnly, SameSite=Strict, Path=/: %v", ck.Name, ck)
		}
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return res, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in page:\n%s", page)
	}
	return m[1]
}

func (c *client) login(email string) {
	c.t.Helper()
	_, page := c.do("GET", "/console/login", nil)
	res, body := c.do("POST", "/console/login", url.Values{"csrf": {csrfOf(c.t, page)}, "email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || c.cookies[web.SessionCookie] == "" {
		c.t.Fatalf("login %s: %s\n%s", email, res.Status, body)
	}
}

func TestLoginSessionCSRFAndHeaders(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)

	res, _ := c.do("GET", "/console/queue", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/login" {
		t.Fatalf("anonymous queue: %s %s", res.Status, res.Header.Get("Location"))
	}
	res, page := c.do("GET", "/console/login", nil)
	if csp := res.Header.Get("Content-Security-Policy"); csp != web.ContentSecurityPolicy || strings.Contains(csp, "script-src") {
		t.Errorf("CSP = %q", csp)
	}
	if strings.Contains(page, "<script") {
		t.Error("the console must not carry script")
	}
	// A login without the form's token is refused, even with a right password.
	res, _ = c.do("POST", "/console/login", url.Values{"email": {"reviewer@example.com"}, "password": {password}})
	if res.StatusCode != http.StatusForbidden || c.cookies[web.SessionCookie] != "" {
		t.Fatalf("login without CSRF: %s", res.Status)
	}
	_, page = c.do("GET", "/console/login", nil)
	res, page = c.do("POST", "/console/login", url.Values{"csrf": {csrfOf(t, page)}, "email": {"reviewer@example.com"}, "password": {"wrong password!!"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "email or password is wrong") {
		t.Fatalf("wrong password: %s", res.Status)
	}
	c.login("reviewer@example.com")
	res, page = c.do("GET", "/console/queue", nil)
	if res.StatusCode != 200 || !strings.Contains(page, "l-acme-held") {
		t.Fatalf("queue: %s\n%s", res.Status, page)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Error("pages must not be cached")
	}
	// POSTs need the session's token.
	form := url.Values{"action": {"remove"}, "reason": {"counterfeit"}}
	if res, _ := c.do("POST", "/console/cases/l-acme-held/decision", form); res.StatusCode != http.StatusForbidden {
		t.Fatalf("decision without CSRF: %s", res.Status)
	}
	form.Set("csrf", "forged")
	if res, _ := c.do("POST", "/console/cases/l-acme-held/decision", form); res.StatusCode != http.StatusForbidden {
		t.Fatalf("decision with a forged CSRF token: %s", res.Status)
	}
	form.Set("csrf", csrfOf(t, page))
	if res, _ := c.do("POST", "/console/cases/l-acme-held/decision", form, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site decision: %s", res.Status)
	}
	// A reason code of another decision is refused.
	form.Set("reason", "false_positive")
	if res, _ := c.do("POST", "/console/cases/l-acme-held/decision", form); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("mismatched reason: %s", res.Status)
	}
	form.Set("reason", "counterfeit")
	if res, _ := c.do("POST", "/console/cases/l-acme-held/decision", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decision: %s", res.Status)
	}
	_, page = c.do("GET", "/console/queue", nil)
	if strings.Contains(page, "l-acme-held") {
		t.Error("a decided listing stays in the queue")
	}
	// Logout ends the session on the server, not only in the browser.
	token := c.cookies[web.SessionCookie]
	if res, _ := c.do("POST", "/console/logout", url.Values{"csrf": {csrfOf(t, page)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %s", res.Status)
	}
	c.cookies[web.SessionCookie] = token
	if res, _ := c.do("GET", "/console/queue", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the session outlived logout: %s", res.Status)
	}
}

func TestTenancy(t *testing.T) {
	f := newFixture(t)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	cases := []struct {
		who, path string
		code      int
	}{
		{"acme@example.com", "/console/notices/" + id(f.noticeA), 200},
		{"acme@example.com", "/console/notices/" + id(f.noticeB), 404},
		{"bolt@example.com", "/console/notices/" + id(f.noticeA), 404},
		{"acme@example.com", "/console/cases/l-acme-held", 404},
		{"acme@example.com", "/console/queue", 404},
		{"acme@example.com", "/console/statements/" + id(f.stmt), 404},
		{"seller@example.com", "/console/statements/" + id(f.stmt), 200},
		{"seller@example.com", "/console/cases/l-acme-held", 404},
		{"seller@example.com", "/console/notices/" + id(f.noticeA), 404},
		{"seller@example.com", "/console/notices/new", 404},
		{"seller@example.com", "/console/statements/999", 404},
		{"reviewer@example.com", "/console/cases/l-acme-held", 200},
		{"reviewer@example.com", "/console/cases/nope", 404},
		{"reviewer@example.com", "/console/notices/" + id(f.noticeB), 200},
	}
	clients := map[string]*client{}
	for _, tc := range cases {
		c := clients[tc.who]
		if c == nil {
			c = f.client(t)
			c.login(tc.who)
			clients[tc.who] = c
		}
		res, _ := c.do("GET", tc.path, nil)
		if res.StatusCode != tc.code {
			t.Errorf("%s GET %s: %d, want %d", tc.who, tc.path, res.StatusCode, tc.code)
		}
	}
	// The seller may not answer another seller's statement either.
	c := f.client(t)
	c.login("bolt@example.com")
	_, page := c.do("GET", "/console/notices", nil)
	res, _ := c.do("POST", "/console/statements/"+id(f.stmt)+"/counter-notice",
		url.Values{"csrf": {csrfOf(t, page)}, "explanation": {"x"}, "contact_name": {"x"}, "contact_email": {"x@example.com"}})
	if res.StatusCode != 404 {
		t.Errorf("a rights holder countering a statement: %d", res.StatusCode)
	}
}
