package testenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func redisClient(t *testing.T, url string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

// serverPID asks a Redis for its process id.
func serverPID(t *testing.T, c *redis.Client) int {
	t.Helper()
	info, err := c.Info(context.Background(), "server").Result()
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(info, "process_id:")
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(rest, "\n", 2)[0]))
	if err != nil {
		t.Fatalf("process_id in INFO: %v", err)
	}
	return pid
}

// gone reports whether a process has ended (a zombie counts: it has).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return os.IsNotExist(err)
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(after, "Z")
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("redis-server (pid %d) still runs", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRedisURLGivesEachTestADatabaseOfItsOwn: without TEST_REDIS_URL a
// test gets an empty database on the process's redis-server, which keeps no
// directory; no other RedisURL gets that database, and it is emptied when
// the test ends.
func TestRedisURLGivesEachTestADatabaseOfItsOwn(t *testing.T) {
	t.Setenv("TEST_REDIS_URL", "")
	var first string
	var pid int
	t.Run("user", func(t *testing.T) {
		first = RedisURL(t)
		c := redisClient(t, first)
		ctx := context.Background()
		if n, err := c.DBSize(ctx).Result(); err != nil || n != 0 {
			t.Fatalf("DBSIZE = %d, %v; want an empty database", n, err)
		}
		if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
		pid = serverPID(t, c)
		cfg, err := c.ConfigGet(ctx, "dir").Result()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(cfg["dir"]); !os.IsNotExist(err) {
			t.Errorf("the server's directory %s is still there (%v)", cfg["dir"], err)
		}
		second := RedisURL(t)
		other := redisClient(t, second)
		if second == first {
			t.Fatalf("two RedisURL calls gave the same database %s", first)
		}
		if serverPID(t, other) != pid {
			t.Errorf("two RedisURL calls in one process started two servers")
		}
		if err := other.Get(ctx, "k").Err(); !errors.Is(err, redis.Nil) {
			t.Errorf("the second database sees the first's key: %v", err)
		}
	})
	c := redisClient(t, first)
	if n, err := c.DBSize(context.Background()).Result(); err != nil || n != 0 {
		t.Errorf("after the test, DBSIZE of its database = %d, %v; want it emptied", n, err)
	}
	if gone(pid) {
		t.Errorf("the process's redis-server (pid %d) ended with one test", pid)
	}
}

// TestRedisProcessServers: database numbers are given once each; when a
// server's run out the next comes from a new server; stop ends them all.
func TestRedisProcessServers(t *testing.T) {
	var p redisProcess
	t.Cleanup(p.stop)
	a, dbA, err := p.database()
	if err != nil {
		t.Fatalf("%v; %s", err, redisServerHint)
	}
	b, dbB, err := p.database()
	if err != nil {
		t.Fatal(err)
	}
	if a != b || dbA != 0 || dbB != 1 {
		t.Errorf("two databases: %s/%d and %s/%d, want 0 and 1 on one server", a.addr, dbA, b.addr, dbB)
	}
	// The last database number of the server is what redis-server allows.
	p.next = redisDatabases - 1
	last, dbLast, err := p.database()
	if err != nil {
		t.Fatal(err)
	}
	if c := redisClient(t, fmt.Sprintf("redis://%s/%d", last.addr, dbLast)); c.Ping(context.Background()).Err() != nil {
		t.Errorf("database %d: %v", dbLast, c.Ping(context.Background()).Err())
	}
	next, dbNext, err := p.database()
	if err != nil {
		t.Fatal(err)
	}
	if next == a || dbNext != 0 {
		t.Errorf("after database %d came %s/%d, want database 0 of a new server", dbLast, next.addr, dbNext)
	}
	pids := []int{a.cmd.Process.Pid, next.cmd.Process.Pid}
	p.stop()
	for _, pid := range pids {
		waitGone(t, pid)
	}
}

// TestRedisServerDiesWithTheTestProcess kills a test process that started a
// redis-server, as a -timeout panic or a crash would end it, and waits
// for the server to go too.
func TestRedisServerDiesWithTheTestProcess(t *testing.T) {
	if os.Getenv("TESTENV_HELPER") == "start-redis" {
		srv, err := startRedisServer()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("pid %d\n", srv.cmd.Process.Pid)
		select {} // until killed
	}
	if runtime.GOOS != "linux" {
		t.Skip("only Linux kills a child with its parent (dieWithParent)")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRedisServerDiesWithTheTestProcess$")
	cmd.Env = append(os.Environ(), "TESTENV_HELPER=start-redis")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var pid int
	if _, err := fmt.Fscanf(out, "pid %d\n", &pid); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper did not start redis-server: %v", err)
	}
	if gone(pid) {
		t.Fatalf("redis-server (pid %d) is not running", pid)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	waitGone(t, pid)
}
