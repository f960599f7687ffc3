package app_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"newsdigest/internal/testenv"
)

// TestBounceLimitSuppressesAnAddress: an address the relay refuses for
// good fails with the reply each time; after BOUNCE_LIMIT such refusals it
// is marked bounced and later editions neither count nor try it.
func TestBounceLimitSuppressesAnAddress(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"BOUNCE_LIMIT": "2"})
	const bouncy = "bouncy@example.org"
	var mu sync.Mutex
	tried := 0 // RCPT commands for bouncy
	s.smtp.Reject = func(rcpt string) error {
		if !strings.EqualFold(rcpt, bouncy) {
			return nil
		}
		mu.Lock()
		tried++
		mu.Unlock()
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	if status, got := s.importCSV("email,countries,topics,language\n" + bouncy + ",CR,,en\nfine@example.org,CR,,en\n"); status != http.StatusOK || got.Imported != 2 {
		t.Fatalf("import: %d %+v", status, got)
	}
	for i, title := range []string{"first story", "second story"} {
		e := s.edition(title)
		if e.Status != "done" || e.Total != 2 || e.Sent != 1 || e.Failed != 1 {
			t.Fatalf("edition %d = %+v, want 1 sent and 1 failed", i+1, e)
		}
		want := "active"
		if i == 1 {
			want = "bounced"
		}
		if got := byEmail(s.subscribers("limit=10"))[bouncy].Status; got != want {
			t.Fatalf("after edition %d, %s is %q, want %q", i+1, bouncy, got, want)
		}
	}
	conn := s.dbConn()
	var reply string
	if err := conn.QueryRow(context.Background(), `SELECT d.last_error FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
		WHERE s.email = $1 ORDER BY d.id DESC LIMIT 1`, bouncy).Scan(&reply); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(reply, "550") {
		t.Errorf("the failed delivery holds %q, want the relay's 550 reply", reply)
	}

	e := s.edition("third story")
	if e.Status != "done" || e.Total != 1 || e.Sent != 1 {
		t.Fatalf("edition 3 = %+v, want only the other reader", e)
	}
	mu.Lock()
	defer mu.Unlock()
	if tried != 2 {
		t.Errorf("the relay was asked %d times for %s, want 2 (not again once bounced)", tried, bouncy)
	}
}

// TestPendingSubscriberIsLeftOut: someone who signed up but has not
// confirmed gets the confirmation mail and no digest, and is not counted.
func TestPendingSubscriberIsLeftOut(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const pending = "pending@example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
		"email": pending, "countries": []string{"CR"}, "language": "en", "mode": "any",
	}, nil, http.StatusAccepted)
	s.smtp.WaitFor(t, 30*time.Second, "confirmation to "+pending, func([]testenv.Received) bool {
		return len(s.smtp.To(pending)) == 1
	})
	if status, got := s.importCSV("email,countries,topics,language\nactive@example.org,CR,,en\n"); status != http.StatusOK || got.Imported != 1 {
		t.Fatalf("import: %d %+v", status, got)
	}
	e := s.edition("a story for confirmed readers")
	if e.Status != "done" || e.Total != 1 || e.Sent != 1 {
		t.Fatalf("edition = %+v, want one delivery, to the confirmed reader", e)
	}
	onlyDigest(t, s, "active@example.org", 1)
	if msgs := s.smtp.To(pending); len(msgs) != 1 || msgs[0].Header("X-Newsdigest-Edition") != "" {
		t.Errorf("%s got %d messages, want only the confirmation", pending, len(msgs))
	}
}

// TestLanguageVersionsReachTheirReaders: a story told in English and in
// Spanish, linked as versions of each other, reaches each reader once, in
// the reader's language.
func TestLanguageVersionsReachTheirReaders(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const (
		titleEN = "Costa Rica: IOM presents labor market research study for the border canton of Upala"
		titleES = "Costa Rica: la OIM presenta un estudio del mercado laboral en Upala"
	)
	listing := "16 December, 2020\n\n" + titleEN + "\n\nA labor survey in the canton of Upala, on the border with Nicaragua.\n\nhttps://site.example/en/news/upala\n\n" +
		"16 December, 2020\n\n" + titleES + "\n\nUna encuesta laboral en el cantón de Upala.\n\nhttps://site.example/es/news/upala\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	items := s.fullItems()
	if len(items) != 2 || len(items[0].Translations) != 1 {
		t.Fatalf("the two versions are not linked: %+v", items)
	}
	if status, got := s.importCSV("email,countries,topics,language\nreader-en@example.org,CR,,en\nreader-es@example.org,CR,,es\n"); status != http.StatusOK || got.Imported != 2 {
		t.Fatalf("import: %d %+v", status, got)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Items != 2 || e.Sent != 2 {
		t.Fatalf("edition = %+v, want both versions in it and two digests sent", e)
	}
	for addr, want := range map[string]string{"reader-en@example.org": titleEN, "reader-es@example.org": titleES} {
		text, _ := bodies(t, onlyDigest(t, s, addr, 1).Raw)
		flat := strings.Join(strings.Fields(text), " ")
		for _, title := range []string{titleEN, titleES} {
			if has := strings.Contains(flat, title); has != (title == want) {
				t.Errorf("digest to %s: has %q = %v", addr, title, has)
			}
		}
	}
}

// TestSendRateHoldsAcrossWorkers: with SEND_RATE set, two workers together
// send no faster than the rate. The bound is safe on a loaded machine:
// the nth message cannot reach the relay before n-1 intervals after the
// first slot was booked, which is after the edition was asked for.
func TestSendRateHoldsAcrossWorkers(t *testing.T) {
	t.Parallel()
	const (
		readers = 30
		rate    = 10.0 // messages a second
	)
	s := startStackEnv(t, map[string]string{"SEND_RATE": "10"})
	s.startWorker(testWorkerOptions())
	var mu sync.Mutex
	var arrived []time.Time
	s.smtp.AfterData = func([]string) error {
		mu.Lock()
		arrived = append(arrived, time.Now())
		mu.Unlock()
		return nil
	}
	var list strings.Builder
	list.WriteString("email,countries,topics,language\n")
	for i := range readers {
		list.WriteString("rate" + itoa(int64(i)) + "@example.org,CR,,en\n")
	}
	if status, got := s.importCSV(list.String()); status != http.StatusOK || got.Imported != readers {
		t.Fatalf("import: %d %+v", status, got)
	}
	listing := "20 December, 2020\n\nCosta Rica: a paced story\n\nA summary about Costa Rica.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import listing: %d %s", status, body)
	}
	asked := time.Now()
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != readers {
		t.Fatalf("edition = %+v, want %d sent", e, readers)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(arrived) != readers {
		t.Fatalf("the relay took %d messages, want %d", len(arrived), readers)
	}
	last := slices.MaxFunc(arrived, func(a, b time.Time) int { return a.Compare(b) })
	least := time.Duration(float64(readers-1) / rate * float64(time.Second))
	if took := last.Sub(asked); took < least {
		t.Errorf("%d messages reached the relay %s after the edition was asked for; at %v a second that takes at least %s",
			readers, took.Round(time.Millisecond), rate, least)
	}
}
