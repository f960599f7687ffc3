package app_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

// TestTwoWorkerProcesses runs two worker binaries (cmd/worker, built for
// the test) against one PostgreSQL and one Redis, as two machines would:
// an editor's edition of 400 readers is compiled once, its batches are
// sent by whichever worker takes them, and every reader gets exactly one
// digest. (Two schedules making one edition per tick are
// TestTwoSchedulersMakeOneEditionPerTick and
// TestTwoSchedulersOneEditionPerTick, whose clocks need not wait for
// DIGEST_CRON's next minute.) It takes some 6 s alone and can pass 30 s
// beside other packages: building cmd/worker and sending 400 digests
// through two more processes is most of it.
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
		"ORG_POSTAL_ADDRESS=Apartado 123, San José, Costa Rica", "SMTP_CONNECTIONS=2", "STORY_MAX_AGE=0", // the fixture is of 2020
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

	// The edition's tasks wait in the queue for whichever worker is up.
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	e := s.waitEditionWithin(created.ID, 3*time.Minute, func() string {
		return fmt.Sprintf("worker 0: %s\nworker 1: %s", logs[0], logs[1])
	})
	if e.Status != "done" || e.Sent != people || e.Total != people {
		t.Errorf("edition: %+v, want done with %d sent", e, people)
	}
	for i := range people {
		if n := len(s.smtp.To("reader" + strconv.Itoa(i) + "@example.org")); n != 1 {
			t.Errorf("reader%d got %d digests, want exactly 1", i, n)
		}
	}
	// Compiled once, sent once: one delivery per reader, however the
	// two workers split the batches and whatever they retried.
	conn := s.dbConn()
	var deliveries, dupDeliveries int
	if err := conn.QueryRow(context.Background(), `
		SELECT count(*),
		       (SELECT count(*) FROM (SELECT 1 FROM deliveries GROUP BY edition_id, subscriber_id HAVING count(*) > 1) d)
		FROM deliveries WHERE edition_id = $1`, created.ID).Scan(&deliveries, &dupDeliveries); err != nil {
		t.Fatal(err)
	}
	if deliveries != people || dupDeliveries != 0 {
		t.Errorf("%d deliveries for %d readers, %d readers with two deliveries of one edition", deliveries, people, dupDeliveries)
	}
}
