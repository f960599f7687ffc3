package app_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"newsdigest/internal/testenv"
)

// TestTwoWorkerProcesses runs two worker binaries (cmd/worker, built for
// the test) against one PostgreSQL and one Redis, both running the
// schedule (DIGEST_CRON every minute): the tick makes one edition, the
// two share its sending, and every reader gets exactly one digest.
//
// It takes 30 s to well over a minute, mostly waiting: DIGEST_CRON
// counts in minutes, so the first tick comes up to a minute after the
// workers start, and it is the tick both workers see that the test is
// about; then 400 digests go out through two processes.
func TestTwoWorkerProcesses(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	bin := filepath.Join(t.TempDir(), "worker")
	build := exec.Command("go", "build", "-o", bin, "newsdigest/cmd/worker")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build cmd/worker: %v\n%s", err, out)
	}
	editionsImportFixture(t, s)
	var csv strings.Builder
	csv.WriteString("email,countries,topics,language\n")
	const people = 400
	for i := range people {
		csv.WriteString("reader" + strconv.Itoa(i) + "@example.org,CR,,en\n")
	}
	if status, got := s.importCSV(csv.String()); status != http.StatusOK || got.Imported != people {
		t.Fatalf("import readers: %d %+v", status, got)
	}

	env := append(os.Environ(),
		"DATABASE_URL="+s.cfg.DatabaseURL, "REDIS_URL="+s.cfg.RedisURL, "SMTP_URL="+s.smtp.URL(),
		"MAIL_FROM=News Digest <digest@example.org>", "BASE_URL="+s.base, "SECRET_KEY="+secretKey,
		"ORG_POSTAL_ADDRESS=Apartado 123, San José, Costa Rica", "SMTP_CONNECTIONS=2", "DIGEST_CRON=* * * * *", "STORY_MAX_AGE=0", // the fixture is of 2020
		"METRICS_ADDR=")
	var logs [2]*testenv.Output
	for i := range logs {
		logs[i] = &testenv.Output{}
		cmd := exec.Command(bin)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, logs[i], logs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("worker %d: %v\n%s", i, err, logs[i])
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Errorf("worker %d did not stop within 30s of SIGTERM", i)
			}
		})
	}

	// The next minute's tick makes the edition; both workers send it.
	var list struct{ Editions []edition }
	deadline := time.Now().Add(3 * time.Minute)
	for {
		s.jsonCall("GET", "/api/v1/editions", nil, &list, http.StatusOK)
		if n := len(list.Editions); n > 0 && list.Editions[n-1].Status == "done" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no edition done after 3 minutes: %+v\nworker 0: %s\nworker 1: %s", list.Editions, logs[0], logs[1])
		}
		time.Sleep(200 * time.Millisecond)
	}
	first := list.Editions[len(list.Editions)-1] // the oldest: the first tick's
	if first.Sent != people || first.Total != people {
		t.Errorf("edition: %+v, want %d sent", first, people)
	}
	for i := range people {
		if n := len(s.smtp.To("reader" + strconv.Itoa(i) + "@example.org")); n != 1 {
			t.Errorf("reader%d got %d digests, want exactly 1", i, n)
		}
	}
	// One edition per tick: however many ticks passed, no two editions
	// share one, and no more deliveries exist than readers per edition.
	conn, err := pgx.Connect(context.Background(), s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var editionsN, ticks, dupDeliveries int
	if err := conn.QueryRow(context.Background(), `
		SELECT count(*), count(DISTINCT scheduled_for),
		       (SELECT count(*) FROM (SELECT 1 FROM deliveries GROUP BY edition_id, subscriber_id HAVING count(*) > 1) d)
		FROM editions`).Scan(&editionsN, &ticks, &dupDeliveries); err != nil {
		t.Fatal(err)
	}
	if editionsN != ticks || dupDeliveries != 0 {
		t.Errorf("%d editions for %d ticks, %d readers with two deliveries of one edition", editionsN, ticks, dupDeliveries)
	}
}
