package bench

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/domain"
	"newsdigest/internal/postgres"
	"newsdigest/internal/tasks"
	"newsdigest/internal/testenv"
)

const (
	items       = 300   // a busy week of the first user's desk
	minBaseline = 20000 // fewer messages would time the baseline too coarsely
	pollEvery   = 50 * time.Millisecond
	deadline    = time.Hour // for the edition, from enqueue to done
	progress    = 30 * time.Second
)

// BenchmarkSendEdition measures one edition to BENCH_SUBSCRIBERS active
// subscribers (default 100000) over BENCH_CONNECTIONS SMTP connections
// (default 4): the real worker binary compiles and sends it to a sink that
// discards every message; then a bare go-mail loop sends as many messages
// of the same size over the same number of connections. Each call sends
// one edition whatever b.N is, the unit of work being a whole edition; run
// it with -benchtime 1x, as `make bench` does.
func BenchmarkSendEdition(b *testing.B) {
	n := envInt(b, "BENCH_SUBSCRIBERS", 100000)
	conns := envInt(b, "BENCH_CONNECTIONS", 4)
	// BENCH_HIDE_EXTENSIONS (say "CHUNKING,PIPELINING") makes the sink a
	// plainer relay, to measure the worker against one.
	var hide []string
	if v := os.Getenv("BENCH_HIDE_EXTENSIONS"); v != "" {
		hide = strings.Split(strings.ToUpper(v), ",")
		b.Logf("the sink hides %s", strings.Join(hide, ", "))
	}
	ctx := context.Background()

	dbURL, db := migratedDB(ctx, b)
	dbName := db.Pool().Config().ConnConfig.Database
	redisURL := testenv.RedisURL(b)
	redisOpt, err := asynq.ParseRedisURI(redisURL)
	if err != nil {
		b.Fatal(err)
	}

	// A fixed seed: every run mails the same population the same items.
	seeded := time.Now()
	r := rand.New(rand.NewPCG(4, uint64(n)))
	if err := seedSubscribers(ctx, db, n, r); err != nil {
		b.Fatal(err)
	}
	if err := seedItems(ctx, db, items, r); err != nil {
		b.Fatal(err)
	}
	// Statistics as a long-running database would have them; left to
	// autovacuum, the compile's plans would depend on its timing.
	if _, err := db.Pool().Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d subscribers and %d items in %.1fs", n, items, time.Since(seeded).Seconds())

	s := newSink(b, hide)
	workerEnv := map[string]string{
		"DATABASE_URL":       dbURL,
		"REDIS_URL":          redisURL,
		"SMTP_URL":           s.url(),
		"SMTP_CONNECTIONS":   strconv.Itoa(conns),
		"SECRET_KEY":         "e83b15c7a69f24d0b7e2c41a5f93d68c",
		"BASE_URL":           "https://news.example.org",
		"MAIL_FROM":          "News Digest <digest@news.example.org>",
		"ORG_POSTAL_ADDRESS": "Apartado 123-1000, San José, Costa Rica",
		"SEND_RATE":          "0",
		// A tick six months away: a scheduled edition must not start
		// in the middle of the measured one.
		"DIGEST_CRON": fmt.Sprintf("0 0 1 %d *", (int(time.Now().Month())+5)%12+1),
	}
	// BENCH_DKIM signs every message (dkim_test.go).
	signEnv, signing := dkimEnv(b, b.TempDir())
	maps.Copy(workerEnv, signEnv)
	w := startWorker(b, buildWorker(b, b.TempDir()), workerEnv)
	waitReady(b, redisOpt, w)

	e, _, err := db.CreateEdition(ctx, postgres.NewEdition{})
	if err != nil {
		b.Fatal(err)
	}
	if e.Items != items {
		b.Fatalf("edition %d holds %d items, want %d", e.ID, e.Items, items)
	}
	queue := asynq.NewClient(redisOpt)
	defer queue.Close()

	b.Logf("load average before the edition: %s", loadAvg())
	b.ResetTimer()
	cpuStart := takeCPU(w.cmd.Process.Pid, dbName)
	// The worker's reconcile, queued as it started, may find the new
	// edition first and queue its compile (milliseconds earlier): the
	// same task, refused here as a duplicate.
	if _, err := queue.EnqueueContext(ctx, tasks.NewCompileEdition(e.ID)); err != nil && !tasks.IsDuplicate(err) {
		b.Fatal(err)
	}
	cpuSending, cpuDone := watchEdition(b, ctx, db, dbName, e.ID, w, s, false)
	b.StopTimer()
	peakKB := stopWorker(b, w)

	mailed := s.read()
	e = checkEdition(b, ctx, db, e.ID, n, mailed)
	sendTime := cpuDone.at.Sub(cpuSending.at)
	if sendTime < 20*pollEvery {
		b.Fatalf("sending took %s, too short to time against a %s poll: raise BENCH_SUBSCRIBERS", sendTime, pollEvery)
	}
	avg := mailed.bytes / mailed.messages
	b.Logf("edition %d: %d items, %d deliveries: %d sent, %d skipped; %s", e.ID, e.Items, e.Total, e.Sent, e.Skipped, groupStats(ctx, db, e.ID))
	b.Logf("messages: %d bytes on average, largest %d; %d of %d over 102 KB in all (Gmail clips HTML over 102 KB)",
		avg, s.largest.Load(), s.clipped.Load(), mailed.messages)
	sendPhase := phaseCPU("send (sending to done)", cpuSending, cpuDone)
	b.Logf("%s", phaseCPU("compile (enqueue to sending)", cpuStart, cpuSending))
	b.Logf("%s", sendPhase)
	// Batches go out while the rest of the list compiles: the edition's
	// time is from the enqueue to done, not compile + send.
	b.Logf("%s", phaseCPU("edition end to end (enqueue to done)", cpuStart, cpuDone))
	b.Logf("messages sent before the compile ended: %d", cpuSending.sent)

	total := max(e.Sent, minBaseline)
	before := takeCPU(0, dbName)
	elapsed, err := runBaseline(ctx, s, conns, total, avg)
	if err != nil {
		b.Fatal(err)
	}
	after, base := takeCPU(0, dbName), s.read()
	if got := base.messages - mailed.messages; got != int64(total) {
		b.Fatalf("baseline: sink counted %d messages, want %d", got, total)
	}
	b.Logf("baseline: %d messages of %d bytes on average in %.1fs", total, (base.bytes-mailed.bytes)/int64(total), elapsed.Seconds())
	basePhase := phaseCPU("baseline", before, after)
	b.Logf("%s", basePhase)
	// CPU per message holds up better than wall time when other work
	// shares the machine; the sink's cost is in both.
	perMsg := func(cpu float64, n int) float64 { return 1000 * cpu / float64(n) }
	b.Logf("CPU ms per message: real run %.2f (worker %.2f, postgres %.2f, redis %.2f, bench+sink %.2f); baseline %.2f (go-mail+sink)",
		perMsg(sendPhase.ours(), e.Sent), perMsg(sendPhase.worker, e.Sent), perMsg(sendPhase.postgres, e.Sent),
		perMsg(sendPhase.redis, e.Sent), perMsg(sendPhase.bench, e.Sent), perMsg(basePhase.ours(), total))

	compileS := cpuSending.at.Sub(cpuStart.at).Seconds()
	// Those sent while compiling are not in the send phase's time.
	digestsPerS := float64(int64(e.Sent)-cpuSending.sent) / sendTime.Seconds()
	baselinePerS := float64(total) / elapsed.Seconds()
	peakMB := float64(peakKB) / 1024
	b.ReportMetric(digestsPerS, "digests/s")
	b.ReportMetric(baselinePerS, "baseline/s")
	b.ReportMetric(digestsPerS/baselinePerS, "ratio")
	b.ReportMetric(compileS, "compile_s")
	b.ReportMetric(peakMB, "peak_rss_MB")
	endToEndS := cpuDone.at.Sub(cpuStart.at).Seconds()
	b.ReportMetric(endToEndS, "edition_s")
	summary = fmt.Sprintf("bench: subscribers=%d digests_per_s=%.0f baseline_per_s=%.0f ratio=%.2f compile_s=%.1f peak_rss_mb=%.0f dkim=%s edition_s=%.1f",
		n, digestsPerS, baselinePerS, digestsPerS/baselinePerS, compileS, peakMB, signing, endToEndS)
}

// waitReady waits until the worker's asynq server has registered, so that
// the compile time does not include the worker's start.
func waitReady(b *testing.B, redis asynq.RedisConnOpt, w *workerProc) {
	b.Helper()
	insp := asynq.NewInspector(redis)
	defer insp.Close()
	for stop := time.Now().Add(time.Minute); ; {
		if err := w.running(); err != nil {
			b.Fatal(err)
		}
		if servers, err := insp.Servers(); err == nil && len(servers) > 0 {
			return
		}
		if time.Now().After(stop) {
			b.Fatalf("worker did not register with Redis within a minute; its log ends:\n%s", w.logTail(40))
		}
		time.Sleep(pollEvery)
	}
}

// stopWorker stops the worker and returns its peak resident memory in
// KB, read first: the kernel's high-water mark goes with the process.
func stopWorker(b *testing.B, w *workerProc) int64 {
	b.Helper()
	peakKB, err := w.peakRSSKB()
	if err != nil {
		b.Fatalf("read worker memory: %v", err)
	}
	if err := w.stop(); err != nil {
		b.Fatal(err)
	}
	return peakKB
}

// watchEdition polls the edition until it is done and samples CPU use when
// it starts sending and when it is done. It reads the status column alone:
// Edition's delivery counts would scan the deliveries every 50 ms and load
// the very database being measured. untilSending stops it once sending has
// begun (its compile has ended), leaving done zero.
func watchEdition(b *testing.B, ctx context.Context, db *postgres.DB, dbName string, id int64, w *workerProc, s *sink, untilSending bool) (sending, done cpuSample) {
	b.Helper()
	start := time.Now()
	lastReport := start
	for {
		if err := w.running(); err != nil {
			b.Fatal(err)
		}
		var status, reason string
		if err := db.Pool().QueryRow(ctx, `SELECT status, reason FROM editions WHERE id = $1`, id).Scan(&status, &reason); err != nil {
			b.Fatal(err)
		}
		switch status {
		case domain.EditionFailed:
			b.Fatalf("edition %d failed: %s; worker log ends:\n%s", id, reason, w.logTail(40))
		case domain.EditionSending, domain.EditionDone:
			if sending.at.IsZero() {
				sending = takeCPU(w.cmd.Process.Pid, dbName)
				sending.sent = s.read().messages
			}
			if untilSending || status == domain.EditionDone {
				return sending, takeCPU(w.cmd.Process.Pid, dbName)
			}
		}
		if time.Since(start) > deadline {
			b.Fatalf("edition %d still %s after %s (%d messages sent); worker log ends:\n%s",
				id, status, deadline, s.read().messages, w.logTail(40))
		}
		if time.Since(lastReport) >= progress {
			lastReport = time.Now()
			fmt.Printf("bench: %4.0fs edition %s, %d messages sent\n", time.Since(start).Seconds(), status, s.read().messages)
		}
		time.Sleep(pollEvery)
	}
}

// checkEdition fails the benchmark unless every subscriber's delivery
// ended, none failed, and the sink got exactly the messages recorded sent.
func checkEdition(b *testing.B, ctx context.Context, db *postgres.DB, id int64, n int, got counts) domain.Edition {
	b.Helper()
	e, err := db.Edition(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	if e.Status != domain.EditionDone || e.Total != n || e.Sent+e.Skipped+e.Failed != e.Total || e.Failed != 0 {
		b.Fatalf("edition %d: status %s, total %d (want %d), sent %d + skipped %d + failed %d (want no failures)",
			id, e.Status, e.Total, n, e.Sent, e.Skipped, e.Failed)
	}
	if got.messages != int64(e.Sent) || e.Sent == 0 {
		b.Fatalf("edition %d recorded %d sent; the sink received %d messages", id, e.Sent, got.messages)
	}
	return e
}

// envInt reads a positive whole number from the environment.
func envInt(b *testing.B, name string, def int) int {
	b.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s: want a positive whole number, got %q", name, v)
	}
	return n
}

// groupStats describes how far rendering once per group saves work: how
// many groups the compile made and how many stories a digest holds. It
// reads the stored layout, so it reports rather than fails if the layout
// changes.
func groupStats(ctx context.Context, db *postgres.DB, edition int64) string {
	var groups int
	var stories float64
	err := db.Pool().QueryRow(ctx, `
		SELECT (SELECT count(*) FROM edition_groups WHERE edition_id = $1),
		       COALESCE(avg(n.stories), 0)
		FROM deliveries d
		JOIN (SELECT g.id, (SELECT sum(json_array_length(sec->'items')) FROM json_array_elements(g.sections) sec) AS stories
		      FROM edition_groups g WHERE g.edition_id = $1) n ON n.id = d.group_id
		WHERE d.edition_id = $1`, edition).Scan(&groups, &stories)
	if err != nil {
		return "group statistics unavailable: " + err.Error()
	}
	return fmt.Sprintf("%d groups (digest bodies); %.1f stories per digest sent on average", groups, stories)
}

// loadAvg is /proc/loadavg's first three fields: other work on the machine
// skews every figure, so the log says how busy it was.
func loadAvg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(raw))
	return strings.Join(f[:min(3, len(f))], " ")
}
