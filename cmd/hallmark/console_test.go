package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/account"
	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/store/sqlite"
	"github.com/hallmark-dev/hallmark/web"
)

func TestWithConsole(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h, err := withConsole(api, st, notice.New(st, notice.Config{}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]int{"/console/login": 200, "/v1/listings": http.StatusTeapot, "/console/queue": http.StatusSeeOther} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != want {
			t.Errorf("GET %s: %d, want %d", path, w.Code, want)
		}
	}
}

// TestWithConsoleReload checks the console is given the reload: a rights
// holder's genuine photo, added in the console, reaches screening at once.
func TestWithConsoleReload(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.PutBrand(ctx, &hallmark.Brand{ID: "acme", Name: "Acme", Marks: []hallmark.Mark{{Text: "Acme", Kind: hallmark.MarkWord}}}, "test"); err != nil {
		t.Fatal(err)
	}
	td := notice.New(st, notice.Config{})
	admin := account.Principal{Actor: "system:test", Role: account.Admin, UserID: 1}
	u := &account.User{Email: "acme@example.com", Name: "Alice", Role: account.RightsHolder, BrandIDs: []string{"acme"}}
	if err := td.CreateUser(ctx, admin, u, "correct horse battery staple"); err != nil {
		t.Fatal(err)
	}
	tok, _, err := td.Login(ctx, u.Email, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	called := 0
	reload := func(context.Context) error { called++; return nil }
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h, err := withConsole(api, st, td, nil, nil, reload)
	if err != nil {
		t.Fatal(err)
	}
	send := func(req *http.Request) *httptest.ResponseRecorder {
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: tok})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	page := send(httptest.NewRequest("GET", "/console/images", nil)).Body.String()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token:\n%s", page)
	}
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7 % 251)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"csrf": m[1], "brand_id": "acme", "image_id": "front"} {
		_ = mw.WriteField(k, v)
	}
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", `form-data; name="image"; filename="front.png"`)
	hdr.Set("Content-Type", "image/png")
	pw, _ := mw.CreatePart(hdr)
	if err := png.Encode(pw, img); err != nil {
		t.Fatal(err)
	}
	_ = mw.Close()
	req := httptest.NewRequest("POST", "/console/images", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if w := send(req); w.Code != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", w.Code, w.Body)
	}
	if called != 1 {
		t.Errorf("screening reloaded %d times after the upload, want 1", called)
	}
}
