package ingest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/errs"
)

func TestForbiddenReason(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1":                            "loopback",
		"127.8.9.10":                           "loopback",
		"::1":                                  "loopback",
		"::ffff:127.0.0.1":                     "loopback",
		"10.1.2.3":                             "private",
		"172.16.0.1":                           "private",
		"192.168.1.1":                          "private",
		"::ffff:10.0.0.1":                      "private",
		"fd00::1":                              "private",
		"169.254.169.254":                      "link-local",
		"fe80::1":                              "link-local",
		"0.0.0.0":                              "unspecified",
		"::":                                   "unspecified",
		"224.0.0.1":                            "multicast",
		"ff02::1":                              "multicast",
		"100.64.0.1":                           "carrier-grade NAT (shared)",
		"100.127.255.254":                      "carrier-grade NAT (shared)",
		"0.1.2.3":                              `"this network"`,
		"255.255.255.255":                      "reserved",
		"8.8.8.8":                              "",
		"100.128.0.1":                          "",
		"93.184.216.34":                        "",
		"2606:4700::1111":                      "",
		"64:ff9b::7f00:1":                      "NAT64 (embeds an IPv4 address)",
		"64:ff9b::a9fe:a9fe":                   "NAT64 (embeds an IPv4 address)",
		"64:ff9b:1::a00:1":                     "local NAT64 (embeds an IPv4 address)",
		"2002:7f00:1::1":                       "6to4 (embeds an IPv4 address)",
		"2002:c0a8:101::":                      "6to4 (embeds an IPv4 address)",
		"2001:0:4136:e378:8000:63bf:3fff:fdd2": "Teredo (embeds an IPv4 address)",
		"2001:db9::1":                          "",
	} {
		if got := ForbiddenReason(netip.MustParseAddr(addr)); got != want {
			t.Errorf("ForbiddenReason(%s) = %q, want %q", addr, got, want)
		}
	}
}

func TestDialerControlChecksTheDialledAddress(t *testing.T) {
	g := &guardedDialer{}
	for addr, refused := range map[string]bool{
		"127.0.0.1:80": true, "[::1]:443": true, "10.0.0.1:80": true, "169.254.169.254:80": true,
		"[::ffff:192.168.0.1]:80": true, "93.184.216.34:443": false, "[2606:4700::1111]:443": false,
	} {
		err := g.control("tcp", addr, nil)
		var ae *AddressError
		if refused != errors.As(err, &ae) {
			t.Errorf("control(%s) = %v; refused want %v", addr, err, refused)
		}
	}
	if err := (&guardedDialer{allowPrivate: true}).control("tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("with private networks allowed: %v", err)
	}
}

// fakeNet is DNS and a network under the test's control: names resolve
// to what hosts says, and dialling the public address pub reaches the
// loopback test server at real.
type fakeNet struct {
	hosts map[string][]string
	pub   string // a public address standing for the test server
	real  string // the test server's loopback address

	mu     sync.Mutex
	dialed []string
}

func (n *fakeNet) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, a := range n.hosts[host] {
		out = append(out, netip.MustParseAddr(a))
	}
	if out == nil {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return out, nil
}

func (n *fakeNet) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	n.dialed = append(n.dialed, addr)
	n.mu.Unlock()
	host, _, _ := net.SplitHostPort(addr)
	if host != n.pub {
		return nil, fmt.Errorf("test network: nothing at %s", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, n.real)
}

func (n *fakeNet) dials() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.dialed...)
}

// newFakeNet serves h on loopback and puts it at public.test.
func newFakeNet(t *testing.T, h http.Handler) (*fakeNet, *httptest.Server) {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	n := &fakeNet{
		pub:  "203.0.113.7",
		real: srv.Listener.Addr().String(),
		hosts: map[string][]string{
			"public.test":   {"203.0.113.7"},
			"mixed.test":    {"10.0.0.9", "203.0.113.7"},
			"loopback.test": {"127.0.0.1", "::1"},
			"rebind.test":   {"10.0.0.5"},
			"metadata.test": {"169.254.169.254"},
		},
	}
	return n, srv
}

func TestFetcherRefusesNonPublicAddresses(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	var self string // the server's own loopback URL
	n, srv := newFakeNet(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/to-loopback":
			http.Redirect(w, r, self+"/secret", http.StatusFound)
		case "/to-rebind":
			http.Redirect(w, r, "http://rebind.test/secret", http.StatusMovedPermanently)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusTemporaryRedirect)
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	self = srv.URL
	f := NewFetcher(FetcherConfig{Resolver: n, Dial: n.Dial})

	if got, err := f.Fetch(context.Background(), "http://public.test/feed", Validators{}); err != nil || string(got.Body) != "ok" {
		t.Fatalf("public address: %v", err)
	}
	if got, err := f.Fetch(context.Background(), "http://mixed.test/feed", Validators{}); err != nil || string(got.Body) != "ok" {
		t.Errorf("mixed answer: %v; want the public address used", err)
	}
	for _, u := range []string{
		"http://127.0.0.1/", "http://[::1]/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
		"http://100.64.1.1/", "http://[::ffff:127.0.0.1]/",
		"http://loopback.test/", "http://rebind.test/", "http://metadata.test/",
		"http://public.test/to-loopback", "http://public.test/to-rebind", "http://public.test/to-metadata",
	} {
		_, err := f.Fetch(context.Background(), u, Validators{})
		var ae *AddressError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), "INGEST_ALLOW_PRIVATE_NETWORKS") {
			t.Errorf("Fetch(%s) = %v; want a refused address", u, err)
		}
	}
	for _, d := range n.dials() {
		if !strings.HasPrefix(d, n.pub+":") {
			t.Errorf("dialled %s; only the public address may be dialled", d)
		}
	}
	for _, p := range paths {
		if p == "/secret" || strings.HasPrefix(p, "/latest") {
			t.Errorf("the server was asked for %s behind a refused redirect", p)
		}
	}
}

func TestFetcherAllowsPrivateNetworksWhenTold(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	if _, err := NewFetcher(FetcherConfig{}).Fetch(context.Background(), srv.URL, Validators{}); err == nil {
		t.Error("loopback fetched with private networks not allowed")
	}
	got, err := NewFetcher(FetcherConfig{AllowPrivate: true}).Fetch(context.Background(), srv.URL, Validators{})
	if err != nil || string(got.Body) != "ok" {
		t.Errorf("with private networks allowed: %v", err)
	}
}

func TestFetcherConditionalGET(t *testing.T) {
	const etag, modified = `"v1"`, "Wed, 16 Dec 2020 10:00:00 GMT"
	var mu sync.Mutex
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", modified)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss/>")
	}))
	defer srv.Close()
	f := NewFetcher(FetcherConfig{AllowPrivate: true})
	first, err := f.Fetch(context.Background(), srv.URL, Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || string(first.Body) != "<rss/>" || first.Validators != (Validators{etag, modified}) ||
		first.ContentType != "application/rss+xml" {
		t.Fatalf("first fetch: %+v", first)
	}
	second, err := f.Fetch(context.Background(), srv.URL, first.Validators)
	if err != nil || !second.NotModified || len(second.Body) != 0 || second.Validators != first.Validators {
		t.Fatalf("second fetch: %+v, %v; want 304 keeping the validators", second, err)
	}
	for _, ua := range agents {
		if !strings.Contains(ua, "newsdigest") {
			t.Errorf("User-Agent %q does not name newsdigest", ua)
		}
	}
}

func TestFetcherRedirectCap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		if _, err := fmt.Sscanf(r.URL.Path, "/hop/%d", &n); err == nil && n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
			return
		}
		fmt.Fprint(w, "arrived")
	}))
	defer srv.Close()
	f := NewFetcher(FetcherConfig{AllowPrivate: true})
	if got, err := f.Fetch(context.Background(), srv.URL+"/hop/5", Validators{}); err != nil || string(got.Body) != "arrived" ||
		got.URL != srv.URL+"/hop/0" {
		t.Errorf("5 redirects: %v; want followed to /hop/0", err)
	}
	if _, err := f.Fetch(context.Background(), srv.URL+"/hop/6", Validators{}); err == nil || !strings.Contains(err.Error(), "stopped after 5 redirects") {
		t.Errorf("6 redirects: %v; want stopped after 5", err)
	}
}

func TestFetcherRefusals(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			fmt.Fprint(w, strings.Repeat("x", 2000))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	f := NewFetcher(FetcherConfig{AllowPrivate: true, MaxBytes: 1000, Timeout: 300 * time.Millisecond})
	ctx := context.Background()
	if _, err := f.Fetch(ctx, srv.URL+"/big", Validators{}); !errs.Is(err, errs.TooLarge) || !strings.Contains(err.Error(), "larger than 1000 bytes") {
		t.Errorf("big body: %v; want too_large", err)
	}
	if _, err := f.Fetch(ctx, srv.URL+"/missing", Validators{}); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("404: %v", err)
	}
	if _, err := f.Fetch(ctx, srv.URL+"/slow", Validators{}); err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Errorf("slow server: %v; want a time-out", err)
	}
	if _, err := f.Fetch(ctx, srv.URL+"/to-file", Validators{}); err == nil || !strings.Contains(err.Error(), "only http and https") {
		t.Errorf("redirect to file: %v", err)
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/feed", "gopher://example.org", "/relative"} {
		if _, err := f.Fetch(ctx, u, Validators{}); !errs.Is(err, errs.Invalid) {
			t.Errorf("Fetch(%s) = %v; want refused as not http(s)", u, err)
		}
	}
}
