package inbound

import (
	"net"
	"net/netip"
	"sync"
	"time"
)

// clientKey is who a limit counts against: the IPv4 address, or the /64
// of an IPv6 one (a single host is commonly handed a whole /64, so
// counting its addresses apart would be no limit at all).
func clientKey(addr net.Addr) netip.Prefix {
	var ip netip.Addr
	if ta, ok := addr.(*net.TCPAddr); ok {
		ip, _ = netip.AddrFromSlice(ta.IP)
	} else if ap, err := netip.ParseAddrPort(addr.String()); err == nil {
		ip = ap.Addr()
	}
	ip = ip.Unmap()
	bits := 32
	if ip.Is6() {
		bits = 64
	}
	p, err := ip.Prefix(bits)
	if err != nil {
		return netip.Prefix{}
	}
	return p
}

// limiter admits connections: at most maxConns at once in all, perIP at
// once from one client, and perMinute new ones a minute from one client
// (a token bucket holding perMinute tokens, so a client may open that many
// at once and then one every 60/perMinute seconds).
type limiter struct {
	maxConns, perIP, perMinute int
	now                        func() time.Time

	mu      sync.Mutex
	total   int
	clients map[netip.Prefix]*client
}

type client struct {
	open   int
	tokens float64
	at     time.Time // when tokens was last brought up to date
}

// sweepAt is how many idle clients the limiter keeps before it forgets
// those whose bucket has filled again.
const sweepAt = 4096

func newLimiter(maxConns, perIP, perMinute int, now func() time.Time) *limiter {
	return &limiter{maxConns: maxConns, perIP: perIP, perMinute: perMinute, now: now,
		clients: map[netip.Prefix]*client{}}
}

// admit takes a connection slot for key, or says why not.
func (l *limiter) admit(key netip.Prefix) (ok bool, reason string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c := l.clients[key]
	if c == nil {
		if len(l.clients) >= sweepAt {
			l.sweep(now)
		}
		c = &client{tokens: float64(l.perMinute), at: now}
		l.clients[key] = c
	}
	l.refill(c, now)
	switch {
	case l.total >= l.maxConns:
		return false, "Too many connections, try again later"
	case c.open >= l.perIP:
		return false, "Too many connections from your address, try again later"
	case c.tokens < 1:
		return false, "Too many new connections from your address, slow down"
	}
	c.tokens--
	c.open++
	l.total++
	return true, ""
}

// release gives back a slot admit took.
func (l *limiter) release(key netip.Prefix) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if c := l.clients[key]; c != nil {
		c.open--
	}
}

func (l *limiter) refill(c *client, now time.Time) {
	if elapsed := now.Sub(c.at); elapsed > 0 {
		c.tokens = min(float64(l.perMinute), c.tokens+elapsed.Minutes()*float64(l.perMinute))
		c.at = now
	}
}

// sweep forgets clients with no connection open and a full bucket: they
// would come back exactly as they are.
func (l *limiter) sweep(now time.Time) {
	for k, c := range l.clients {
		l.refill(c, now)
		if c.open == 0 && c.tokens >= float64(l.perMinute) {
			delete(l.clients, k)
		}
	}
}

// limitedListener applies a limiter to the connections it accepts: one
// over a limit is told so with a 421 (the sender tries again later) and
// closed, without ever reaching the SMTP server.
type limitedListener struct {
	net.Listener
	lim     *limiter
	session time.Duration // a connection's whole life, at most
	refuse  func(c net.Conn, reason string)
	conns   *connSet
}

// connSet is the connections open, so that a shutdown that runs out of
// time can close them.
type connSet struct {
	mu sync.Mutex
	m  map[*limitedConn]struct{}
}

func (s *connSet) add(c *limitedConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[*limitedConn]struct{}{}
	}
	s.m[c] = struct{}{}
}

func (s *connSet) remove(c *limitedConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, c)
}

// closeAll closes every connection open.
func (s *connSet) closeAll() {
	s.mu.Lock()
	open := make([]*limitedConn, 0, len(s.m))
	for c := range s.m {
		open = append(open, c)
	}
	s.mu.Unlock()
	for _, c := range open {
		c.Close()
	}
}

// Accept returns the next connection within the limits.
func (l *limitedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key := clientKey(c.RemoteAddr())
		if ok, reason := l.lim.admit(key); !ok {
			go l.refuse(c, reason)
			continue
		}
		lc := &limitedConn{Conn: c, deadline: time.Now().Add(l.session)}
		lc.release = func() {
			l.lim.release(key)
			l.conns.remove(lc)
		}
		l.conns.add(lc)
		// The whole session is bounded from the start, not only each read.
		c.SetDeadline(lc.deadline)
		return lc, nil
	}
}

// limitedConn gives its slot back when closed, and never lets a deadline
// run past the end of its session: go-smtp moves the read deadline on
// with every command, which alone would let a client that trickles
// commands hold the connection for ever.
type limitedConn struct {
	net.Conn
	deadline time.Time
	once     sync.Once
	release  func()
}

func (c *limitedConn) clamp(t time.Time) time.Time {
	if t.IsZero() || t.After(c.deadline) {
		return c.deadline
	}
	return t
}

// SetDeadline, SetReadDeadline and SetWriteDeadline set t, or the end
// of the session if that comes first.
func (c *limitedConn) SetDeadline(t time.Time) error      { return c.Conn.SetDeadline(c.clamp(t)) }
func (c *limitedConn) SetReadDeadline(t time.Time) error  { return c.Conn.SetReadDeadline(c.clamp(t)) }
func (c *limitedConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(c.clamp(t)) }

// Close closes the connection and gives its slot back, once.
func (c *limitedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
