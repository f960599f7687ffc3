package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// workerProc is the real worker binary running as a child process. A
// separate process is what lets the benchmark read the worker's own peak
// memory from /proc, apart from the benchmark's seeding and SMTP sink.
type workerProc struct {
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{} // closed when the process has ended
	waitErr error         // valid once exited is closed

	mu      sync.Mutex
	maxRSS  int64 // largest VmRSS sampled, in kB
	stopped bool
}

// repoRoot finds the module root above the benchmark's directory, so that
// `go build ./cmd/worker` builds the code under test whatever the caller's
// working directory was.
func repoRoot(b *testing.B) string {
	b.Helper()
	dir, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			b.Fatal("bench: no go.mod above the benchmark directory")
		}
		dir = parent
	}
}

// buildWorker compiles cmd/worker into dir and returns the binary's path.
func buildWorker(b *testing.B, dir string) string {
	b.Helper()
	goBin, err := exec.LookPath("go") // `go test` puts its own go first on PATH
	if err != nil {
		b.Fatalf("bench: go tool not found on PATH: %v", err)
	}
	bin := filepath.Join(dir, "worker")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/worker")
	cmd.Dir = repoRoot(b)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("bench: go build ./cmd/worker: %v\n%s", err, out)
	}
	return bin
}

// startWorker runs bin with env added to the benchmark's environment. Its
// log goes to a file (printed in part if the benchmark fails); b's cleanup
// kills it if the benchmark did not stop it.
func startWorker(b *testing.B, bin string, env map[string]string) *workerProc {
	b.Helper()
	logPath := filepath.Join(filepath.Dir(bin), "worker.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = os.Environ() // later entries win: ours override anything inherited
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		b.Fatalf("bench: start worker: %v", err)
	}
	w := &workerProc{cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() {
		w.waitErr = cmd.Wait()
		logFile.Close()
		close(w.exited)
	}()
	go w.sampleRSS()
	b.Cleanup(func() {
		select {
		case <-w.exited:
		default:
			cmd.Process.Kill()
			<-w.exited
		}
	})
	return w
}

// sampleRSS keeps the largest resident set seen. VmHWM, read at the end,
// is the kernel's own peak; the samples are a check on it and a fallback.
func (w *workerProc) sampleRSS() {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-w.exited:
			return
		case <-t.C:
			if kb, err := procStatusKB(w.cmd.Process.Pid, "VmRSS"); err == nil {
				w.mu.Lock()
				w.maxRSS = max(w.maxRSS, kb)
				w.mu.Unlock()
			}
		}
	}
}

// running reports an error if the worker has ended before it was stopped.
func (w *workerProc) running() error {
	select {
	case <-w.exited:
		return fmt.Errorf("worker exited early (%v); its log ends:\n%s", w.waitErr, w.logTail(40))
	default:
		return nil
	}
}

// peakRSSKB is the worker's peak resident set so far, in kB. Call it
// before stop: /proc/<pid> goes with the process.
func (w *workerProc) peakRSSKB() (int64, error) {
	hwm, err := procStatusKB(w.cmd.Process.Pid, "VmHWM")
	w.mu.Lock()
	defer w.mu.Unlock()
	return max(hwm, w.maxRSS), err
}

// stop sends SIGTERM, the way an operator stops a worker, and waits for
// the graceful shutdown (asynq allows tasks 45 s), killing it after that.
func (w *workerProc) stop() error {
	w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-w.exited:
	case <-time.After(60 * time.Second):
		w.cmd.Process.Kill()
		<-w.exited
		return errors.New("worker ignored SIGTERM for 60 s; killed")
	}
	var exit *exec.ExitError
	if errors.As(w.waitErr, &exit) {
		return fmt.Errorf("worker exited with %v; its log ends:\n%s", w.waitErr, w.logTail(40))
	}
	return w.waitErr
}

// logTail returns the last n lines of the worker's log.
func (w *workerProc) logTail(n int) string {
	raw, err := os.ReadFile(w.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// procStatusKB reads a "Name:   123 kB" line of /proc/<pid>/status.
func procStatusKB(pid int, name string) (int64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), name+":")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			break
		}
		return strconv.ParseInt(fields[0], 10, 64)
	}
	return 0, fmt.Errorf("/proc/%d/status: no %s", pid, name)
}
