package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	redisServerHint = "install redis-server with `scripts/services.sh --with-redis-server` " +
		"(`make test` does it), or set TEST_REDIS_URL to a Redis database the tests may empty"
	// redisStartTimeout bounds the start of a test's own redis-server,
	// which takes some 20 ms on an idle machine.
	redisStartTimeout = 15 * time.Second
)

// RedisURL gives the test a Redis database to itself and returns its URL.
//
// By default the process starts one redis-server, on a free loopback port
// and without persistence, and gives each test a database number of its
// own on it, never given again; the database is emptied when the test
// ends, and the server is killed when the tests are done (Main) or with
// the test process, should that crash or time out. Database numbers keep
// tests apart as well as servers would: asynq keeps every key of its
// queues in the database it is given, and a test may flush its database
// at will (FLUSHDB, never FLUSHALL). A test that stops or restarts its
// Redis, which would pull it from under the others, cuts a Proxy instead.
//
// With TEST_REDIS_URL set, the test uses that database and nothing else on
// that server. Tests, in this process and in others, take turns at it (see
// sharedRedisURL): whoever gives that database gives it to be emptied.
func RedisURL(t testing.TB) string {
	t.Helper()
	if raw := os.Getenv("TEST_REDIS_URL"); raw != "" {
		return sharedRedisURL(t, raw)
	}
	srv, db, err := redisProc.database()
	if err != nil {
		t.Fatalf("testenv: %v; %s", err, redisServerHint)
	}
	url := fmt.Sprintf("redis://%s/%d", srv.addr, db)
	t.Cleanup(func() {
		c := redis.NewClient(&redis.Options{Addr: srv.addr, DB: db, PoolSize: 1, MaxRetries: -1})
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := c.FlushDBAsync(ctx).Err(); err != nil {
			t.Logf("testenv: empty Redis database %d: %v", db, err)
		}
	})
	return url
}

// redisDatabases is how many databases a shared server has; a process
// whose tests use them all starts another server.
const redisDatabases = 1024

// redisProcess is the process's shared redis-server and the next database
// number to give.
type redisProcess struct {
	mu      sync.Mutex
	servers []*redisServer // every one started, the last one in use
	next    int
}

var redisProc redisProcess

func (p *redisProcess) database() (*redisServer, int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.servers)
	if n == 0 || p.next == redisDatabases || p.servers[n-1].gone() {
		srv, err := startRedisServer("--databases", strconv.Itoa(redisDatabases))
		if err != nil {
			return nil, 0, err
		}
		p.servers, p.next = append(p.servers, srv), 0
	}
	db := p.next
	p.next++
	return p.servers[len(p.servers)-1], db, nil
}

// stop kills the servers; Main calls it when the tests are done.
func (p *redisProcess) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.servers {
		s.stop()
	}
	p.servers = nil
}

// redisServer is a redis-server process of a test's own.
type redisServer struct {
	url    string // database 0
	addr   string // host:port
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has been waited for
	out    *Output       // its log, for error messages
}

// startRedisServer starts redis-server on a free loopback port. The port is
// chosen by binding to port 0 and closing, so another process may take it
// before redis-server binds it: then the start is tried again on another.
func startRedisServer(args ...string) (*redisServer, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, errors.New("redis-server not found on PATH")
	}
	var errs []error
	for range 5 {
		srv, err := launchRedisServer(bin, args)
		if err == nil {
			return srv, nil
		}
		errs = append(errs, err)
		if !strings.Contains(err.Error(), "in use") {
			break
		}
	}
	return nil, errors.Join(errs...)
}

func launchRedisServer(bin string, args []string) (*redisServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	// redis-server needs a working directory (--dir); with saving and the
	// append-only file off it never writes there. The directory is
	// removed as soon as the server runs, so that nothing is left in the
	// temp dir even if the test process is killed before its cleanup.
	dir, err := os.MkdirTemp("", "newsdigest-redis-")
	if err != nil {
		return nil, fmt.Errorf("redis-server: %w", err)
	}
	defer os.RemoveAll(dir)
	srv := &redisServer{
		url:    fmt.Sprintf("redis://127.0.0.1:%d/0", port),
		addr:   fmt.Sprintf("127.0.0.1:%d", port),
		exited: make(chan struct{}),
		out:    &Output{Limit: 64 << 10},
	}
	srv.cmd = exec.Command(bin, "--save", "", "--appendonly", "no",
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--daemonize", "no", "--loglevel", "warning")
	srv.cmd.Args = append(srv.cmd.Args, args...)
	srv.cmd.Stdout, srv.cmd.Stderr = srv.out, srv.out
	srv.cmd.SysProcAttr = dieWithParent()
	// The child dies with the thread that started it (dieWithParent), and
	// a server may outlive the test that asked for it: the goroutine that
	// starts it keeps its thread until the server exits.
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := srv.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		srv.cmd.Wait()
		close(srv.exited)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("start redis-server: %w", err)
	}
	if err := srv.waitReady(port); err != nil {
		srv.stop()
		return nil, fmt.Errorf("redis-server on port %d: %w; its output: %s", port, err, srv.out.String())
	}
	return srv, nil
}

// waitReady polls until the server answers, and checks that what answers is
// this process, not another one that took the port first.
func (s *redisServer) waitReady(port int) error {
	ctx, cancel := context.WithTimeout(context.Background(), redisStartTimeout)
	defer cancel()
	c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port),
		MaxRetries: -1, DialTimeout: time.Second, PoolSize: 1})
	defer c.Close()
	want := "process_id:" + strconv.Itoa(s.cmd.Process.Pid) + "\r\n"
	for {
		info, err := c.Info(ctx, "server").Result()
		if err == nil {
			if !strings.Contains(info, want) {
				return errors.New("another Redis answers on the port (port in use)")
			}
			return nil
		}
		select {
		case <-s.exited:
			if strings.Contains(s.out.String(), "in use") {
				return errors.New("exited: port in use")
			}
			return errors.New("exited before answering")
		case <-ctx.Done():
			return fmt.Errorf("not answering after %s: %w", redisStartTimeout, err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// gone reports whether the server has exited.
func (s *redisServer) gone() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// stop kills the server: it keeps nothing worth a clean shutdown.
func (s *redisServer) stop() {
	s.cmd.Process.Kill()
	<-s.exited
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
