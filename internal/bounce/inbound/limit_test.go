package inbound

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/netip"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a time the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestLimiter(t *testing.T) {
	clk := newClock()
	l := newLimiter(5, 2, 3, clk.now)
	a := netip.MustParsePrefix("192.0.2.1/32")
	b := netip.MustParsePrefix("192.0.2.2/32")
	mustAdmit := func(key netip.Prefix, want bool, wantReason string) {
		t.Helper()
		ok, reason := l.admit(key)
		if ok != want || !strings.Contains(reason, wantReason) {
			t.Fatalf("admit(%s) = %v, %q; want %v, %q", key, ok, reason, want, wantReason)
		}
	}
	// Two at once from one client, not three.
	mustAdmit(a, true, "")
	mustAdmit(a, true, "")
	mustAdmit(a, false, "Too many connections from your address")
	// Closing one frees its slot; its token is spent for good.
	l.release(a)
	mustAdmit(a, true, "")
	l.release(a)
	l.release(a)
	// Three new ones a minute: the bucket is empty now.
	mustAdmit(a, false, "Too many new connections")
	// Others are not held back by a.
	mustAdmit(b, true, "")
	// A third of a minute brings one token back.
	clk.advance(20 * time.Second)
	mustAdmit(a, true, "")
	mustAdmit(a, false, "Too many new connections")
	// The total: b and a hold 2; three more from fresh clients fill it.
	for i := 3; i <= 5; i++ {
		mustAdmit(netip.MustParsePrefix("198.51.100."+string(rune('0'+i))+"/32"), true, "")
	}
	mustAdmit(netip.MustParsePrefix("198.51.100.9/32"), false, "Too many connections, try again later")
}

func TestLimiterForgetsIdleClients(t *testing.T) {
	clk := newClock()
	l := newLimiter(sweepAt*2, 1, 1, clk.now)
	for i := range sweepAt {
		key := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), 32)
		if ok, _ := l.admit(key); !ok {
			t.Fatalf("client %d refused", i)
		}
		l.release(key)
	}
	clk.advance(time.Minute) // every bucket full again
	if ok, _ := l.admit(netip.MustParsePrefix("192.0.2.77/32")); !ok {
		t.Fatal("refused")
	}
	if n := len(l.clients); n != 1 {
		t.Errorf("%d clients kept after a sweep, want the one with a connection open", n)
	}
}

func TestClientKey(t *testing.T) {
	for addr, want := range map[string]string{
		"192.0.2.1:25":                     "192.0.2.1/32",
		"[2001:db8:1:2:3:4:5:6]:25":        "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff:ffff:1:1]:587": "2001:db8:1:2::/64",
		"[::ffff:192.0.2.1]:25":            "192.0.2.1/32",
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := clientKey(a).String(); got != want {
			t.Errorf("clientKey(%s) = %s, want %s", addr, got, want)
		}
	}
}

// greeting dials the listener and returns its first reply line.
func greeting(t *testing.T, addr string) (net.Conn, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the greeting: %v", err)
	}
	return c, line
}

// TestConnectionLimitsOverTheWire checks that connections past a limit
// are told so with a 421 and closed, and that a freed slot is taken again.
func TestConnectionLimitsOverTheWire(t *testing.T) {
	clk := newClock()
	_, addr, _ := startServer(t, Options{MaxConnsPerIP: 2, ConnsPerMinute: 4}, func(s *Server) { s.now = clk.now })
	c1, g1 := greeting(t, addr)
	c2, g2 := greeting(t, addr)
	if !strings.HasPrefix(g1, "220 ") || !strings.HasPrefix(g2, "220 ") {
		t.Fatalf("greetings %q, %q", g1, g2)
	}
	c3, g3 := greeting(t, addr)
	c3.Close()
	if !strings.HasPrefix(g3, "421 4.7.0 ") || !strings.Contains(g3, "Too many connections from your address") {
		t.Errorf("third connection at once: %q, want a 421", g3)
	}
	c1.Close()
	// The server sees the close in its own time: wait for the slot.
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, g := greeting(t, addr)
		c.Close()
		if strings.HasPrefix(g, "220 ") {
			break
		}
		if !strings.Contains(g, "from your address") || time.Now().After(deadline) {
			t.Fatalf("after closing one: %q", g)
		}
		clk.advance(time.Minute) // the retries spend tokens: keep the bucket out of it
	}
	c2.Close()
}

// TestConnectionRateOverTheWire checks the number of new connections a
// client may open a minute.
func TestConnectionRateOverTheWire(t *testing.T) {
	clk := newClock()
	_, addr, _ := startServer(t, Options{MaxConnsPerIP: 50, ConnsPerMinute: 4}, func(s *Server) { s.now = clk.now })
	for i := range 4 {
		c, g := greeting(t, addr)
		defer c.Close()
		if !strings.HasPrefix(g, "220 ") {
			t.Fatalf("connection %d of 4: %q", i+1, g)
		}
	}
	c, g := greeting(t, addr)
	c.Close()
	if !strings.HasPrefix(g, "421 4.7.0 ") || !strings.Contains(g, "Too many new connections") {
		t.Errorf("fifth connection in a minute: %q, want a 421", g)
	}
	clk.advance(15 * time.Second) // a quarter of a minute: one token
	c, g = greeting(t, addr)
	c.Close()
	if !strings.HasPrefix(g, "220 ") {
		t.Errorf("a quarter of a minute later: %q, want the greeting", g)
	}
}

// TestSessionTimeout checks that a client that keeps sending commands
// still loses its connection when its session time is up.
func TestSessionTimeout(t *testing.T) {
	_, addr, _ := startServer(t, Options{SessionTimeout: 300 * time.Millisecond})
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mta.example.net"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for c.Noop() == nil {
		if time.Now().After(deadline) {
			t.Fatal("the connection outlived its session by far")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestStartTLS sends a report over STARTTLS when the listener offers it.
func TestStartTLS(t *testing.T) {
	cert, pool := selfSigned(t, "mx.bounce.example.com")
	_, addr, rec := startServer(t, Options{TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}})
	msg, err := os.ReadFile(filepath.Join("..", "testdata", "postfix-mailbox-full.eml"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mta.example.net"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not offered")
	}
	if err := c.StartTLS(&tls.Config{ServerName: "mx.bounce.example.com", RootCAs: pool}); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(""); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(string(toVERP.FindSubmatch(msg)[1])); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	w.Write(msg)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if evs := rec.got(); len(evs) != 1 || evs[0].DeliveryID != 1014 {
		t.Errorf("events %+v, want the soft bounce of 1014", evs)
	}
}

func selfSigned(t *testing.T, host string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
