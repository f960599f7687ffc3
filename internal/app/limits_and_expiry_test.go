package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestLoginBodyIsCapped: the console's login form, which anyone may post,
// is refused whole when its body passes the small cap, before anything
// parses it; no session is made. The same login, small, goes through.
func TestLoginBodyIsCapped(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := s.browser()
	fields := url.Values{"csrf_token": {s.csrfToken(b, "/admin/login")}, "user": {"admin"}, "password": {adminPassword}}
	u, _ := url.Parse(s.base + "/admin/login")
	cookies := b.Jar.Cookies(u)

	big := url.Values{"pad": {strings.Repeat("x", 64<<10)}}
	for k, v := range fields {
		big[k] = v
	}
	for _, length := range []int64{int64(len(big.Encode())), 0} { // with a length, and chunked
		if status, body := rawPost(t, s.base, "/admin/login", formType, cookies, strings.NewReader(big.Encode()), length); status != http.StatusRequestEntityTooLarge {
			t.Errorf("a 64 KiB login (length %d): status %d, want 413: %.300s", length, status, body)
		}
	}
	var sessions int
	editionsDB(t, s, func(conn *pgx.Conn) {
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM admin_sessions`).Scan(&sessions); err != nil {
			t.Fatal(err)
		}
	})
	if sessions != 0 {
		t.Errorf("%d sessions after refused logins, want 0", sessions)
	}
	body := fields.Encode()
	if status, page := rawPost(t, s.base, "/admin/login", formType, cookies, strings.NewReader(body), int64(len(body))); status != http.StatusSeeOther {
		t.Errorf("the small login: status %d, want 303: %.300s", status, page)
	}
}

// TestExportLinkExpires: the mailed link to a person's data lives an hour
// from its mail, and once past that it gives nothing, even unused.
func TestExportLinkExpires(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const addr = "expiry@example.org"
	s.subscribeAndConfirm(addr, []string{"CR"})
	row := subscriberRow(t, s, addr)
	link := s.exportOf(s.base+"/preferences/"+row.Token, addr)

	// The mail can arrive a moment before the worker records it sent:
	// wait for the record.
	var ttl time.Duration
	editionsDB(t, s, func(conn *pgx.Conn) {
		deadline := time.Now().Add(30 * time.Second)
		for {
			var sent, expires *time.Time
			if err := conn.QueryRow(context.Background(), `SELECT sent_at, expires_at FROM export_links
				WHERE subscriber_id = $1`, row.ID).Scan(&sent, &expires); err != nil {
				t.Fatal(err)
			}
			if sent != nil && expires != nil {
				ttl = expires.Sub(*sent)
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the export link's mail is not recorded sent after 30 s")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	// The hour runs from when the worker took the mail, a moment before
	// it was recorded sent.
	if ttl > time.Hour || ttl < 50*time.Minute {
		t.Errorf("the export link lives %v from its mail, want an hour", ttl)
	}
	s.sqlExec(`UPDATE export_links SET expires_at = now() - interval '1 second' WHERE subscriber_id = $1`, row.ID)
	if resp, body := privacyGet(t, link); resp.StatusCode != http.StatusNotFound || strings.Contains(string(body), addr) {
		t.Errorf("an expired export link: %d, want 404 and no data: %.300s", resp.StatusCode, body)
	}
}

// TestCancelledEditionPublishesNothing: the stories of an edition an
// editor cancelled appear neither in the archive nor in the feeds.
func TestCancelledEditionPublishesNothing(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"SEND_RATE": "1"})
	const title = "IOM trains border officials in San José to detect migrant smuggling"
	listing := "20 December, 2020\n\nCosta Rica: " + title + "\n\n" +
		"Officials from Costa Rica's migration service took part in a workshop on smuggling of migrants.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	var csv strings.Builder
	csv.WriteString("email,countries,topics,language\n")
	for i := range 40 { // 40 s at SEND_RATE 1: still sending when cancelled
		csv.WriteString("cancelled" + strconv.Itoa(i) + "@example.org,CR,,en\n")
	}
	if status, got := s.importCSV(csv.String()); status != http.StatusOK || got.Imported != 40 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if status, body := s.do("POST", "/api/v1/editions/"+itoa(created.ID)+"/cancel", "", nil, true); status != http.StatusOK {
		t.Fatalf("cancel: %d %s", status, body)
	}
	if e := s.waitEdition(created.ID); e.Reason != "cancelled" {
		t.Fatalf("edition %+v, want cancelled", e)
	}
	for _, path := range []string{"/archive", "/archive?country=CR", "/feeds/country/CR.xml"} {
		if got := page(t, s.browser(), s.base, path, http.StatusOK); strings.Contains(got, title) {
			t.Errorf("%s shows a story of the cancelled edition", path)
		}
	}
}
