package ops

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// TestWebDrainsOnSIGTERM: from SIGTERM on, /readyz answers 503 while
// web still answers everything else for SHUTDOWN_DRAIN_DELAY (a load
// balancer's time to stop sending); a request on its way is answered;
// then no new connection is accepted, and web exits 0.
func TestWebDrainsOnSIGTERM(t *testing.T) {
	t.Parallel()
	r := newRig(t, 0, "")
	// The delay must outlast the checks below on a loaded machine; the
	// test takes about this long.
	web := r.start(bins.web, map[string]string{"SHUTDOWN_TIMEOUT": "40s", "SHUTDOWN_DRAIN_DELAY": "8s"})
	host := strings.TrimPrefix(web.http, "http://")

	// A sign-up whose body is still coming: the handler is waiting for it.
	body := `{"email":"slow.sender@example.org","countries":["CR"],"language":"en","mode":"any"}`
	slow := dial(t, host)
	fmt.Fprintf(slow, "POST /api/v1/subscriptions HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		host, len(body), body[:10])
	web.waitStatus(web.http+"/readyz", http.StatusOK, 10*time.Second)

	web.cmd.Process.Signal(syscallTERM)
	web.waitStatus(web.http+"/readyz", http.StatusServiceUnavailable, 5*time.Second)
	// Still serving while draining: a new connection is answered, and
	// told not to stay open.
	resp, err := http.Get(web.http + "/healthz")
	if err != nil {
		t.Fatalf("/healthz while draining: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !resp.Close {
		t.Errorf("/healthz while draining: %d, Connection: close %v; want 200 and close", resp.StatusCode, resp.Close)
	}
	if !web.running() {
		t.Fatal("web exited during the drain delay")
	}

	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", host, time.Second)
		if err != nil {
			break // refused: the listener is closed
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("web still accepts connections long after the drain delay")
		}
		time.Sleep(50 * time.Millisecond)
	}

	fmt.Fprint(slow, body[10:])
	if code, text := readStatus(t, slow); code != http.StatusAccepted {
		t.Errorf("the sign-up in flight at SIGTERM: %d %s, want 202", code, text)
	}
	if code := web.wait(30 * time.Second); code != 0 {
		t.Errorf("web exited %d, want 0", code)
	}
	if !strings.Contains(web.log.String(), "web draining") {
		t.Errorf("no line says web is draining in:\n%s", web.log.String())
	}
}

// TestWebStopsAtOnceOnSecondSignal: a second SIGTERM cuts the drain
// delay short; the requests in flight are still answered.
func TestWebStopsAtOnceOnSecondSignal(t *testing.T) {
	t.Parallel()
	r := newRig(t, 0, "")
	web := r.start(bins.web, map[string]string{"SHUTDOWN_DRAIN_DELAY": "10m"})
	web.cmd.Process.Signal(syscallTERM)
	web.waitStatus(web.http+"/readyz", http.StatusServiceUnavailable, 5*time.Second)
	web.cmd.Process.Signal(syscallTERM)
	// Far less than the ten minutes' delay.
	if code := web.wait(60 * time.Second); code != 0 {
		t.Errorf("web exited %d, want 0", code)
	}
}

// TestWorkerStopsMidEditionWithSlowRelay: SIGTERM while an edition goes
// out through a slow relay; the worker exits 0 within its shutdown
// timeout, leaves no delivery claimed, and a new worker finishes the
// edition with one message per reader.
func TestWorkerStopsMidEditionWithSlowRelay(t *testing.T) {
	t.Parallel()
	const readers = 120
	r := newRig(t, readers, "")
	r.smtp.Discard = true
	r.smtp.AfterData = func([]string) error { time.Sleep(150 * time.Millisecond); return nil }
	web := r.start(bins.web, nil)
	timing := map[string]string{"SMTP_TIMEOUT": "2s", "SHUTDOWN_TIMEOUT": "5s"}
	worker := r.start(bins.worker, timing)
	id := r.startEdition(web)
	r.waitEdition(id, time.Minute, "some sent", func(e domain.Edition) bool { return e.Sent >= 10 })

	if code := worker.stop(5*time.Second + 15*time.Second); code != 0 {
		t.Errorf("worker exited %d, want 0", code)
	}
	e, _ := r.db.Edition(r.ctx, id)
	if e.Status.Finished() {
		t.Fatalf("the edition finished before the worker stopped; send more or stop sooner")
	}
	if n := r.claimed(id); n != 0 {
		t.Errorf("%d deliveries left claimed by the stopped worker", n)
	}
	if !strings.Contains(worker.log.String(), `"outcome":"stopped"`) {
		t.Errorf("no task logged as stopped in:\n%s", worker.log.String())
	}
	r.start(bins.worker, timing)
	r.checkOnePerReader(id, readers)
}

// TestOutagesUnderRunningEdition: while an edition is sent, the
// database refuses the programs and drops their connections, then Redis
// goes away and comes back empty. /readyz fails during each outage and
// recovers after; neither program exits; the edition ends with exactly
// one message per reader.
func TestOutagesUnderRunningEdition(t *testing.T) {
	t.Parallel()
	const readers = 150
	redis := startRedis(t)
	r := newRig(t, readers, redis.url())
	r.smtp.Discard = true
	r.smtp.AfterData = func([]string) error { time.Sleep(40 * time.Millisecond); return nil }
	web := r.start(bins.web, nil)
	worker := r.start(bins.worker, nil)
	id := r.startEdition(web)
	r.waitEdition(id, time.Minute, "some sent", func(e domain.Edition) bool { return e.Sent >= 10 })

	// PostgreSQL: this test's database refuses new connections and its
	// open ones are ended.
	dbName := r.db.Pool().Config().ConnConfig.Database
	admin := r.db.Pool() // its own connections are ended too; the pool reconnects once allowed
	exec := func(sql string, args ...any) {
		t.Helper()
		ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
		defer cancel()
		if _, err := adminConn(t).Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`ALTER DATABASE ` + dbName + ` ALLOW_CONNECTIONS false`)
	exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, dbName)
	web.waitStatus(web.http+"/readyz", http.StatusServiceUnavailable, 30*time.Second)
	worker.waitStatus(worker.metrics+"/readyz", http.StatusServiceUnavailable, 30*time.Second)
	exec(`ALTER DATABASE ` + dbName + ` ALLOW_CONNECTIONS true`)
	web.waitStatus(web.http+"/readyz", http.StatusOK, 30*time.Second)
	worker.waitStatus(worker.metrics+"/readyz", http.StatusOK, 30*time.Second)
	_ = admin

	// Redis: stopped, then started again with nothing in it.
	before, _ := r.db.Edition(r.ctx, id)
	redis.stop()
	web.waitStatus(web.http+"/readyz", http.StatusServiceUnavailable, 30*time.Second)
	worker.waitStatus(worker.metrics+"/readyz", http.StatusServiceUnavailable, 30*time.Second)
	redis.start()
	web.waitStatus(web.http+"/readyz", http.StatusOK, 30*time.Second)
	worker.waitStatus(worker.metrics+"/readyz", http.StatusOK, 30*time.Second)
	if before.Status.Finished() {
		t.Fatalf("the edition finished before Redis went away; send more")
	}
	r.checkOnePerReader(id, readers)
	if !web.running() || !worker.running() {
		t.Errorf("a program exited during the outages: web %v, worker %v", web.err, worker.err)
	}
}

func dial(t *testing.T, host string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readStatus reads an HTTP answer from c: its status and its text.
func readStatus(t *testing.T, c net.Conn) (int, string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	bufio.NewReader(resp.Body).WriteTo(&b)
	return resp.StatusCode, b.String()
}
