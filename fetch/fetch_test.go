package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

func TestFetchRefusesNonPublicAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) }))
	defer srv.Close()
	f := New(Options{})
	for _, u := range []string{
		srv.URL,
		strings.Replace(srv.URL, "127.0.0.1", "localhost", 1),
		"http://[::1]:1/x",
		"http://169.254.169.254/latest/meta-data/",
		"http://10.0.0.1/x",
		"http://0.0.0.0:1/",
		"http://[::ffff:127.0.0.1]:1/",
	} {
		_, err := f.Fetch(context.Background(), u)
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s: err = %v, want ErrForbiddenAddress", u, err)
		}
	}
}

func TestFetchAllowList(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("png")) }))
	defer srv.Close()
	b, err := New(Options{Allow: loopback}).Fetch(context.Background(), srv.URL+"/a.png?sig=abc")
	if err != nil || string(b) != "png" {
		t.Fatalf("fetch = %q, %v", b, err)
	}
}

func TestFetchRedirectToPrivateIsRefused(t *testing.T) {
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("internal")) }))
	defer inner.Close()
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(inner.URL, "127.0.0.1", "127.0.0.2", 1), http.StatusFound)
	}))
	defer outer.Close()
	// Only the outer server's address is allowed; the redirect target is not.
	allow := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	_, err := New(Options{Allow: allow}).Fetch(context.Background(), outer.URL)
	if !errors.Is(err, ErrForbiddenAddress) {
		t.Fatalf("err = %v", err)
	}
}

func TestFetchLimits(t *testing.T) {
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 2048))
	}))
	defer big.Close()
	chunked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 4; i++ {
			w.Write(make([]byte, 1024))
			w.(http.Flusher).Flush()
		}
	}))
	defer chunked.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
	}))
	defer slow.Close()
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()
	loop := httptest.NewServer(nil)
	loop.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, loop.URL, http.StatusFound) })
	defer loop.Close()

	f := New(Options{Allow: loopback, MaxBytes: 1024, Timeout: 100 * time.Millisecond})
	ctx := context.Background()
	if _, err := f.Fetch(ctx, big.URL); !errors.Is(err, ErrTooLarge) {
		t.Errorf("big: %v", err)
	}
	if _, err := f.Fetch(ctx, chunked.URL); !errors.Is(err, ErrTooLarge) {
		t.Errorf("chunked: %v", err)
	}
	if _, err := f.Fetch(ctx, slow.URL); err == nil {
		t.Error("slow: no timeout")
	}
	if _, err := f.Fetch(ctx, missing.URL); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("missing: %v", err)
	}
	if _, err := f.Fetch(ctx, loop.URL); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("loop: %v", err)
	}
}

func TestFetchRefusesBadURLs(t *testing.T) {
	f := New(Options{Allow: loopback})
	for _, u := range []string{"file:///etc/passwd", "gopher://x/", "http://", "http://user:pw@127.0.0.1/", "::::", "ftp://127.0.0.1/", "http://127.0.0.1/" + strings.Repeat("a", 3000)} {
		if _, err := f.Fetch(context.Background(), u); err == nil {
			t.Errorf("%q: accepted", u)
		}
	}
}

func TestPermitted(t *testing.T) {
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "1.1.1.1": true, "2606:4700::1111": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "::1": false,
		"fe80::1": false, "fc00::1": false, "::ffff:10.0.0.1": false, "224.0.0.1": false,
		"255.255.255.255": false, "2002:0a00:0001::": false, "64:ff9b::a00:1": false,
	} {
		if got := Permitted(netip.MustParseAddr(addr), nil); got != want {
			t.Errorf("Permitted(%s) = %v, want %v", addr, got, want)
		}
	}
}
