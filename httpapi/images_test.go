package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hallmark-dev/hallmark"
	"github.com/hallmark-dev/hallmark/fetch"
	"github.com/hallmark-dev/hallmark/screen"
)

func isImageRoute(p string) bool {
	for _, o := range imageOps {
		if o.method+" "+o.path == p {
			return true
		}
	}
	return false
}

// photo draws a deterministic photo-like picture: a smooth gradient with
// soft blobs, enough structure for PDQ to have a high quality.
func photo(seed uint64, w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, seed*7+1))
	type blob struct{ x, y, rad, cr, cg, cb float64 }
	blobs := make([]blob, 12)
	for i := range blobs {
		blobs[i] = blob{r.Float64() * float64(w), r.Float64() * float64(h), 20 + r.Float64()*float64(w)/3,
			r.Float64() * 255, r.Float64() * 255, r.Float64() * 255}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			cr, cg, cb := float64(x)*200/float64(w), float64(y)*200/float64(h), 100.0
			for _, b := range blobs {
				d := math.Hypot(float64(x)-b.x, float64(y)-b.y)
				if k := math.Exp(-d * d / (b.rad * b.rad)); k > 0.01 {
					cr, cg, cb = cr*(1-k)+b.cr*k, cg*(1-k)+b.cg*k, cb*(1-k)+b.cb*k
				}
			}
			img.Set(x, y, color.RGBA{uint8(cr), uint8(cg), uint8(cb), 255})
		}
	}
	// Sharp-edged shapes give the picture the detail a photo has.
	for i := 0; i < 25; i++ {
		x0, y0 := r.IntN(w), r.IntN(h)
		x1, y1 := x0+10+r.IntN(w/3), y0+10+r.IntN(h/3)
		c := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		for y := y0; y < y1 && y < h; y++ {
			for x := x0; x < x1 && x < w; x++ {
				img.Set(x, y, c)
			}
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mirror(src *image.RGBA) *image.RGBA {
	b := src.Bounds()
	out := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.Set(b.Max.X-1-(x-b.Min.X), y, src.At(x, y))
		}
	}
	return out
}

// newImageEnv is a test server on the real screening engine, whose fetcher
// may reach loopback (where the test's image host listens).
func newImageEnv(t *testing.T, allow []netip.Prefix) *testEnv {
	t.Helper()
	st := openTestStore(t)
	eng, err := screen.New(nil, screen.Options{Loader: st.ListBrands})
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, store: st, reg: prometheus.NewRegistry(), logs: &syncBuffer{}}
	api, err := New(Config{Store: st, Screener: imageEngine{eng}, Registry: e.reg, Clock: func() time.Time { return testNow },
		Logger:       slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelWarn})),
		ImageFetcher: fetch.New(fetch.Options{Allow: allow, Timeout: 5 * time.Second})})
	if err != nil {
		t.Fatal(err)
	}
	e.api = api
	e.srv = httptest.NewServer(api)
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	if e.admin, err = CreateAPIKey(ctx, st, "admin", hallmark.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if e.integ, err = CreateAPIKey(ctx, st, "integ", hallmark.RoleIntegration); err != nil {
		t.Fatal(err)
	}
	if err := st.PutSeller(ctx, &hallmark.Seller{ID: "s1", Name: "Seller One", CreatedAt: testNow.Add(-400 * 24 * time.Hour)}, "test"); err != nil {
		t.Fatal(err)
	}
	return e
}

// imageEngine rebuilds the protected-image index with the registry, as the
// binary does.
type imageEngine struct{ *screen.Engine }

func (r imageEngine) Reload(ctx context.Context) error {
	if err := r.Engine.Reload(ctx); err != nil {
		return err
	}
	idx := screen.NewBrandImages(31, 50)
	for _, b := range r.Engine.Registry().Brands() {
		for _, im := range b.Images {
			if err := idx.Add(im); err != nil {
				return err
			}
		}
	}
	r.Engine.SetImageIndex(idx)
	return nil
}

func (e *testEnv) sendImage(method, path, key, contentType string, data []byte) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(data))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+key)
	return e.send(req)
}

func TestStolenPhotoThroughTheAPI(t *testing.T) {
	genuine := photo(1, 320, 240)
	other := photo(2, 320, 240)
	// An image host on loopback, which only this test's fetcher may reach.
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/stolen-crop.jpg":
			w.Write(encodeJPEG(t, genuine.SubImage(image.Rect(32, 0, 320, 240)), 40))
		case "/own.jpg":
			w.Write(encodeJPEG(t, other, 80))
		default:
			http.NotFound(w, r)
		}
	}))
	defer host.Close()
	e := newImageEnv(t, []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")})

	if r := e.do("PUT", "/v1/brands/acme", e.admin, map[string]any{"name": "Acme", "category": "bags",
		"marks": []any{map[string]any{"text": "Acme", "kind": "word"}}}); r.status != 200 {
		t.Fatalf("put brand: %d %s", r.status, r.body)
	}
	r := e.sendImage("PUT", "/v1/brands/acme/images/front?label=Front+view", e.admin, "image/png", encodePNG(t, genuine))
	if r.status != 200 {
		t.Fatalf("put brand image: %d %s", r.status, r.body)
	}
	imgs := r.json(t)["images"].([]any)
	if len(imgs) != 1 || len(imgs[0].(map[string]any)["variants"].([]any)) == 0 {
		t.Fatalf("brand images = %v", imgs)
	}

	// A mirrored, re-encoded copy uploaded for a listing with no brand name.
	up := e.sendImage("POST", "/v1/uploads", e.integ, "image/jpeg", encodeJPEG(t, mirror(genuine), 30))
	if up.status != 201 {
		t.Fatalf("upload: %d %s", up.status, up.body)
	}
	ref := up.json(t)["ref"].(string)
	publish := func(id string, images ...string) map[string]any {
		t.Helper()
		r := e.do("POST", "/v1/listings", e.integ, map[string]any{"id": id, "seller_id": "s1", "title": "Leather shoulder bag, brown",
			"price": 120, "currency": "USD", "category": "bags", "images": images})
		if r.status != 201 {
			t.Fatalf("publish %s: %d %s", id, r.status, r.body)
		}
		return r.json(t)["decision"].(map[string]any)
	}
	for _, c := range []struct{ id, img string }{{"uploaded", ref}, {"by-url", host.URL + "/stolen-crop.jpg"}} {
		d := publish(c.id, c.img)
		if d["action"] == "allow" || d["brand_id"] != "acme" {
			t.Fatalf("%s: decision %v", c.id, d)
		}
		text := string(mustJSON(t, d["reasons"]))
		if !strings.Contains(text, "image_match") || !strings.Contains(text, "acme/front") && !strings.Contains(text, "front") || !strings.Contains(text, "distance") {
			t.Errorf("%s: reasons do not name the images and distance: %s", c.id, text)
		}
	}
	if d := publish("own-photo", host.URL+"/own.jpg"); d["action"] != "allow" {
		t.Errorf("an unrelated photo was held: %v", d)
	}

	// Withdrawing the photo stops the match.
	if r := e.do("DELETE", "/v1/brands/acme/images/front", e.admin, nil); r.status != 200 {
		t.Fatalf("delete image: %d %s", r.status, r.body)
	}
	if d := publish("after-withdrawal", ref); d["action"] != "allow" {
		t.Errorf("match after the photo was withdrawn: %v", d)
	}
}

func TestImageInputErrors(t *testing.T) {
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("not an image")) }))
	defer host.Close()
	// The default fetcher: loopback is refused, as any private address.
	e := newImageEnv(t, nil)
	listing := func(img string) map[string]any {
		return map[string]any{"id": "l1", "seller_id": "s1", "title": "Bag", "price": 10, "currency": "USD", "images": []any{img}}
	}
	cases := []struct {
		name  string
		r     resp
		code  int
		field string
	}{
		{"not an image", e.sendImage("POST", "/v1/uploads", e.integ, "image/png", []byte("hello")), 422, "image"},
		{"wrong type", e.sendImage("POST", "/v1/uploads", e.integ, "text/plain", []byte("hello")), 415, ""},
		{"too large", e.sendImage("POST", "/v1/uploads", e.integ, "image/png", make([]byte, DefaultMaxImageBytes+1)), 413, ""},
		{"truncated", e.sendImage("POST", "/v1/uploads", e.integ, "image/png", encodePNG(t, photo(3, 64, 64))[:200]), 422, "image"},
		{"bad ref", e.do("POST", "/v1/listings", e.integ, listing("photos/1.jpg")), 422, "images[0]"},
		{"unknown upload", e.do("POST", "/v1/listings", e.integ, listing("upload:"+strings.Repeat("a", 64))), 422, "images[0]"},
		{"private address", e.do("POST", "/v1/listings", e.integ, listing(host.URL+"/x.jpg")), 422, "images[0]"},
		{"metadata address", e.do("POST", "/v1/listings", e.integ, listing("http://169.254.169.254/latest/meta-data")), 422, "images[0]"},
		{"brand image no brand", e.sendImage("PUT", "/v1/brands/nobody/images/x", e.admin, "image/png", encodePNG(t, photo(4, 64, 64))), 404, ""},
		{"brand image wrong role", e.sendImage("PUT", "/v1/brands/nobody/images/x", e.integ, "image/png", encodePNG(t, photo(4, 64, 64))), 403, ""},
	}
	for _, c := range cases {
		if c.r.status != c.code {
			t.Errorf("%s: status %d, want %d: %s", c.name, c.r.status, c.code, c.r.body)
			continue
		}
		if c.field != "" {
			if f := c.r.json(t)["error"].(map[string]any)["field"]; f != c.field {
				t.Errorf("%s: field %v, want %s", c.name, f, c.field)
			}
		}
	}
	// Nothing was stored for the refused listings.
	if r := e.do("GET", "/v1/listings/l1", e.integ, nil); r.status != 404 {
		t.Errorf("a refused listing was stored: %d", r.status)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
