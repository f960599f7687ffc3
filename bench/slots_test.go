package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"newsdigest/internal/postgres"
	"newsdigest/internal/testenv"
)

// slotZones are 24 time zones, one for each hour of offset from UTC-11
// to UTC+12, over which the slot benchmark spreads its readers.
var slotZones = []string{
	"Pacific/Pago_Pago", "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver",
	"America/Mexico_City", "America/New_York", "America/Santiago", "America/Sao_Paulo", "Atlantic/South_Georgia",
	"Atlantic/Azores", "UTC", "Europe/Madrid", "Europe/Athens", "Europe/Moscow", "Asia/Dubai", "Asia/Karachi",
	"Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo", "Australia/Brisbane", "Pacific/Noumea", "Pacific/Auckland",
}

// slotsSummary is BenchmarkSendSlots' one-line result.
var slotsSummary string

// BenchmarkSendSlots measures readers with their own schedules: the
// BENCH_SUBSCRIBERS readers of BenchmarkSendEdition, spread over 24 time
// zones and the three frequencies, each at the hour it is now in their
// zone, become due at once; the real worker's due check (every second
// here) finds them through the next_due_at index, makes their slot, and
// compiles and sends it. It reports digests per second against the same
// bare go-mail baseline, to be read beside the weekly edition's line, and
// whether the due query reads the index.
//
// BENCH_SLOTS_UNTIL=compiled stops at the end of the compile (sending,
// which starts while the slot compiles, goes on meanwhile): it measures
// finding who is due, making the slot and compiling it, and the worker's
// peak memory until then, for a list too long to send in full here.
func BenchmarkSendSlots(b *testing.B) {
	n := envInt(b, "BENCH_SUBSCRIBERS", 100000)
	conns := envInt(b, "BENCH_CONNECTIONS", 4)
	untilCompiled := false
	switch v := os.Getenv("BENCH_SLOTS_UNTIL"); v {
	case "", "done":
	case "compiled":
		untilCompiled = true
	default:
		b.Fatalf("BENCH_SLOTS_UNTIL: want done or compiled, got %q", v)
	}
	ctx := context.Background()
	dbURL, db := migratedDB(ctx, b)
	dbName := db.Pool().Config().ConnConfig.Database
	redisURL := testenv.RedisURL(b)
	redisOpt, err := asynq.ParseRedisURI(redisURL)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(4, uint64(n)))
	if err := seedSubscribers(ctx, db, n, r); err != nil {
		b.Fatal(err)
	}
	if err := seedItems(ctx, db, items, r); err != nil {
		b.Fatal(err)
	}
	// Each reader at the hour it is now in their zone, due a day away
	// until the measure begins; every digest goes out, thin or not, as
	// the edition's do.
	now := time.Now()
	hours := make([]int, len(slotZones))
	for i, z := range slotZones {
		loc, err := time.LoadLocation(z)
		if err != nil {
			b.Fatal(err)
		}
		hours[i] = now.In(loc).Hour()
	}
	if _, err := db.Pool().Exec(ctx, `
		UPDATE subscribers SET frequency = (ARRAY['weekly','daily','biweekly'])[id % 3 + 1],
		       timezone = ($1::text[])[id % 24 + 1], hour = ($2::int[])[id % 24 + 1], next_due_at = now() + interval '1 day'`,
		slotZones, hours); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE schedule_settings SET min_stories = 0`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	index := dueQueryIndex(b, ctx, db)

	s := newSink(b, nil)
	w := startWorker(b, buildWorker(b, b.TempDir()), map[string]string{
		"DATABASE_URL": dbURL, "REDIS_URL": redisURL, "SMTP_URL": s.url(), "SMTP_CONNECTIONS": strconv.Itoa(conns),
		"SECRET_KEY": "e83b15c7a69f24d0b7e2c41a5f93d68c", "BASE_URL": "https://news.example.org",
		"MAIL_FROM": "News Digest <digest@news.example.org>", "ORG_POSTAL_ADDRESS": "Apartado 123-1000, San José, Costa Rica",
		"SEND_RATE": "0", "DUE_CHECK_EVERY": "1s",
		"DIGEST_CRON": fmt.Sprintf("0 0 1 %d *", (int(time.Now().Month())+5)%12+1),
	})
	waitReady(b, redisOpt, w)

	b.Logf("load average before the slot: %s", loadAvg())
	b.ResetTimer()
	// Readers become due by the clock; here one UPDATE makes them all
	// due at once. It is the benchmark's doing, not the worker's: the
	// clock starts when it has committed.
	madeDue := time.Now()
	if _, err := db.Pool().Exec(ctx, `UPDATE subscribers SET next_due_at = now()`); err != nil {
		b.Fatal(err)
	}
	b.Logf("made %d readers due in %.1fs (the benchmark's UPDATE, not timed below)", n, time.Since(madeDue).Seconds())
	cpuStart := takeCPU(w.cmd.Process.Pid, dbName)
	id := waitSlot(b, ctx, db, w)
	cpuFound := takeCPU(w.cmd.Process.Pid, dbName)
	found := cpuFound.at.Sub(cpuStart.at)
	// CPU seconds say more than the wall time when the machine is shared.
	b.Logf("%s", phaseCPU("due check (due to slot made)", cpuStart, cpuFound))
	if untilCompiled {
		// A slot compiles while its status is compiling: sending or done
		// means the compile has ended.
		cpuCompiled, _ := watchEdition(b, ctx, db, dbName, id, w, s, true)
		b.StopTimer()
		peakKB := stopWorker(b, w)
		b.Logf("%s", phaseCPU("due check and compile (due to compiled)", cpuStart, cpuCompiled))
		b.Logf("worker: %s", workerSays(b, w, "slot created", "edition compiled"))
		b.Logf("slot %d: %s", id, slotCounts(b, ctx, db, id))
		slotsSummary = fmt.Sprintf("slots: subscribers=%d zones=%d frequencies=3 until=compiled slot_found_s=%.1f compile_s=%.1f sent_while_compiling=%d peak_rss_mb=%.0f due_index=%s",
			n, len(slotZones), found.Seconds(), cpuCompiled.at.Sub(cpuStart.at).Seconds(), cpuCompiled.sent, float64(peakKB)/1024, index)
		return
	}
	cpuSending, cpuDone := watchEdition(b, ctx, db, dbName, id, w, s, false)
	b.StopTimer()
	peakKB := stopWorker(b, w)
	mailed := s.read()
	e := checkEdition(b, ctx, db, id, n, mailed)
	sendTime := cpuDone.at.Sub(cpuSending.at)
	b.Logf("slot %d: %d items, %d deliveries: %d sent, %d skipped; %s", e.ID, e.Items, e.Total, e.Sent, e.Skipped, groupStats(ctx, db, e.ID))
	b.Logf("%s", phaseCPU("due check and compile (due to sending)", cpuStart, cpuSending))
	b.Logf("%s", phaseCPU("send (sending to done)", cpuSending, cpuDone))
	b.Logf("worker: %s", workerSays(b, w, "slot created", "edition compiled"))

	total := max(e.Sent, minBaseline)
	elapsed, err := runBaseline(ctx, s, conns, total, mailed.bytes/mailed.messages)
	if err != nil {
		b.Fatal(err)
	}
	// Those sent while compiling are not in the send phase's time, as in
	// BenchmarkSendEdition; the slot's time is from due to done.
	b.Logf("messages sent before the compile ended: %d", cpuSending.sent)
	digestsPerS := float64(int64(e.Sent)-cpuSending.sent) / sendTime.Seconds()
	baselinePerS := float64(total) / elapsed.Seconds()
	b.ReportMetric(digestsPerS, "digests/s")
	b.ReportMetric(digestsPerS/baselinePerS, "ratio")
	slotsSummary = fmt.Sprintf("slots: subscribers=%d zones=%d frequencies=3 digests_per_s=%.0f baseline_per_s=%.0f ratio=%.2f slot_found_s=%.1f compile_s=%.1f slot_s=%.1f peak_rss_mb=%.0f due_index=%s",
		n, len(slotZones), digestsPerS, baselinePerS, digestsPerS/baselinePerS, found.Seconds(),
		cpuSending.at.Sub(cpuStart.at).Seconds(), cpuDone.at.Sub(cpuStart.at).Seconds(), float64(peakKB)/1024, index)
}

// waitSlot waits for the worker to make the slot of the readers due.
func waitSlot(b *testing.B, ctx context.Context, db *postgres.DB, w *workerProc) int64 {
	b.Helper()
	for stop := time.Now().Add(10 * time.Minute); ; {
		if err := w.running(); err != nil {
			b.Fatal(err)
		}
		var id int64
		err := db.Pool().QueryRow(ctx, `SELECT COALESCE(max(id), 0) FROM editions WHERE slot_at IS NOT NULL`).Scan(&id)
		if err != nil {
			b.Fatal(err)
		}
		if id != 0 {
			return id
		}
		if time.Now().After(stop) {
			b.Fatalf("no slot after 10 minutes; worker log ends:\n%s", w.logTail(40))
		}
		time.Sleep(pollEvery)
	}
}

// dueQueryIndex says which index the due check's query (the schedules
// of the readers due) reads when few readers are due ("none" for a scan
// of every reader).
func dueQueryIndex(b *testing.B, ctx context.Context, db *postgres.DB) string {
	b.Helper()
	rows, err := db.Pool().Query(ctx, `EXPLAIN SELECT DISTINCT frequency, timezone, hour FROM subscribers
		WHERE status = 'active' AND next_due_at <= now() AND frequency IS NOT NULL`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			b.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if strings.Contains(plan.String(), "subscribers_next_due") {
		return "subscribers_next_due"
	}
	b.Logf("the due query's plan reads no index:\n%s", plan.String())
	return "none"
}

// slotCounts says how many readers a compiled slot holds and how many of
// its deliveries have a digest.
func slotCounts(b *testing.B, ctx context.Context, db *postgres.DB, id int64) string {
	b.Helper()
	var readers, deliveries, digests int
	err := db.Pool().QueryRow(ctx, `
		SELECT (SELECT count(*) FROM slot_readers WHERE edition_id = $1),
		       (SELECT count(*) FROM deliveries WHERE edition_id = $1),
		       (SELECT count(*) FROM deliveries WHERE edition_id = $1 AND group_id IS NOT NULL)`, id).Scan(&readers, &deliveries, &digests)
	if err != nil {
		b.Fatal(err)
	}
	return fmt.Sprintf("%d readers, %d deliveries written, %d with a digest", readers, deliveries, digests)
}

// workerSays is the lines of the worker's log that hold any of says.
func workerSays(b *testing.B, w *workerProc, says ...string) string {
	b.Helper()
	raw, err := os.ReadFile(w.logPath)
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for l := range strings.Lines(string(raw)) {
		for _, say := range says {
			if strings.Contains(l, say) {
				out = append(out, strings.TrimSpace(l))
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
