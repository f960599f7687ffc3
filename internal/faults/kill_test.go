package faults

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"newsdigest/internal/domain"
)

// TestWorkersKilledMidEdition: every worker process is SIGKILLed while the
// edition sends; one new worker finishes it once the dead ones' leases run
// out. Only deliveries claimed and not recorded when the workers died may
// be sent twice.
//
// It takes a minute and a half, nearly all of it waiting, and that wait is
// what the test is about: the dead workers' claims hold for the binary's
// lease (editions.DefaultLease, a minute), and their tasks stay active in
// the queue until the queue's own lease on them lapses and its recoverer
// (once a minute) hands them back; only then may the new worker take them.
func TestWorkersKilledMidEdition(t *testing.T) {
	t.Parallel()
	r := newRig(t, subscribers)
	bin := buildWorker(t)
	var procs []*exec.Cmd
	for range 2 {
		procs = append(procs, r.startWorkerProcess(bin))
	}
	id := r.startEdition()
	r.waitFor(id, time.Minute, "some sent", func(e domain.Edition) bool { return e.Sent >= subscribers/4 })
	for _, p := range procs {
		p.Process.Signal(syscall.SIGKILL)
		p.Wait()
	}
	e, _ := r.db.Edition(r.ctx, id)
	if e.Status == domain.EditionDone {
		t.Fatalf("the edition finished before the workers were killed; send more or kill sooner")
	}
	// Nothing runs now: what is claimed and unrecorded stays so until the
	// new worker takes it over.
	inFlight := r.unrecorded(id)
	r.startWorkerProcess(bin)
	r.check(id, nil, inFlight)
}

// buildWorker compiles cmd/worker once for the test.
func buildWorker(t *testing.T) string {
	t.Helper()
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	bin := filepath.Join(t.TempDir(), "worker")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", bin, "newsdigest/cmd/worker")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build worker: %v\n%s", err, out)
	}
	return bin
}

// startWorkerProcess runs the worker binary with the rig's settings; it is
// killed when the test ends.
func (r *rig) startWorkerProcess(bin string) *exec.Cmd {
	r.t.Helper()
	cmd := exec.Command(bin)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range r.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd
}

// wipeRedis empties the worker's Redis database: every queued, scheduled,
// retrying and active task record is gone.
func wipeRedis(t *testing.T, url string) {
	t.Helper()
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	if err := c.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
}
