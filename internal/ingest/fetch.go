package ingest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"newsdigest/internal/errs"
)

// Defaults of a Fetcher.
const (
	DefaultFetchTimeout = 30 * time.Second
	DefaultMaxRedirects = 5
	DefaultUserAgent    = "newsdigest/1.0 (feed fetcher; self-hosted newsletter digest)"
)

// acceptFeeds asks for the formats the importer reads, best first.
const acceptFeeds = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/plain;q=0.8, */*;q=0.5"

// Resolver looks up a host's addresses; *net.Resolver is one, and tests
// pass their own so no real DNS is needed to test the address checks.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// FetcherConfig sets up a Fetcher; zero values take the defaults.
type FetcherConfig struct {
	// AllowPrivate lets the fetcher reach private, loopback, link-local and
	// other non-public addresses (INGEST_ALLOW_PRIVATE_NETWORKS).
	AllowPrivate bool
	UserAgent    string
	Timeout      time.Duration // whole request, body included
	MaxBytes     int64         // response body; default MaxFeedBytes
	MaxRedirects int

	// Resolver and Dial stand in for DNS and the network in tests; Dial
	// receives an IP address, never a name.
	Resolver Resolver
	Dial     func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Validators are the conditional-GET tokens a source keeps between polls.
type Validators struct {
	ETag         string
	LastModified string
}

// Fetched is the outcome of a successful fetch.
type Fetched struct {
	// NotModified is true when the server answered 304 to the validators:
	// nothing new, and Body is empty.
	NotModified bool
	Body        []byte
	URL         string // after redirects; resolves relative links
	ContentType string
	Validators  Validators // to send next time
}

// Fetcher downloads sources for the worker. It is built to fetch URLs that
// editors typed, from inside the operator's network: it refuses to connect
// to anything but public addresses (unless told otherwise), checked on the
// address actually dialled, for every connection and every redirect, so a
// DNS answer that changes between check and use (rebinding) gains nothing.
type Fetcher struct {
	client    *http.Client
	userAgent string
	maxBytes  int64
}

// NewFetcher builds a Fetcher.
func NewFetcher(cfg FetcherConfig) *Fetcher {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultFetchTimeout
	}
	if cfg.MaxBytes == 0 {
		cfg.MaxBytes = MaxFeedBytes
	}
	if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	g := &guardedDialer{allowPrivate: cfg.AllowPrivate, resolver: cfg.Resolver, dial: cfg.Dial}
	if g.resolver == nil {
		g.resolver = net.DefaultResolver
	}
	if g.dial == nil {
		// Control sees the socket address right before connect: a second
		// check that holds whatever resolved the name.
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: g.control}
		g.dial = d.DialContext
	}
	transport := &http.Transport{
		// No proxy: the address check must see the feed's host, not a
		// proxy's, and HTTP_PROXY from the environment would bypass it.
		Proxy:                  nil,
		DialContext:            g.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  cfg.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           16,
		IdleConnTimeout:        90 * time.Second,
	}
	maxRedirects := cfg.MaxRedirects
	client := &http.Client{
		Transport: transport,
		Timeout:   cfg.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			from := via[len(via)-1].URL.Host
			if len(via) > maxRedirects {
				return errs.New(errs.Unavailable, "%s: stopped after %d redirects", from, maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return errs.New(errs.Invalid, "%s: redirected to a %q URL: only http and https are fetched", from, req.URL.Scheme)
			}
			return nil
		},
	}
	return &Fetcher{client: client, userAgent: cfg.UserAgent, maxBytes: cfg.MaxBytes}
}

// Fetch GETs rawURL, sending v as If-None-Match / If-Modified-Since. A 304
// is a success with NotModified set. Any other status than 2xx, a body over
// the limit (errs.TooLarge), a refused address (*AddressError) or a network
// failure is an *errs.Error whose message is fit to show an editor (see
// fetch_errors.go), with the Go error behind it.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, v Validators) (*Fetched, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errs.New(errs.Invalid, "url: only absolute http and https URLs are fetched")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", acceptFeeds)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fetchError(u, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return &Fetched{NotModified: true, URL: final, Validators: v}, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		// Drain a little so the connection can be reused.
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
		err := statusError(final, resp.StatusCode, resp.Status)
		// A server busy or rate-limiting may say when to come back.
		busy := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable
		if wait := retryAfter(resp.Header.Get("Retry-After"), time.Now()); busy && wait > 0 {
			err = &WaitError{error: err, Wait: wait}
		}
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, fetchError(resp.Request.URL, err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, tooLarge(final, f.maxBytes)
	}
	return &Fetched{
		Body:        body,
		URL:         final,
		ContentType: resp.Header.Get("Content-Type"),
		Validators:  Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")},
	}, nil
}

// AddressError is a connection refused because of where it would go.
type AddressError struct {
	Host   string // the name asked for, if any
	Addr   netip.Addr
	Reason string // "loopback", "private", …
}

func (e *AddressError) Error() string { return fmt.Sprintf(addressRefusal, e.where(), e.Reason) }

// guardedDialer resolves names itself, so the address it checks is the one
// it connects to.
type guardedDialer struct {
	allowPrivate bool
	resolver     Resolver
	dial         func(ctx context.Context, network, addr string) (net.Conn, error)
}

// DialContext connects to the first usable address of addr's host that
// passes the check; if none passes, it says why the first was refused.
func (g *guardedDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		ips = []netip.Addr{ip}
	} else if ips, err = g.resolver.LookupNetIP(ctx, "ip", host); err != nil {
		return nil, err
	}
	var refused, lastErr error
	for _, ip := range ips {
		if reason := ForbiddenReason(ip); reason != "" && !g.allowPrivate {
			if refused == nil {
				refused = &AddressError{Host: host, Addr: ip.Unmap(), Reason: reason}
			}
			continue
		}
		conn, err := g.dial(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	if lastErr != nil {
		return nil, lastErr
	}
	if refused != nil {
		return nil, refused
	}
	return nil, &net.DNSError{Err: "no address found", Name: host, IsNotFound: true}
}

// control is net.Dialer's last look at the address being connected to.
func (g *guardedDialer) control(_, address string, _ syscall.RawConn) error {
	if g.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refused to connect to %q: not an IP address", address)
	}
	if reason := ForbiddenReason(ap.Addr()); reason != "" {
		return &AddressError{Addr: ap.Addr().Unmap(), Reason: reason}
	}
	return nil
}

// nonPublic lists ranges that are not the public internet beyond what
// netip's predicates cover.
var nonPublic = []struct {
	prefix netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT (shared)"},
	{netip.MustParsePrefix("0.0.0.0/8"), "\"this network\""},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignment"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	// IPv6 prefixes that carry an IPv4 address, which a translator or relay
	// on the way would reach for us: 64:ff9b::7f00:1 is 127.0.0.1 behind
	// NAT64, 2002:7f00:1:: is it over 6to4. Refused whole, whatever they
	// embed.
	{netip.MustParsePrefix("64:ff9b::/96"), "NAT64 (embeds an IPv4 address)"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local NAT64 (embeds an IPv4 address)"},
	{netip.MustParsePrefix("2002::/16"), "6to4 (embeds an IPv4 address)"},
	{netip.MustParsePrefix("2001::/32"), "Teredo (embeds an IPv4 address)"},
}

// ForbiddenReason says why ip is not a public address the fetcher may
// reach ("loopback", "private", …), or "" if it is. IPv4 addresses
// written as IPv6 (::ffff:127.0.0.1) are judged as IPv4.
func ForbiddenReason(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "invalid"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	}
	for _, r := range nonPublic {
		if r.prefix.Contains(ip) {
			return r.reason
		}
	}
	return ""
}

// CheckSourceURL refuses, when a source is registered, a URL whose host is
// written as a non-public address or is "localhost": the fetcher would
// refuse it on every poll. Names are resolved only when fetched.
func CheckSourceURL(u *url.URL, allowPrivate bool) error {
	if allowPrivate {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return errs.New(errs.Invalid, "url: %s is this machine, which this server does not fetch from unless its operator allows private networks (INGEST_ALLOW_PRIVATE_NETWORKS, see the README)", host)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if reason := ForbiddenReason(ip); reason != "" {
			return errs.New(errs.Invalid, "url: %s is a %s address, which this server does not fetch from unless its operator allows private networks (INGEST_ALLOW_PRIVATE_NETWORKS, see the README)", host, reason)
		}
	}
	return nil
}
