package scripts_test

import (
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestDevRefusesAServerThatDoesNotAnswer: a DATABASE_URL or REDIS_URL in
// .dev.env naming a server other than the ones make dev starts, where
// nothing answers, stops the run before anything is built, naming the
// variable and the server, not its password; one that answers does not.
// (Without the check, web started and was never ready, and a minute later
// the run stopped with nothing but its failed probes in sight.)
func TestDevRefusesAServerThatDoesNotAnswer(t *testing.T) {
	for _, c := range []struct{ name, url string }{
		{"REDIS_URL", "redis://:s3cret@127.0.0.1:%d/0"},
		{"DATABASE_URL", "postgres://postgres:s3cret@127.0.0.1:%d/newsdigest_dev?sslmode=disable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, _ := devEnv(t, "")
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			port := l.Addr().(*net.TCPAddr).Port
			setting := fmt.Sprintf("%s="+c.url+"\n", c.name, port)

			// Answering: the run goes on, past the check, to services.sh,
			// which this bare project lacks.
			out, _ := runDevIn(t, env, setting)
			if strings.Contains(out, "nothing answers") {
				t.Errorf("dev.sh refused a server that answers:\n%s", out)
			}
			if !strings.Contains(out, "services.sh") {
				t.Errorf("dev.sh did not go on to services.sh with the server answering:\n%s", out)
			}

			// Then a port bound but not listening: a connection there is
			// refused, and no other program can take it meanwhile (the
			// suite runs others beside this), as one could a port merely
			// closed.
			l.Close()
			port = closedPort(t)
			setting = fmt.Sprintf("%s="+c.url+"\n", c.name, port)
			out, err = runDevIn(t, env, setting)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("dev.sh: %v, want exit status 1; output:\n%s", err, out)
			}
			want := fmt.Sprintf("%s names a server at 127.0.0.1:%d, where nothing answers", c.name, port)
			if !strings.Contains(out, want) {
				t.Errorf("output does not say %q:\n%s", want, out)
			}
			if strings.Contains(out, "s3cret") {
				t.Errorf("output shows the URL's password:\n%s", out)
			}
			if strings.Contains(out, "services.sh") || strings.Contains(out, "build:") {
				t.Errorf("dev.sh went on past the check:\n%s", out)
			}
		})
	}
}

// closedPort binds a TCP socket to a free port of 127.0.0.1 without
// listening on it, for the rest of the test, and returns the port.
func closedPort(t *testing.T) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	return sa.(*syscall.SockaddrInet4).Port
}
