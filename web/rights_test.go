package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hallmark-dev/hallmark/notice"
	"github.com/hallmark-dev/hallmark/web"
)

// genuinePNG is a photo with enough structure for a good perceptual hash.
func genuinePNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for y := 0; y < 256; y++ {
		for x := 0; x < 256; x++ {
			v := uint8((x*x/7 + y*3 + (x ^ y)) % 256)
			if (x/32+y/32)%2 == 0 {
				v = 255 - v
			}
			img.Set(x, y, color.RGBA{v, uint8(x), uint8(y), 255})
		}
	}
	var b bytes.Buffer
	must(t, png.Encode(&b, img))
	return b.Bytes()
}

// upload posts a multipart form with one file part.
func (c *client) upload(path string, fields map[string]string, file, ctype string, data []byte) (*http.Response, string) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		must(c.t, mw.WriteField(k, v))
	}
	if file != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="image"; filename="`+file+`"`)
		h.Set("Content-Type", ctype)
		pw, err := mw.CreatePart(h)
		must(c.t, err)
		_, err = pw.Write(data)
		must(c.t, err)
	}
	must(c.t, mw.Close())
	req, err := http.NewRequest("POST", c.base+path, &body)
	must(c.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := noRedirect.Do(req)
	must(c.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(c.t, err)
	return res, string(b)
}

func TestRightsPages(t *testing.T) {
	f := newFixture(t)
	a := f.client(t)
	a.login("acme@example.com")
	res, page := a.do("GET", "/console/rights", nil)
	if res.StatusCode != 200 || !strings.Contains(page, "ACME") || !strings.Contains(page, `id="right-form"`) ||
		!strings.Contains(page, `<label for="right-classes">`) {
		t.Fatalf("rights page: %s\n%s", res.Status, page)
	}
	if strings.Contains(page, "BOLT") {
		t.Error("brand A sees brand B's right")
	}
	csrf := csrfOf(t, page)
	form := url.Values{"brand_id": {"acme"}, "mark": {"ACME RUNNER"}, "number": {"987654"}, "office": {"euipo"},
		"classes": {"25, 18"}, "owner": {"Acme Inc."}, "documents": {"https://example.com/cert.pdf\nref 42\n"}}
	if res, _ := a.do("POST", "/console/rights", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("submit without CSRF: %s", res.Status)
	}
	form.Set("csrf", csrf)
	form.Set("classes", "25, shoes")
	if res, page := a.do("POST", "/console/rights", form); res.StatusCode != 422 || !strings.Contains(page, "Nice classes") ||
		!strings.Contains(page, `value="ACME RUNNER"`) {
		t.Errorf("bad classes: %s\n%s", res.Status, page)
	}
	form.Set("brand_id", "bolt")
	form.Set("classes", "25, 18")
	if res, _ := a.do("POST", "/console/rights", form); res.StatusCode != 404 {
		t.Errorf("a right for another tenant's brand: %s", res.Status)
	}
	form.Set("brand_id", "acme")
	if res, body := a.do("POST", "/console/rights", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %s\n%s", res.Status, body)
	}
	_, page = a.do("GET", "/console/rights?submitted=1", nil)
	if !strings.Contains(page, "ACME RUNNER") || !strings.Contains(page, "EUIPO 987654") || !strings.Contains(page, "25, 18") ||
		!strings.Contains(page, "https://example.com/cert.pdf") || !strings.Contains(page, ">pending<") {
		t.Fatalf("submitted right not listed:\n%s", page)
	}
	rights, err := f.td.ListRights(context.Background(), admin, notice.Filter{Status: "pending"})
	must(t, err)
	if len(rights) != 1 {
		t.Fatalf("pending rights: %d", len(rights))
	}
	rid := itoa(rights[0].ID)

	// The rights holder cannot decide its own right; brand B does not see it.
	if res, _ := a.do("POST", "/console/rights/"+rid+"/decision", url.Values{"csrf": {csrf}, "decision": {"verify"}}); res.StatusCode != 404 {
		t.Errorf("rights holder decides: %s", res.Status)
	}
	o := f.client(t)
	o.login("bolt@example.com")
	if _, page := o.do("GET", "/console/rights", nil); strings.Contains(page, "ACME") {
		t.Error("brand B sees brand A's rights")
	}
	// A seller has no rights page.
	s := f.client(t)
	s.login("seller@example.com")
	if res, _ := s.do("GET", "/console/rights", nil); res.StatusCode != 404 {
		t.Errorf("seller GET rights: %s", res.Status)
	}

	r := f.client(t)
	r.login("reviewer@example.com")
	_, page = r.do("GET", "/console/rights", nil)
	if !strings.Contains(page, `id="decide-right-`+rid+`"`) || strings.Contains(page, `id="right-form"`) {
		t.Fatalf("staff rights page:\n%s", page)
	}
	rcsrf := csrfOf(t, page)
	if res, page := r.do("POST", "/console/rights/"+rid+"/decision", url.Values{"csrf": {rcsrf}, "decision": {"reject"}}); res.StatusCode != 422 {
		t.Errorf("reject without a reason: %s\n%s", res.Status, page)
	}
	if res, _ := r.do("POST", "/console/rights/"+rid+"/decision", url.Values{"csrf": {rcsrf}, "decision": {"reject"}, "reason": {"the certificate names another owner"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %s", res.Status)
	}
	if res, _ := r.do("POST", "/console/rights/"+rid+"/decision", url.Values{"csrf": {rcsrf}, "decision": {"verify"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("decide twice: %s", res.Status)
	}
	if res, _ := r.do("POST", "/console/rights/99999/decision", url.Values{"csrf": {rcsrf}, "decision": {"verify"}}); res.StatusCode != 404 {
		t.Errorf("decide a missing right: %s", res.Status)
	}
	_, page = a.do("GET", "/console/rights", nil)
	if !strings.Contains(page, `id="right-status-`+rid+`">rejected<`) || !strings.Contains(page, "the certificate names another owner") {
		t.Errorf("the rights holder does not see the rejection and its reason:\n%s", page)
	}
}

func TestGenuinePhotos(t *testing.T) {
	f := newFixture(t)
	a := f.client(t)
	a.login("acme@example.com")
	res, page := a.do("GET", "/console/images", nil)
	if res.StatusCode != 200 || !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `<label for="image-file">`) {
		t.Fatalf("images page: %s\n%s", res.Status, page)
	}
	if res.Header.Get("Content-Security-Policy") != web.ContentSecurityPolicy || !strings.Contains(web.ContentSecurityPolicy, "form-action 'self'") {
		t.Errorf("CSP: %q", res.Header.Get("Content-Security-Policy"))
	}
	csrf := csrfOf(t, page)
	photo := genuinePNG(t)
	fields := map[string]string{"csrf": csrf, "brand_id": "acme", "image_id": "runner-side", "label": "Runner, side view"}

	if res, _ := a.upload("/console/images", map[string]string{"brand_id": "acme", "image_id": "x"}, "a.png", "image/png", photo); res.StatusCode != http.StatusForbidden {
		t.Errorf("upload without CSRF: %s", res.Status)
	}
	if res, page := a.upload("/console/images", fields, "a.txt", "text/plain", []byte("hello")); res.StatusCode != 422 || !strings.Contains(page, "JPEG, PNG, GIF or WebP") {
		t.Errorf("a text file: %s", res.Status)
	}
	if res, page := a.upload("/console/images", fields, "a.png", "image/png", []byte("not a png")); res.StatusCode != 422 || !strings.Contains(page, "could not be read") {
		t.Errorf("a broken image: %s\n%s", res.Status, page)
	}
	big := bytes.Repeat([]byte{0}, 17<<20)
	if res, _ := a.upload("/console/images", fields, "a.png", "image/png", big); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 17 MiB file: %s", res.Status)
	}
	other := map[string]string{"csrf": csrf, "brand_id": "bolt", "image_id": "x"}
	if res, _ := a.upload("/console/images", other, "a.png", "image/png", photo); res.StatusCode != 404 {
		t.Errorf("upload to another tenant's brand: %s", res.Status)
	}
	if f.reloads.Load() != 0 {
		t.Errorf("reloaded %d times before anything changed", f.reloads.Load())
	}
	if res, page := a.upload("/console/images", fields, "runner.png", "image/png", photo); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %s\n%s", res.Status, page)
	}
	if f.reloads.Load() != 1 {
		t.Errorf("screening reloads after the upload: %d", f.reloads.Load())
	}
	b, err := f.st.GetBrand(context.Background(), "acme")
	must(t, err)
	if len(b.Images) != 1 || b.Images[0].ID != "runner-side" || len(b.Images[0].PDQ) != 64 || len(b.Images[0].Variants) == 0 {
		t.Fatalf("stored images: %+v", b.Images)
	}
	_, page = a.do("GET", "/console/images?added=runner-side", nil)
	if !strings.Contains(page, `id="image-runner-side"`) || !strings.Contains(page, "Runner, side view") || !strings.Contains(page, `id="added"`) {
		t.Errorf("images page after upload:\n%s", page)
	}
	if res, _ := a.do("GET", "/console/images?brand=bolt", nil); res.StatusCode != 404 {
		t.Errorf("another tenant's photos: %s", res.Status)
	}
	o := f.client(t)
	o.login("bolt@example.com")
	_, opage := o.do("GET", "/console/images", nil)
	if strings.Contains(opage, "runner-side") {
		t.Error("brand B sees brand A's photo")
	}
	if res, _ := o.do("POST", "/console/images/runner-side/delete", url.Values{"csrf": {csrfOf(t, opage)}, "brand_id": {"acme"}}); res.StatusCode != 404 {
		t.Errorf("brand B removes brand A's photo: %s", res.Status)
	}
	r := f.client(t)
	r.login("reviewer@example.com")
	if res, _ := r.do("GET", "/console/images", nil); res.StatusCode != 404 {
		t.Errorf("reviewer GET images: %s", res.Status)
	}
	if res, _ := a.do("POST", "/console/images/nope/delete", url.Values{"csrf": {csrf}, "brand_id": {"acme"}}); res.StatusCode != 404 {
		t.Errorf("remove a missing photo: %s", res.Status)
	}
	if res, _ := a.do("POST", "/console/images/runner-side/delete", url.Values{"csrf": {csrf}, "brand_id": {"acme"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %s", res.Status)
	}
	b, err = f.st.GetBrand(context.Background(), "acme")
	must(t, err)
	if len(b.Images) != 0 || f.reloads.Load() != 2 {
		t.Errorf("after removal: %d images, %d reloads", len(b.Images), f.reloads.Load())
	}
}

func TestNoticeListingSearch(t *testing.T) {
	f := newFixture(t)
	a := f.client(t)
	a.login("acme@example.com")
	res, page := a.do("GET", "/console/notices/new", nil)
	if res.StatusCode != 200 || !strings.Contains(page, `id="tick-l-acme-held"`) || !strings.Contains(page, `id="tick-l-acme-photo"`) {
		t.Fatalf("notice form lists no screened listings: %s\n%s", res.Status, page)
	}
	if strings.Contains(page, "l-bolt-held") {
		t.Error("brand A's search shows brand B's listing")
	}
	// Newest first: the photo listing was screened last.
	if strings.Index(page, "tick-l-acme-photo") > strings.Index(page, "tick-l-acme-held") {
		t.Error("search results are not newest first")
	}
	_, page = a.do("GET", "/console/notices/new?brand=acme&q=rep1ica", nil)
	if !strings.Contains(page, "tick-l-acme-held") || strings.Contains(page, "tick-l-acme-photo") || strings.Contains(page, "tick-l-acme-low") {
		t.Errorf("title filter:\n%s", page)
	}
	if res, _ := a.do("GET", "/console/notices/new?brand=bolt", nil); res.StatusCode != 404 {
		t.Errorf("search another tenant's brand: %s", res.Status)
	}
	csrf := csrfOf(t, page)
	form := url.Values{"csrf": {csrf}, "brand_id": {"acme"}, "right_id": {itoa(f.rightA)}, "listing": {"l-acme-held", "l-acme-low"},
		"listing_ids": {"l-acme-active\nl-acme-low"}, "explanation": {"Copies."}, "good_faith": {"yes"},
		"contact_name": {"Alice"}, "contact_email": {"alice@example.com"}}
	res, body := a.do("POST", "/console/notices", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("file with ticked listings: %s\n%s", res.Status, body)
	}
	_, page = a.do("GET", res.Header.Get("Location"), nil)
	for _, id := range []string{"l-acme-active", "l-acme-held", "l-acme-low"} {
		if !strings.Contains(page, id) {
			t.Errorf("notice lacks %s:\n%s", id, page)
		}
	}
	// A mistake keeps the ticked listings, in the text box.
	form.Set("listing_ids", "")
	form["listing"] = []string{"l-acme-held", "no-such-listing"}
	res, page = a.do("POST", "/console/notices", form)
	if res.StatusCode != 422 || !strings.Contains(page, "l-acme-held\nno-such-listing") {
		t.Errorf("failed notice: %s\n%s", res.Status, page)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
