package scripts_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMailpitPageLoadsItsScript: the Mailpit that make dev runs shows its
// web page, where newcomers find their confirmation mail. Built with go
// install it would not: the page names /dist/app.js, which such a build
// lacks (404), and stays blank.
//
// The test builds bin/mailpit with scripts/mailpit.sh, as make dev does,
// unless it is there already: it is the build from the module's source
// that must be proved on a fresh machine. That costs a minute or two the
// first time (npm and go build), and nothing after.
func TestMailpitPageLoadsItsScript(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "./mailpit.sh")
	out, err := build.CombinedOutput()
	t.Logf("scripts/mailpit.sh:\n%s", out)
	if err != nil {
		t.Fatalf("scripts/mailpit.sh: %v", err)
	}
	base := startMailpit(t, "../bin/mailpit")

	page := get(t, base+"/")
	if page.status != http.StatusOK {
		t.Fatalf("GET /: %d", page.status)
	}
	for _, ref := range []struct{ pattern, wantType string }{
		{`<script[^>]*\ssrc="([^"]+)"`, "javascript"},
		{`<link[^>]*\srel=stylesheet[^>]*\shref="([^"]+)"`, "text/css"},
	} {
		m := regexp.MustCompile(ref.pattern).FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("the page names no %s (%s):\n%s", ref.wantType, ref.pattern, page.body)
		}
		got := get(t, base+m[1])
		if got.status != http.StatusOK || !strings.Contains(got.contentType, ref.wantType) || len(got.body) < 1000 {
			t.Errorf("GET %s: %d, %q, %d bytes; want 200 with %s", m[1], got.status, got.contentType, len(got.body), ref.wantType)
		}
	}
}

// startMailpit runs bin on free loopback ports until the test ends and
// returns its web address once the page answers.
func startMailpit(t *testing.T, bin string) string {
	t.Helper()
	smtp, ui := freePort(t), freePort(t)
	cmd := exec.Command(bin, "--smtp", smtp, "--listen", ui, "--max", "10", "--disable-version-check")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	base := "http://" + ui
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("mailpit exited: %v\n%s", err, log.String())
		default:
		}
		if resp, err := http.Get(base + "/"); err == nil {
			resp.Body.Close()
			return base
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit's page did not answer on %s within 30s:\n%s", ui, log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freePort returns a loopback address that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type response struct {
	status      int
	contentType string
	body        string
}

func get(t *testing.T, url string) response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(fmt.Errorf("%s: %w", url, err))
	}
	return response{resp.StatusCode, resp.Header.Get("Content-Type"), string(body)}
}
