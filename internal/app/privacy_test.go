package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
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
	resp, err := http.Get(u)
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

// A subscriber downloads everything held about them, then deletes
// themselves in Spanish; the address can then neither be imported nor
// signed up again, and the answer to a sign-up reveals nothing.
func TestPrivacyExportAndDeleteMe(t *testing.T) {
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
	s.jsonCall("POST", "/api/v1/editions", nil, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 {
		t.Fatalf("edition = %+v, want done with 1 sent", e)
	}
	text, _ := bodies(t, onlyDigest(t, s, addr, 1).Raw)
	prefsURL := prefsLink.FindString(text)
	if prefsURL == "" {
		t.Fatalf("the digest has no preferences link:\n%s", text)
	}

	// The preferences page links to the export; the export is a download
	// holding the choices, the consent record and the delivery.
	b.open(prefsURL+"?lang=es", prefsForm)
	ctx, cancel := b.step()
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`main a[href$="/export"]`), "href"))
	cancel()
	if err != nil || !href.Exists {
		t.Fatalf("the preferences page has no link to the export: %v", err)
	}
	exportURL := s.base + href.Value
	resp, body := privacyGet(t, exportURL)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="newsdigest-data.json"` {
		t.Errorf("export Content-Disposition = %q", cd)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("export Cache-Control = %q, want no-store", cc)
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
	for _, u := range []string{exportURL, prefsURL, prefsURL + "/delete"} {
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

	// Signing up again answers like any sign-up, and mails nothing: a
	// sign-up just after it is mailed, so the worker has had its turn.
	mailed := len(s.smtp.To(addr))
	st, page := s.page(client, "POST", "/subscribe", form)
	const other = "otra.persona@example.org"
	form.Set("email", other)
	otherSt, otherPage := s.page(client, "POST", "/subscribe", form)
	if otherSt != http.StatusOK {
		t.Fatalf("subscribe %s: %d %s", other, otherSt, otherPage)
	}
	if st != otherSt || !strings.Contains(page, "Check your inbox") || !strings.Contains(otherPage, "Check your inbox") {
		t.Errorf("sign-up of the erased address: %d, of a new one: %d; want the same check-your-inbox page", st, otherSt)
	}
	s.smtp.WaitFor(t, 30*time.Second, "confirmation to "+other, func([]testenv.Received) bool {
		return len(s.smtp.To(other)) >= 1
	})
	if n := len(s.smtp.To(addr)); n != mailed {
		t.Errorf("the erased address got %d more mails after signing up again", n-mailed)
	}
}
