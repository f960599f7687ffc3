package faults

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/app"
	"newsdigest/internal/config"
	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/tasks"
	"newsdigest/internal/testenv"
	"newsdigest/internal/token"
	"newsdigest/internal/worker"
)

// rig is a database with items and subscribers, a queue, and a relay.
type rig struct {
	t        *testing.T
	ctx      context.Context
	env      map[string]string
	cfg      *config.Config
	db       *postgres.DB
	redisURL string
	queue    *asynq.Client
	smtp     *testenv.SMTPServer
	size     int
}

func newRig(t *testing.T, subscribers int) *rig {
	t.Helper()
	ctx := context.Background()
	smtp := testenv.NewSMTPServer(t)
	smtp.Discard = true
	r := &rig{t: t, ctx: ctx, smtp: smtp, size: subscribers, redisURL: testenv.RedisURL(t)}
	r.env = map[string]string{
		"DATABASE_URL":     testenv.DatabaseURL(t),
		"REDIS_URL":        r.redisURL,
		"SMTP_URL":         smtp.URL(),
		"SECRET_KEY":       "9b41e07c2fd35a86e1c47b20d9f3a65e",
		"BASE_URL":         "http://news.example.org",
		"SMTP_CONNECTIONS": "4",
		// These tests follow every delivery through a fault to its end;
		// a relay refusing a tenth of the readers would pause the edition
		// (TestEditionPausesItself in internal/app covers that), so the
		// pause is off here.
		"EDITION_PAUSE_BOUNCE_RATE": "0",
	}
	var err error
	if r.cfg, err = config.Load(func(k string) string { return r.env[k] }); err != nil {
		t.Fatal(err)
	}
	if r.db, err = postgres.Open(ctx, r.cfg.DatabaseURL, r.cfg.SecretKey); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.db.Close)
	if err := r.db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	redis, err := app.RedisOpt(r.redisURL)
	if err != nil {
		t.Fatal(err)
	}
	r.queue = asynq.NewClient(redis)
	t.Cleanup(func() { r.queue.Close() })
	r.seed()
	return r
}

// seed writes three Costa Rica stories and the subscribers, all following
// Costa Rica, so everyone gets a digest.
func (r *rig) seed() {
	for i, title := range []string{"Costa Rica opens a new migrant care centre", "Upala border crossing reopens", "Costa Rica and Panama agree on regular transit"} {
		it := domain.Item{PublishedOn: domain.NewDate(2021, 3, i+1), Title: title, Summary: strings.Repeat("A summary sentence. ", 20),
			Language: "en", Countries: []string{"CR"}, Fingerprint: "fault:" + title}
		if _, _, err := r.db.InsertItems(r.ctx, []domain.Item{it}); err != nil {
			r.t.Fatal(err)
		}
	}
	_, err := r.db.Pool().CopyFrom(r.ctx, pgx.Identifier{"subscribers"},
		[]string{"email", "status", "countries", "token"},
		pgx.CopyFromSlice(r.size, func(i int) ([]any, error) {
			return []any{address(i), "active", []string{"CR"}, token.New()}, nil
		}))
	if err != nil {
		r.t.Fatal(err)
	}
}

func address(i int) string { return fmt.Sprintf("reader%05d@example.org", i) }

// startWorker runs a worker in this process until the returned stop is
// called (or the test ends).
func (r *rig) startWorker() (stop func()) {
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan error, 1)
	opts := worker.Options{
		DelayedTaskCheck: 100 * time.Millisecond, ReconcileEvery: time.Second,
		FirstRetryDelay: 50 * time.Millisecond, MaxRetryDelay: 500 * time.Millisecond,
		DisableScheduling: true, Lease: 3 * time.Second,
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	go func() { done <- (&app.Worker{Config: r.cfg, Log: log, Options: opts}).Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			r.t.Errorf("worker: %v", err)
		}
	}
	r.t.Cleanup(stop)
	return stop
}

// startEdition makes an edition of everything new and queues its compile.
func (r *rig) startEdition() int64 {
	r.t.Helper()
	e, _, err := r.db.CreateEdition(r.ctx, postgres.NewEdition{})
	if err != nil {
		r.t.Fatal(err)
	}
	// A running worker's reconciler may have asked for the compile first.
	if _, err := r.queue.EnqueueContext(r.ctx, tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		r.t.Fatal(err)
	}
	return e.ID
}

// waitFor polls the edition until cond holds, failing once it has not
// moved (its status and counts the same) for timeout: a loaded machine
// sends slower, and an edition that still sends is not stuck.
func (r *rig) waitFor(id int64, timeout time.Duration, what string, cond func(domain.Edition) bool) domain.Edition {
	r.t.Helper()
	type state struct {
		status                string
		sent, failed, skipped int
	}
	var last state
	deadline := time.Now().Add(timeout)
	for {
		e, err := r.db.Edition(r.ctx, id)
		if err != nil {
			r.t.Fatal(err)
		}
		if cond(e) {
			return e
		}
		if now := (state{string(e.Status), e.Sent, e.Failed, e.Skipped}); now != last {
			last, deadline = now, time.Now().Add(timeout)
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("edition %d: waited for %s; nothing moved for %s; now %+v", id, what, timeout, e)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (r *rig) waitDone(id int64, timeout time.Duration) domain.Edition {
	return r.waitFor(id, timeout, "done", func(e domain.Edition) bool {
		return e.Status == domain.EditionDone || e.Status == domain.EditionFailed
	})
}

// unrecorded returns the addresses whose delivery of the edition is claimed
// and not yet recorded: at a fault, these are the messages that may have
// gone out without their record, and the only ones that may go out twice.
func (r *rig) unrecorded(id int64) map[string]bool {
	r.t.Helper()
	rows, err := r.db.Pool().Query(r.ctx, `
		SELECT s.email FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
		WHERE d.edition_id = $1 AND d.status = 'sending'`, id)
	if err != nil {
		r.t.Fatal(err)
	}
	emails, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		r.t.Fatal(err)
	}
	out := make(map[string]bool, len(emails))
	for _, e := range emails {
		out[e] = true
	}
	return out
}

// check asserts the guarantees: the edition is done; every subscriber has
// one final delivery, sent unless refused (then failed with the reply);
// every address recorded sent reached the relay; and the only addresses
// that got a second copy are among mayRepeat, the deliveries claimed and
// not yet recorded at the fault.
func (r *rig) check(id int64, refused func(addr string) bool, mayRepeat map[string]bool) {
	r.t.Helper()
	e := r.waitDone(id, 3*time.Minute)
	if e.Status != domain.EditionDone {
		r.t.Fatalf("edition %d ended %s: %s", id, e.Status, e.Reason)
	}
	perAddress := map[string]int{}
	for _, m := range r.smtp.Messages() {
		for _, to := range m.To {
			perAddress[to]++
		}
	}
	rows, err := r.db.Pool().Query(r.ctx, `
		SELECT s.email, count(d.id), min(d.status), max(d.status), max(d.last_error)
		FROM subscribers s LEFT JOIN deliveries d ON d.subscriber_id = s.id AND d.edition_id = $1
		GROUP BY s.email`, id)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var email, minStatus, maxStatus, lastErr string
		var count int
		if err := rows.Scan(&email, &count, &minStatus, &maxStatus, &lastErr); err != nil {
			r.t.Fatal(err)
		}
		n++
		want := domain.DeliverySent
		if refused != nil && refused(email) {
			want = domain.DeliveryFailed
		}
		if count != 1 || minStatus != want || maxStatus != want {
			r.t.Errorf("%s: %d deliveries, status %s..%s, want one %s", email, count, minStatus, maxStatus, want)
			continue
		}
		if want == domain.DeliveryFailed && !strings.Contains(lastErr, "550") {
			r.t.Errorf("%s failed without the relay's reply: %q", email, lastErr)
		}
		if want == domain.DeliverySent && perAddress[email] == 0 {
			r.t.Errorf("%s is recorded sent, but the relay never took a message for it", email)
		}
	}
	if n != r.size {
		r.t.Errorf("%d subscribers checked, want %d", n, r.size)
	}
	doubles, beyond := 0, 0
	for addr, c := range perAddress {
		if c > 1 {
			doubles++
			if !mayRepeat[addr] {
				beyond++
				if beyond <= 5 {
					r.t.Errorf("%s got %d digests, but its delivery was not in flight at the fault", addr, c)
				}
			}
		}
		if refused != nil && refused(addr) {
			r.t.Errorf("%s was refused but a message was kept", addr)
		}
	}
	if beyond > 0 {
		r.t.Errorf("%d addresses got more than one digest without being in flight at the fault (%d in flight)", beyond, len(mayRepeat))
	}
	r.t.Logf("edition %d: %d sent, %d failed, %d addresses doubled, %d in flight at the fault", id, e.Sent, e.Failed, doubles, len(mayRepeat))
}
