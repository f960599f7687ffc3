package testenv

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy is a TCP relay on loopback in front of a service a test uses
// (PostgreSQL, Redis), which the test can take down and bring back: a
// service that goes away while the program runs, without touching the
// service itself, which other tests may share.
type Proxy struct {
	// Addr is where the proxy listens: host:port on loopback, the same
	// across Refuse and Accept.
	Addr   string
	target string

	mu    sync.Mutex
	l     net.Listener // nil while refusing
	conns map[net.Conn]struct{}
}

// NewProxy starts a proxy to target (host:port), closed when the test ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testenv: listen for a proxy: %v", err)
	}
	p := &Proxy{Addr: l.Addr().String(), target: target, conns: map[net.Conn]struct{}{}}
	p.serve(l)
	t.Cleanup(p.Refuse)
	return p
}

// ProxyURL starts a proxy to the host and port of a service's URL and
// returns the proxy and the URL that reaches the service through it.
func ProxyURL(t testing.TB, raw string) (*Proxy, string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("testenv: proxy for %s: %v", redact(raw), err)
	}
	p := NewProxy(t, u.Host)
	u.Host = p.Addr
	return p, u.String()
}

// Refuse takes the service away: every connection through the proxy is
// cut, and new ones are refused, as when the service is down.
func (p *Proxy) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.l != nil {
		p.l.Close()
		p.l = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Accept brings the service back on the same address.
func (p *Proxy) Accept(t testing.TB) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.l != nil {
		return
	}
	l, err := net.Listen("tcp", p.Addr)
	if err != nil {
		t.Fatalf("testenv: listen again on %s: %v", p.Addr, err)
	}
	p.serveLocked(l)
}

func (p *Proxy) serve(l net.Listener) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.serveLocked(l)
}

func (p *Proxy) serveLocked(l net.Listener) {
	p.l = l
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go p.relay(l, c)
		}
	}()
}

// relay copies between a client and the service until either side ends
// or the proxy refuses.
func (p *Proxy) relay(l net.Listener, c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.l != l { // refused meanwhile
		p.mu.Unlock()
		c.Close()
		s.Close()
		return
	}
	p.conns[c], p.conns[s] = struct{}{}, struct{}{}
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		io.Copy(dst, src)
		done <- struct{}{}
	}
	go pipe(s, c)
	go pipe(c, s)
	<-done
	c.Close()
	s.Close()
	<-done
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, s)
	p.mu.Unlock()
}
