package testenv

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Program is a program under test run as an operator runs it: the test
// binary started again, whose TestMain runs the package's main when its
// environment asks it to. Its stderr (the log) is kept in Log.
type Program struct {
	Cmd *exec.Cmd
	Log *Output
}

// StartProgram starts the program with env added to this process's
// environment, bounded by within; it is killed when the test ends if it
// still runs.
func StartProgram(t testing.TB, within time.Duration, env ...string) *Program {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	p := &Program{Cmd: cmd, Log: &Output{}}
	cmd.Stderr = p.Log
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		cancel()
	})
	return p
}

// Readyz is the status /readyz answers at addr.
func Readyz(t testing.TB, addr string) int {
	t.Helper()
	c := http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// WaitReady asks /readyz at addr until it answers 200, failing the test,
// with the program's log, if it still fails after within.
func (p *Program) WaitReady(t testing.TB, addr string, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); Readyz(t, addr) != http.StatusOK; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still failing after %s; log:\n%s", within, p.Log)
		}
	}
}

// Stop sends SIGTERM, as an orchestrator does, and fails the test unless
// the program then exits 0.
func (p *Program) Stop(t testing.TB) {
	t.Helper()
	p.Cmd.Process.Signal(syscall.SIGTERM)
	if err := p.Cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v, want exit 0; log:\n%s", err, p.Log)
	}
}
