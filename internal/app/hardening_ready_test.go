package app_test

import (
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestReadinessSharesOneRedisClient: /readyz pings Redis on one client
// made once (no connection per check), gives up within the request when
// Redis stalls, and recovers when it answers again.
func TestReadinessSharesOneRedisClient(t *testing.T) {
	t.Parallel()
	proxy, redisURL := redisThroughProxy(t)
	w := startWeb(t, map[string]string{"REDIS_URL": redisURL})

	before := proxy.accepted()
	for range 20 {
		if resp, body := get(t, "GET", w.base+"/readyz", nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("readyz: %d %s", resp.StatusCode, body)
		}
	}
	if n := proxy.accepted() - before; n > 1 {
		t.Errorf("20 readiness checks opened %d Redis connections, want at most 1", n)
	}
	readyWhileRedisStalls(t, proxy, w.base+"/readyz")
}

// TestWorkerReadinessFollowsRedis: the worker's /readyz says Redis is
// unavailable while it stalls, PostgreSQL still answering, and ready
// again once it answers.
func TestWorkerReadinessFollowsRedis(t *testing.T) {
	t.Parallel()
	proxy, redisURL := redisThroughProxy(t)
	w := startWeb(t, map[string]string{"REDIS_URL": redisURL})
	readyz := startWorkerListening(t, w) + "/readyz"
	untilReady(t, readyz, "once started")
	readyWhileRedisStalls(t, proxy, readyz)
}

// redisThroughProxy is this test's Redis behind a proxy that can stall.
func redisThroughProxy(t *testing.T) (*tcpProxy, string) {
	t.Helper()
	u, err := url.Parse(testenv.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.addr()
	return proxy, u.String()
}

// readyWhileRedisStalls checks that readyz says Redis, and only Redis, is
// unavailable while the proxy stalls, and ready again once it answers.
func readyWhileRedisStalls(t *testing.T, proxy *tcpProxy, readyz string) {
	t.Helper()
	proxy.stall()
	resp, body := get(t, "GET", readyz, nil)
	proxy.resume()
	var ready struct {
		Ready  bool              `json:"ready"`
		Checks map[string]string `json:"checks"`
	}
	mustJSON(t, []byte(body), &ready)
	if resp.StatusCode != http.StatusServiceUnavailable || ready.Ready ||
		ready.Checks["redis"] != "unavailable" || ready.Checks["postgres"] != "ok" {
		t.Errorf("readyz with Redis stalled: %d %s", resp.StatusCode, body)
	}
	untilReady(t, readyz, "after Redis answers again")
}

// untilReady polls readyz until it answers 200, failing after a deadline.
func untilReady(t *testing.T, readyz, when string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, body := get(t, "GET", readyz, nil)
		if resp.StatusCode == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz %s: %d %s", when, resp.StatusCode, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tcpProxy forwards to a server, counting connections; stalled, it holds
// back what clients send, as a hung server would.
type tcpProxy struct {
	l      net.Listener
	gate   sync.RWMutex // held for writing while stalled
	mu     sync.Mutex
	conns  int
	target string
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tcpProxy{l: l, target: target}
	var open []net.Conn
	var openMu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns++
			p.mu.Unlock()
			openMu.Lock()
			open = append(open, c, up)
			openMu.Unlock()
			go p.pipe(up, c)
			go p.pipe(c, up)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		openMu.Lock()
		defer openMu.Unlock()
		for _, c := range open {
			c.Close()
		}
	})
	return p
}

func (p *tcpProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.gate.RLock()
			_, werr := dst.Write(buf[:n])
			p.gate.RUnlock()
			if werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *tcpProxy) addr() string { return p.l.Addr().String() }
func (p *tcpProxy) stall()       { p.gate.Lock() }
func (p *tcpProxy) resume()      { p.gate.Unlock() }

func (p *tcpProxy) accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conns
}
