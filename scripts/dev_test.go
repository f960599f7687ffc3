package scripts_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// devAddrs are the addresses make dev listens on, each set by its own
// variable (see the top of scripts/dev.sh).
var devAddrs = []string{"HTTP_ADDR", "METRICS_ADDR", "WORKER_METRICS_ADDR", "MAILPIT_SMTP_ADDR", "MAILPIT_UI_ADDR"}

// TestDevRefusesABusyPortNamingItsVariable: make dev checks every port it
// needs before it builds or starts anything, and a taken one stops it with
// the variable that moves it. Port 1025 taken is said as such: make dev
// does not hand its mail to another program's catcher.
func TestDevRefusesABusyPortNamingItsVariable(t *testing.T) {
	for _, busy := range devAddrs {
		t.Run(busy, func(t *testing.T) {
			env, taken := devEnv(t, busy)
			out, err := runDev(t, env)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("dev.sh with %s busy: %v, want exit status 1; output:\n%s", busy, err, out)
			}
			want := fmt.Sprintf("port %d (%s=127.0.0.1:%d) is taken", taken, busy, taken)
			if !strings.Contains(out, want) || !strings.Contains(out, "set "+busy+"=127.0.0.1:") {
				t.Errorf("output does not say %q and which %s to set:\n%s", want, busy, out)
			}
			if busy == "MAILPIT_SMTP_ADDR" && !strings.Contains(out, "will not hand its mail to another program's catcher") {
				t.Errorf("output does not say why make dev will not use the program on the SMTP port:\n%s", out)
			}
			if strings.Contains(out, "services.sh") || strings.Contains(out, "build:") {
				t.Errorf("dev.sh went on past the port check:\n%s", out)
			}
		})
	}
}

// TestDevRefusesOnePortForTwoAddresses: two of make dev's addresses on
// one port would fail halfway through the start; it is said at once.
func TestDevRefusesOnePortForTwoAddresses(t *testing.T) {
	env, _ := devEnv(t, "")
	env = append(env, "WORKER_METRICS_ADDR="+envValue(env, "METRICS_ADDR"))
	out, err := runDev(t, env)
	if err == nil || !strings.Contains(out, "as another of make dev's addresses does") ||
		!strings.Contains(out, "WORKER_METRICS_ADDR=") {
		t.Fatalf("dev.sh with METRICS_ADDR and WORKER_METRICS_ADDR on one port: %v\n%s", err, out)
	}
}

// TestDevReadsDevEnvLiterally: .dev.env is one NAME=value a line, the
// value as written: spaces, *, <, >, $ and quotes in it are neither run
// nor expanded (a cron line, a postal address with a comma, a From with
// angle brackets, a secret holding a $), and the settings it gives win
// over the environment. Here its METRICS_ADDR is a port a listener
// holds, which stops the run at the port check, naming it.
func TestDevReadsDevEnvLiterally(t *testing.T) {
	env, _ := devEnv(t, "")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	busy := l.Addr().(*net.TCPAddr).Port
	devFile := strings.Join([]string{
		"# settings",
		"DIGEST_CRON=0 7 * * 1",
		"ORG_POSTAL_ADDRESS=Desk, 1 Street",
		"MAIL_FROM=News Digest <digest@localhost>",
		"",
		"SECRET_KEY=4f9c$undefined_variable`false`$(false)0b7e",
		`ADMIN_PASSWORD="quoted value"`,
		fmt.Sprintf("METRICS_ADDR=127.0.0.1:%d", busy),
	}, "\n") + "\n"
	out, err := runDevIn(t, env, devFile)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("dev.sh: %v, want exit status 1; output:\n%s", err, out)
	}
	want := fmt.Sprintf("port %d (METRICS_ADDR=127.0.0.1:%d) is taken", busy, busy)
	if !strings.Contains(out, want) {
		t.Errorf("output does not say %q (.dev.env not read, or not over the environment):\n%s", want, out)
	}
	for _, bad := range []string{"command not found", "unbound variable", "syntax error"} {
		if strings.Contains(out, bad) {
			t.Errorf(".dev.env was run as a script (%q):\n%s", bad, out)
		}
	}

	out, err = runDevIn(t, env, "HTTP_ADDR=:8081\nnot a setting\n")
	if err == nil || !strings.Contains(out, "line 2: want NAME=value") {
		t.Errorf("dev.sh with a line that is no setting: %v\n%s", err, out)
	}
}

// devEnv gives each of make dev's addresses a port of its own on
// loopback, free when chosen, except busy's, which a listener holds until
// the test ends; it returns the environment and busy's port.
func devEnv(t *testing.T, busy string) (env []string, busyPort int) {
	t.Helper()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !isDevAddr(name) && name != "BOUNCE_SMTP_ADDR" {
			env = append(env, kv)
		}
	}
	// Every listener is held until all ports are picked, so that no two
	// addresses are given the same free port.
	var free []net.Listener
	defer func() {
		for _, l := range free {
			l.Close()
		}
	}()
	for _, name := range devAddrs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		if name == busy {
			busyPort = port
			t.Cleanup(func() { l.Close() })
		} else {
			free = append(free, l)
		}
		env = append(env, fmt.Sprintf("%s=127.0.0.1:%d", name, port))
	}
	return env, busyPort
}

func isDevAddr(name string) bool {
	for _, n := range devAddrs {
		if n == name {
			return true
		}
	}
	return false
}

func envValue(env []string, name string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// runDev runs a copy of scripts/dev.sh in a project of its own (a
// temporary directory holding only the script and the one it sources), so that its .dev.env and
// tmp/ are the test's, and nothing it could go on to run is there.
func runDev(t *testing.T, env []string) (string, error) {
	t.Helper()
	return runDevIn(t, env, "")
}

// runDevIn is runDev with devFile, when not empty, as the project's
// .dev.env.
func runDevIn(t *testing.T, env []string, devFile string) (string, error) {
	t.Helper()
	root := t.TempDir()
	if devFile != "" {
		if err := os.WriteFile(filepath.Join(root, ".dev.env"), []byte(devFile), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "scripts"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"dev.sh", "dev_settings.sh"} { // dev.sh sources the second
		script, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "scripts", name), script, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "scripts", "dev.sh"))
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}
