package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"

	"newsdigest/internal/testenv"
)

// privacyGet fetches a URL with a plain client, as a person saving the
// export would, and returns the answer and its body.
func privacyGet(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	return getWith(t, http.DefaultClient, u)
}

// getWith fetches u with c and returns the answer and its body.
func getWith(t *testing.T, c *http.Client, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// checkDownload checks that resp is the copy of a person's data: a file
// to keep, never cached on the way.
func checkDownload(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="newsdigest-data.json"` {
		t.Errorf("%s: Content-Disposition = %q", what, cd)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control = %q, want no-store", what, cc)
	}
}

// privacyStoredAddresses lists the addresses column as stored.
func privacyStoredAddresses(t *testing.T, s *stack) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT email FROM subscribers ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var exportLink = regexp.MustCompile(`https?://[^\s"<>]+/export/[A-Za-z0-9_-]{22}`)

// exportLinks lists the export links mailed to addr, oldest first.
func (s *stack) exportLinks(addr string) []string {
	s.t.Helper()
	var links []string
	for _, m := range s.smtp.To(addr) {
		text, _ := bodies(s.t, m.Raw)
		if l := exportLink.FindString(text); l != "" {
			links = append(links, l)
		}
	}
	return links
}

// exportOf asks for a person's data as they would, from the link on
// their preferences page at prefsURL, and returns the link mailed to addr
// for it. Export mails are spaced out per person; the test, which asks
// more often than a person would, clears the last one's time first.
func (s *stack) exportOf(prefsURL, addr string) string {
	s.t.Helper()
	s.sqlExec(`UPDATE export_links SET sent_at = NULL WHERE subscriber_id IN (SELECT id FROM subscribers WHERE email = $1)`, addr)
	before := len(s.exportLinks(addr))
	resp, body := privacyGet(s.t, prefsURL+"/export")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "mailed your address a link") {
		s.t.Fatalf("ask for the export: %d %s", resp.StatusCode, body)
	}
	var links []string
	s.smtp.WaitFor(s.t, 30*time.Second, "export link to "+addr, func([]testenv.Received) bool {
		links = s.exportLinks(addr)
		return len(links) > before
	})
	return links[len(links)-1]
}

// exportJSON follows a mailed export link, presses its page's button
// and returns the download.
func (s *stack) exportJSON(link string) []byte {
	s.t.Helper()
	resp, body := s.exportDownload(s.browser(), link)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("export download: %d %s", resp.StatusCode, body)
	}
	return body
}

// A subscriber asks for everything held about them and gets it through a
// link mailed to them, once; then deletes themselves in Spanish. The
// address cannot be imported again, and may be signed up again only by
// its owner, through the double opt-in.
func TestPrivacyExportAndDeleteMe(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 150*time.Second)
	const addr = "rosa.privada@example.org"
	client := s.browser()

	// Subscribe, confirm, and receive a digest: the export has a
	// delivery to show, and the digest carries the preferences link.
	form := url.Values{"email": {addr}, "countries": {"CR"}, "language": {"es"}, "mode": {"any"}}
	if st, body := s.page(client, "POST", "/subscribe", form); st != http.StatusOK {
		t.Fatalf("subscribe: %d %s", st, body)
	}
	if st, body := s.page(client, "POST", s.confirmPath(addr, 1), nil); st != http.StatusOK {
		t.Fatalf("confirm: %d %s", st, body)
	}
	listing := "20 December, 2020\n\nCosta Rica: IOM trains border officials in San José to detect migrant smuggling\n\n" +
		"Officials from Costa Rica's migration service took part in a workshop on smuggling of migrants.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition = %+v, want done with 1 sent", e)
	}
	text, _ := bodies(t, onlyDigest(t, s, addr, 1).Raw)
	prefsURL := prefsLink.FindString(text)
	if prefsURL == "" {
		t.Fatalf("the digest has no preferences link:\n%s", text)
	}

	// The preferences page links to the export. Following that link (the
	// one every digest's preferences link leads to, which may have been
	// forwarded) gives no data: it mails the address a link, which
	// downloads the data once.
	b.open(prefsURL+"?lang=es", prefsForm)
	ctx, cancel := b.step()
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`main a[href*="/export?"]`), "href"))
	cancel()
	if err != nil || !href.Exists {
		t.Fatalf("the preferences page has no link to the export: %v", err)
	}
	asked, askedBody := privacyGet(t, s.base+href.Value)
	if asked.StatusCode != http.StatusOK || asked.Header.Get("Content-Disposition") != "" ||
		strings.Contains(string(askedBody), addr) || strings.Contains(string(askedBody), `"consents"`) {
		t.Fatalf("the preferences page's export link answered %d with %q: want a page saying a link was mailed, and no data",
			asked.StatusCode, askedBody)
	}
	var exportURL string
	s.smtp.WaitFor(t, 30*time.Second, "export link to "+addr, func([]testenv.Received) bool {
		links := s.exportLinks(addr)
		if len(links) == 1 {
			exportURL = links[0]
		}
		return exportURL != ""
	})
	// Asking again at once mails nothing more: a forwarded preferences
	// link cannot flood the inbox.
	if again, _ := privacyGet(t, s.base+href.Value); again.StatusCode != http.StatusOK {
		t.Errorf("asking again: %d", again.StatusCode)
	}
	// A HEAD (a mail scanner's look) does not spend the link.
	if head, err := http.Head(exportURL); err != nil || head.StatusCode == http.StatusOK {
		t.Errorf("HEAD on the export link: %v %v, want no download", err, head)
	}
	resp, body := s.exportDownload(client, exportURL)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", resp.StatusCode, body)
	}
	checkDownload(t, "export", resp)
	// Used, it says so, and where to ask for another: not that the
	// reader may subscribe again.
	if again, body := privacyGet(t, exportURL); again.StatusCode != http.StatusNotFound ||
		!strings.Contains(string(body), "has been used or has run out") || strings.Contains(string(body), "subscribe again") {
		t.Errorf("the export link opened after its download: %d, want 404 saying it was used: %.400s", again.StatusCode, body)
	}
	s.waitQueuesIdle()
	if n := len(s.exportLinks(addr)); n != 1 {
		t.Errorf("%d export links mailed for two requests a moment apart, want 1", n)
	}
	var data struct {
		Email   string
		Status  string
		Choices struct {
			Countries, Topics []string
			Language, Mode    string
		}
		CreatedAt   time.Time `json:"created_at"`
		ConfirmedAt time.Time `json:"confirmed_at"`
		Consents    []struct {
			Action      string
			IP          string
			UserAgent   string `json:"user_agent"`
			FormVersion string `json:"form_version"`
		}
		Deliveries []struct {
			Edition int64
			Status  string
			SentAt  *time.Time `json:"sent_at"`
		}
	}
	mustJSON(t, body, &data)
	if data.Email != addr || data.Status != "active" || strings.Join(data.Choices.Countries, ",") != "CR" ||
		data.Choices.Language != "es" || data.Choices.Mode != "any" || data.Choices.Topics == nil {
		t.Errorf("export = %s, want %s active with CR in Spanish", body, addr)
	}
	if data.CreatedAt.IsZero() || data.ConfirmedAt.Before(data.CreatedAt) {
		t.Errorf("export dates: created %v, confirmed %v", data.CreatedAt, data.ConfirmedAt)
	}
	var actions []string
	for _, c := range data.Consents {
		actions = append(actions, c.Action)
		if c.IP == "" || c.UserAgent == "" {
			t.Errorf("consent %s lacks its IP or browser: %+v", c.Action, c)
		}
	}
	if strings.Join(actions, ",") != "subscribe,confirm" {
		t.Errorf("export consents = %v, want subscribe then confirm", actions)
	}
	if len(data.Deliveries) != 1 || data.Deliveries[0].Edition != created.ID || data.Deliveries[0].Status != "sent" ||
		data.Deliveries[0].SentAt == nil {
		t.Errorf("export deliveries = %+v, want edition %d sent", data.Deliveries, created.ID)
	}

	// "Borrarme" leads to a page saying what will happen; its button
	// erases, and the answer is in Spanish.
	b.do("follow the delete link",
		chromedp.Click(chromedp.CSS(`main a[href*="/delete"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`form#delete`)))
	if h := b.text("delete heading", pageHeading); h != "Borrar tus datos" {
		t.Errorf("delete page heading = %q, want the Spanish one", h)
	}
	if !strings.Contains(b.pageText(), addr) {
		t.Errorf("the delete page does not name the address: %q", b.pageText())
	}
	b.checkAccessible("delete confirmation page")
	b.shots(t, "privacy-delete")
	if st := b.submit("delete me", chromedp.CSS(`form#delete button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("delete: status %d, page says %q", st, b.pageText())
	}
	if h := b.text("deleted heading", pageHeading); h != "Tus datos se han borrado" {
		t.Errorf("after deleting the page says %q, want the Spanish confirmation", h)
	}
	b.checkAccessible("deleted page")
	b.shots(t, "privacy-deleted")

	// The links are dead, and nothing stored names the person.
	for _, u := range []string{prefsURL + "/export", prefsURL, prefsURL + "/delete"} {
		if resp, body := privacyGet(t, u); resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "This link no longer works") {
			t.Errorf("GET %s after deletion: %d, want the 404 page saying the link no longer works", u, resp.StatusCode)
		}
	}
	for _, stored := range privacyStoredAddresses(t, s) {
		if strings.Contains(strings.ToLower(stored), "rosa") {
			t.Errorf("an address naming the person is still stored: %q", stored)
		}
	}

	// An import of the address (in other letters' case) skips it.
	csv := "email,countries,topics,language\nRosa.Privada@Example.org,CR,,en\nnuevo@example.org,CR,,es\n"
	status, raw := s.do("POST", "/api/v1/subscribers/import", "text/csv", []byte(csv), true)
	if status != http.StatusOK {
		t.Fatalf("import: %d %s", status, raw)
	}
	var res struct{ Imported, Skipped int }
	mustJSON(t, raw, &res)
	if res.Imported != 1 || res.Skipped != 1 {
		t.Errorf("import after deletion = %s, want the erased address skipped and the other imported", raw)
	}

	// The person may sign up again, through the double opt-in: the keyed
	// hash stops only imports.
	st, page := s.page(client, "POST", "/subscribe", form)
	if st != http.StatusOK || !strings.Contains(page, "Check your inbox") {
		t.Fatalf("sign-up of the erased address: %d, want the check-your-inbox page", st)
	}
	if st, page := s.page(client, "POST", s.confirmPath(addr, 2), nil); st != http.StatusOK {
		t.Fatalf("confirming the new sign-up: %d %.300s", st, page)
	}
	var active int
	for _, a := range privacyStoredAddresses(t, s) {
		if a == addr {
			active++
		}
	}
	if active != 1 {
		t.Errorf("after signing up again, %d rows hold the address, want the new one", active)
	}
	if status, raw := s.do("POST", "/api/v1/subscribers/import", "text/csv",
		[]byte("email,countries,topics,language\nnuevo@example.org,CR,,es\n"), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, raw)
	}
	// Erased a second time, the address leaves the same keyed hash twice.
	sub := subscriberRow(t, s, addr)
	s.jsonCall("POST", "/api/v1/subscribers/"+itoa(sub.ID)+"/erase", nil, nil, http.StatusOK)
	for _, stored := range privacyStoredAddresses(t, s) {
		if strings.Contains(strings.ToLower(stored), "rosa") {
			t.Errorf("after the second erasure an address naming the person is still stored: %q", stored)
		}
	}
}

// TestErasedAddressMaySignUpAgain: after an erasure the keyed hash of the
// address stops imports from bringing the person back, but the person may
// sign up again through the double opt-in: a confirmation mail goes out,
// and confirming makes them a subscriber anew.
func TestErasedAddressMaySignUpAgain(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const addr = "vuelve@example.org"
	s.subscribeAndConfirm(addr, []string{"CR"})
	s.jsonCall("POST", "/api/v1/subscribers/"+itoa(subscriberRow(t, s, addr).ID)+"/erase", nil, nil, http.StatusOK)

	var res struct{ Imported, Skipped int }
	status, raw := s.do("POST", "/api/v1/subscribers/import", "text/csv", []byte("email,countries,topics,language\nVuelve@example.org,CR,,en\n"), true)
	if mustJSON(t, raw, &res); status != http.StatusOK || res.Imported != 0 || res.Skipped != 1 {
		t.Fatalf("import of the erased address: %d %s, want it skipped", status, raw)
	}
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{"email": addr, "countries": []string{"GT"}}, nil, http.StatusAccepted)
	b := s.browser()
	if st, page := s.page(b, "POST", s.confirmPath(addr, 2), nil); st != http.StatusOK {
		t.Fatalf("confirming the sign-up after erasure: %d %.300s", st, page)
	}
	if row := subscriberRow(t, s, addr); row == nil || row.Status != "active" || strings.Join(row.Countries, ",") != "GT" {
		t.Fatalf("after signing up again and confirming: %+v, want active with GT", row)
	}
}
