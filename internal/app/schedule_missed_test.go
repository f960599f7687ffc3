package app_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/config"
	"newsdigest/internal/dates"
	"newsdigest/internal/testenv"
)

// testClock is the clock a scheduling worker reads; the test moves it
// past a tick instead of waiting a week for one.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// scheduler runs a worker that keeps the schedule (DIGEST_CRON in
// DIGEST_TZ of cfg) by clock, until stop.
func (s *stack) scheduler(cfg *config.Config, clock *testClock) (stop func()) {
	opts := testWorkerOptions()
	opts.DisableScheduling = false
	opts.Clock = clock.Now
	return s.runWorker(cfg, opts)
}

// nextTick is the schedule's first tick after t.
func (s *stack) nextTick(t time.Time) time.Time {
	return s.cfg.DigestCron.Next(t.In(s.cfg.DigestTZ))
}

// waitScheduleStarted polls until a scheduler has recorded when the
// schedule began.
func (s *stack) waitScheduleStarted() {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		editionsDB(s.t, s, func(conn *pgx.Conn) {
			if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM schedule_start`).Scan(&n); err != nil {
				s.t.Fatal(err)
			}
		})
		if n == 1 {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatal("no scheduler recorded the start of the schedule within 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// scheduledEdition is an edition as the list of editions has it.
type scheduledEdition struct {
	edition
	ScheduledFor *time.Time `json:"scheduled_for"`
	Window       struct {
		IngestedAfter *time.Time `json:"ingested_after"`
		IngestedUntil *time.Time `json:"ingested_until"`
	} `json:"window"`
}

// editionsList returns every edition, newest first.
func (s *stack) editionsList() []scheduledEdition {
	s.t.Helper()
	var list struct{ Editions []scheduledEdition }
	s.jsonCall("GET", "/api/v1/editions", nil, &list, http.StatusOK)
	return list.Editions
}

// waitTick polls until the edition of tick is finished (done or failed)
// and returns it.
func (s *stack) waitTick(tick time.Time) scheduledEdition {
	s.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		for _, e := range s.editionsList() {
			if e.ScheduledFor != nil && e.ScheduledFor.Equal(tick) && (e.Status == "done" || e.Status == "failed") {
				return e
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no finished edition for the tick of %s after 60 s; editions: %+v", tick, s.editionsList())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ofTick counts the editions made for tick.
func (s *stack) ofTick(tick time.Time) int {
	n := 0
	for _, e := range s.editionsList() {
		if e.ScheduledFor != nil && e.ScheduledFor.Equal(tick) {
			n++
		}
	}
	return n
}

// scheduleReader imports one active reader of Costa Rica's stories and two
// stories about Costa Rica.
func (s *stack) scheduleReader(addr string) {
	s.t.Helper()
	if status, got := s.importCSV("email,countries,topics,language\n" + addr + ",CR,,en\n"); status != http.StatusOK || got.Imported != 1 {
		s.t.Fatalf("import the reader: %d %+v", status, got)
	}
	s.importStories("Costa Rica opens a shelter in Upala", "Costa Rica and Panama agree on transit")
}

// TestMissedTickIsMadeWhenAWorkerStarts: no worker runs across the tick
// (a deploy, a crash loop); the first worker to start afterwards makes
// that tick's edition, once, and the reader gets it.
func TestMissedTickIsMadeWhenAWorkerStarts(t *testing.T) {
	t.Parallel()
	s := startStack(t) // its worker sends, but keeps no schedule
	const reader = "reader@example.org"
	s.scheduleReader(reader)
	clock := newTestClock()
	stop := s.scheduler(s.cfg, clock)
	s.waitScheduleStarted()
	stop()

	tick := s.nextTick(clock.Now())
	clock.Set(tick.Add(3 * time.Hour)) // within DIGEST_LATE_LIMIT
	s.scheduler(s.cfg, clock)
	e := s.waitTick(tick)
	if e.Status != "done" || e.Sent != 1 || e.Items != 2 {
		t.Fatalf("the missed tick's edition: %+v, want done with its 2 stories sent to the reader", e)
	}
	if n := s.ofTick(tick); n != 1 {
		t.Errorf("%d editions for the tick, want 1", n)
	}
	if n := len(s.smtp.To(reader)); n != 1 {
		t.Errorf("the reader got %d digests, want 1", n)
	}
}

// TestTickWhileRedisRefusesIsMadeWhenItReturns: at the tick Redis refuses
// every connection; the edition is made anyway, and sent once Redis is
// back.
func TestTickWhileRedisRefusesIsMadeWhenItReturns(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil) // the only worker is the one behind the proxy
	const reader = "reader@example.org"
	s.scheduleReader(reader)
	proxy, redisURL := testenv.ProxyURL(t, s.cfg.RedisURL)
	cfg := *s.cfg
	cfg.RedisURL = redisURL
	clock := newTestClock()
	s.scheduler(&cfg, clock)
	s.waitScheduleStarted()

	proxy.Refuse()
	tick := s.nextTick(clock.Now())
	clock.Set(tick.Add(time.Minute))
	deadline := time.Now().Add(30 * time.Second)
	for s.ofTick(tick) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no edition for the tick while Redis refused, after 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	proxy.Accept(t)
	if e := s.waitTick(tick); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("the tick's edition once Redis is back: %+v, want done and sent", e)
	}
	if n := s.ofTick(tick); n != 1 {
		t.Errorf("%d editions for the tick, want 1", n)
	}
}

// TestTwoSchedulersOneEditionPerTick: two workers keep the same schedule
// by the same clock; each of three ticks gets one edition, and each
// edition's window starts where the one before ended.
func TestTwoSchedulersOneEditionPerTick(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	s.scheduleReader("reader@example.org")
	clock := newTestClock()
	s.scheduler(s.cfg, clock)
	s.scheduler(s.cfg, clock)
	s.waitScheduleStarted()
	var ticks []time.Time
	for range 3 {
		tick := s.nextTick(clock.Now())
		ticks = append(ticks, tick)
		clock.Set(tick.Add(time.Minute))
		s.waitTick(tick)
	}
	list := s.editionsList()
	if len(list) != 3 {
		t.Fatalf("%d editions for 3 ticks: %+v", len(list), list)
	}
	for _, tick := range ticks {
		if n := s.ofTick(tick); n != 1 {
			t.Errorf("%d editions for the tick of %s, want 1", n, tick)
		}
	}
	for i := 0; i+1 < len(list); i++ {
		newer, older := list[i].Window, list[i+1].Window
		if newer.IngestedAfter == nil || older.IngestedUntil == nil || !newer.IngestedAfter.Equal(*older.IngestedUntil) {
			t.Errorf("edition %d starts at %v, but edition %d ended at %v", list[i].ID, newer.IngestedAfter, list[i+1].ID, older.IngestedUntil)
		}
	}
}

// TestTickPastTheLateLimitIsSkippedAndItsStoriesCarried: a tick missed
// for longer than DIGEST_LATE_LIMIT is not sent late: its edition is
// recorded as skipped with the reason, the dashboard says so, and the
// next tick's edition brings its stories.
func TestTickPastTheLateLimitIsSkippedAndItsStoriesCarried(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"DIGEST_LATE_LIMIT": "2h"})
	const reader = "reader@example.org"
	s.scheduleReader(reader)
	clock := newTestClock()
	stop := s.scheduler(s.cfg, clock)
	s.waitScheduleStarted()
	stop()

	late := s.nextTick(clock.Now())
	clock.Set(late.Add(5 * time.Hour))
	s.scheduler(s.cfg, clock)
	skipped := s.waitTick(late)
	if skipped.Status != "done" || !strings.HasPrefix(skipped.Reason, "skipped: ") || !strings.Contains(skipped.Reason, "DIGEST_LATE_LIMIT") ||
		skipped.Total != 0 || skipped.Sent != 0 {
		t.Fatalf("the late tick's edition: %+v, want done, skipped with the reason, nothing sent", skipped)
	}
	if n := len(s.smtp.To(reader)); n != 0 {
		t.Fatalf("the reader got %d digests of a skipped edition", n)
	}
	c := s.consoleClient()
	status, page := s.page(c, "GET", "/admin", nil)
	if status != http.StatusOK || !strings.Contains(page, `id="skipped-editions"`) ||
		!strings.Contains(page, "/admin/editions/"+itoa(skipped.ID)) || !strings.Contains(page, "DIGEST_LATE_LIMIT") {
		t.Errorf("the dashboard does not name the skipped edition %d (%d):\n%s", skipped.ID, status, page)
	}

	b := newBrowser(t, 2*time.Minute)
	editionsLogin(b, s)
	for _, lang := range []string{"en", "es"} {
		b.open(s.base+"/admin?lang="+lang, chromedp.CSS(`#skipped-editions`))
		b.checkAccessible("dashboard with a skipped edition (" + lang + ")")
		b.shots(t, "dashboard-skipped-"+lang)
	}

	next := s.nextTick(clock.Now())
	clock.Set(next.Add(time.Minute))
	e := s.waitTick(next)
	if e.Status != "done" || e.Sent != 1 || e.Items != 2 {
		t.Fatalf("the next tick's edition: %+v, want the skipped edition's 2 stories sent", e)
	}
	text, _ := bodies(t, s.smtp.To(reader)[0].Raw)
	for _, title := range []string{"Costa Rica opens a shelter in Upala", "Costa Rica and Panama agree on transit"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), title) {
			t.Errorf("the next digest lacks %q", title)
		}
	}
}

// TestTokyoMondayEditionIsDatedMonday: with DIGEST_TZ Asia/Tokyo, the
// Monday 07:00 edition (Sunday in UTC) is dated Monday in the mail, on
// the web digest and in the console's preview, and the console names the
// zone of its times.
func TestTokyoMondayEditionIsDatedMonday(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"DIGEST_TZ": "Asia/Tokyo", "DIGEST_CRON": "0 7 * * 1"})
	const reader = "reader@example.org"
	s.scheduleReader(reader)
	clock := newTestClock()
	s.scheduler(s.cfg, clock)
	s.waitScheduleStarted()
	tick := s.nextTick(clock.Now())
	if tick.Weekday() != time.Monday || tick.UTC().Weekday() != time.Sunday {
		t.Fatalf("the tick %s is not Monday in Tokyo and Sunday in UTC", tick)
	}
	clock.Set(tick.Add(time.Minute))
	e := s.waitTick(tick)
	monday, sunday := dates.Day("en", tick), dates.Day("en", tick.UTC())

	text, html := bodies(t, s.smtp.To(reader)[0].Raw)
	for part, body := range map[string]string{"text": text, "HTML": html} {
		// The mail's own date is in its header; the stories carry their
		// own dates (today's, which is the Sunday when the test runs on it).
		header := headerDate(part, body)
		if header != monday {
			t.Errorf("the mail's %s is dated %q, not %s (Monday in Tokyo; %s is the Sunday in UTC)", part, header, monday, sunday)
		}
	}
	_, view := s.digestLinks(reader)
	if status, page := s.page(s.browser(), "GET", view, nil); status != http.StatusOK || !strings.Contains(page, monday) {
		t.Errorf("the web digest (%d) is not dated %s", status, monday)
	}
	c := s.consoleClient()
	if status, page := s.page(c, "GET", "/admin/editions/preview.html?edition="+itoa(e.ID)+"&email="+reader, nil); status != http.StatusOK ||
		!strings.Contains(page, monday) {
		t.Errorf("the console's preview (%d) is not dated %s", status, monday)
	}
	if status, page := s.page(c, "GET", "/admin/editions/"+itoa(e.ID), nil); status != http.StatusOK || !strings.Contains(page, " JST") {
		t.Errorf("the edition's page (%d) does not name the zone of its times (JST):\n%s", status, page)
	}
}

// dateAboveName is the HTML digest header's line above the list's name.
var dateAboveName = regexp.MustCompile(`>([^<>]*)</p>\s*<h1`)

// headerDate is the date in a digest's header: in HTML the line just
// above the list's name (its h1), in text the line under its underline.
func headerDate(part, body string) string {
	if part == "HTML" {
		if m := dateAboveName.FindStringSubmatch(body); m != nil {
			return strings.TrimSpace(m[1])
		}
		return ""
	}
	lines := strings.Split(body, "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "===") && i+1 < len(lines) {
			return strings.TrimSpace(lines[i+1])
		}
	}
	return ""
}
