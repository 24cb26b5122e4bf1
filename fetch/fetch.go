// Package fetch downloads listing images from URLs that sellers supply,
// without letting a URL reach inside the network Hallmark runs in (SSRF):
// every connection, redirects included, is checked at dial time against the
// address actually resolved, so a hostname that resolves to a private,
// loopback or link-local address is refused even if DNS changes between
// checks. Only http and https, with a timeout and a size limit.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Defaults.
const (
	DefaultMaxBytes     = 10 << 20
	DefaultTimeout      = 10 * time.Second
	DefaultMaxRedirects = 3
	maxURLLen           = 2048
)

// ErrForbiddenAddress is wrapped by errors for URLs that lead to an address
// outside the public internet.
var ErrForbiddenAddress = errors.New("address not allowed")

// ErrTooLarge is wrapped by errors for bodies over the size limit.
var ErrTooLarge = errors.New("response too large")

// Options configure a Fetcher. Zero values take the defaults.
type Options struct {
	MaxBytes     int64
	Timeout      time.Duration
	MaxRedirects int
	// Allow lists address ranges that may be reached although they are not
	// public (an internal image CDN, or loopback in tests).
	Allow []netip.Prefix
	// UserAgent identifies Hallmark to image hosts.
	UserAgent string
}

// Fetcher downloads with the checks above. It is safe for concurrent use.
type Fetcher struct {
	client   *http.Client
	maxBytes int64
	ua       string
}

// New returns a Fetcher.
func New(opts Options) *Fetcher {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "Hallmark-ImageFetcher/1"
	}
	allow := append([]netip.Prefix(nil), opts.Allow...)
	dialer := &net.Dialer{
		Timeout: opts.Timeout,
		// Control runs after resolution, on the address about to be dialled.
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
			}
			if !Permitted(ap.Addr(), allow) {
				return fmt.Errorf("%w: %s is not a public address", ErrForbiddenAddress, ap.Addr())
			}
			return nil
		},
	}
	transport := &http.Transport{
		// No proxy: a proxy would dial on our behalf and bypass the check.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   opts.Timeout,
		ResponseHeaderTimeout: opts.Timeout,
		MaxIdleConns:          16,
		IdleConnTimeout:       30 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	maxRedirects := opts.MaxRedirects
	client := &http.Client{
		Transport: transport,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("more than %d redirects", maxRedirects)
			}
			return checkURL(req.URL)
		},
	}
	return &Fetcher{client: client, maxBytes: opts.MaxBytes, ua: opts.UserAgent}
}

// Fetch downloads rawURL and returns its body.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) ([]byte, error) {
	if len(rawURL) > maxURLLen {
		return nil, fmt.Errorf("fetch: URL longer than %d bytes", maxURLLen)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch: invalid URL: %w", err)
	}
	if err := checkURL(u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", redact(u), err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", redact(u), err)
	}
	req.Header.Set("User-Agent", f.ua)
	req.Header.Set("Accept", "image/*")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", redact(u), unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: HTTP %d", redact(u), resp.StatusCode)
	}
	if resp.ContentLength > f.maxBytes {
		return nil, fmt.Errorf("fetch %s: %w (%d bytes, at most %d)", redact(u), ErrTooLarge, resp.ContentLength, f.maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", redact(u), err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, fmt.Errorf("fetch %s: %w (more than %d bytes)", redact(u), ErrTooLarge, f.maxBytes)
	}
	return body, nil
}

// checkURL refuses anything but http(s) URLs with a host and no credentials.
func checkURL(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return fmt.Errorf("scheme %q not allowed (want http or https)", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" {
		return errors.New("URL has no host")
	}
	if u.User != nil {
		return errors.New("URL must not carry credentials")
	}
	return nil
}

// Permitted reports whether addr may be dialled: a public unicast address,
// or one inside an allowed prefix.
func Permitted(addr netip.Addr, allow []netip.Prefix) bool {
	addr = addr.Unmap()
	for _, p := range allow {
		if p.Contains(addr) {
			return true
		}
	}
	switch {
	case !addr.IsValid(),
		addr.IsUnspecified(),
		addr.IsLoopback(),
		addr.IsPrivate(),
		addr.IsLinkLocalUnicast(),
		addr.IsLinkLocalMulticast(),
		addr.IsInterfaceLocalMulticast(),
		addr.IsMulticast():
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// nonPublic are ranges the netip predicates do not cover.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64: may embed a private IPv4
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4: may embed a private IPv4
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// redact drops the query string, which may carry signed tokens, from logs
// and errors.
func redact(u *url.URL) string {
	c := *u
	c.RawQuery, c.Fragment, c.User = "", "", nil
	return c.String()
}
