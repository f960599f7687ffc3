package app_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"newsdigest/internal/testenv"
)

// TestBrowserConsolePresentation walks the console pages an editor reads
// most, as the desk's first afternoon did, and checks what they read:
// the preview form offers a reader's choices (all stories, regions with
// "every country in", countries and topics by name); tags are names, not
// slugs; country lists put the desk's countries first, named today's
// way; the audit log speaks in words, folds log-ins away and logs a test
// send of no edition as the test send; a notice does not come back on
// reload; sources can be polled now; and at phone width the header is
// compact. Each page is shot at 375 and 1280 px and must not scroll
// sideways.
func TestBrowserConsolePresentation(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	listing := "20 December, 2020\n\n" +
		"Costa Rica: the network against trafficking and smuggling trains border officials\n\n" +
		"Officials in Costa Rica learnt how to spot trafficking and smuggling of migrants at the border.\n\n" +
		"21 December, 2020\n\n" +
		"Eswatini: a new migration data report\n\n" +
		"A report on migration data in Eswatini was published.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	b := newBrowser(t, 6*time.Minute)
	if st := b.adminLogin(s.base, "admin", adminPassword); st != http.StatusOK {
		t.Fatalf("login: %d", st)
	}

	// The stories list: tags by name, the desk's countries first.
	b.open(s.base+"/admin/items?lang=en", chromedp.CSS(`table#items`))
	tags := b.text("tags", chromedp.CSS(`table#items tbody`))
	for _, want := range []string{"Costa Rica", "Trafficking and smuggling"} {
		if !strings.Contains(tags, want) {
			t.Errorf("the stories list's tags %q lack %q", tags, want)
		}
	}
	if strings.Contains(tags, "trafficking-smuggling") {
		t.Errorf("the stories list shows a topic's slug: %q", tags)
	}
	desk := b.textContent(`#f-country optgroup:first-of-type`)
	for _, want := range []string{"Costa Rica", "Eswatini", "Panama"} {
		if !strings.Contains(desk, want) {
			t.Errorf("the desk's countries %q lack %q", desk, want)
		}
	}
	if strings.Contains(desk, "Japan") {
		t.Errorf("the desk's countries hold Japan: %q", desk)
	}
	if strings.Contains(b.textContent(`#f-country`), "Swaziland") {
		t.Error("the country list still says Swaziland")
	}
	b.checkAccessible("stories list")
	b.shots(t, "items-list")

	// The preview form: a reader's choices.
	b.open(s.base+"/admin/editions/preview?lang=en", chromedp.CSS(`form#preview-form`))
	form := b.text("preview form", chromedp.CSS(`form#preview-form`))
	for _, want := range []string{"All stories", "Central America", "Other countries", "Health"} {
		if !strings.Contains(form, want) {
			t.Errorf("the preview form lacks %q: %q", want, form)
		}
	}
	b.do("choose every country in Central America and a topic",
		chromedp.Click(chromedp.CSS(`details:has(input[name=regions][value=central-america]) > summary`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`input[name=regions][value=central-america]`), chromedp.NodeVisible),
		chromedp.Click(chromedp.CSS(`#preview-topics input[value=health]`), chromedp.NodeVisible))
	if st := b.submit("show the digest", chromedp.CSS(`form#preview-form button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("preview: %d %s", st, b.pageText())
	}
	b.do("wait for the frame", chromedp.WaitVisible(chromedp.CSS(`iframe#preview`)))
	// The sample the test send would use holds the region's countries.
	for _, code := range []string{"CR", "PA", "GT"} {
		if b.textContent(`#test-send input[name=countries][value=`+code+`]`) != "" {
			continue
		}
		ctx, cancel := b.step()
		has, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('#test-send input[name=countries][value=`+code+`]')`))
		cancel()
		if err != nil || !has {
			t.Errorf("every country in Central America: %s is not in the sample (err %v)", code, err)
		}
	}
	if !b.checked(chromedp.CSS(`input[name=regions][value=central-america]`)) {
		t.Error("the region's box is not ticked again on the preview")
	}
	b.checkAccessible("preview form")
	b.shots(t, "editions-preview")

	// A test send of no edition: logged as the test send, in words.
	b.do("send a test", chromedp.SetValue(chromedp.CSS(`#to`), "desk@example.org"))
	if st := b.submit("test send", chromedp.CSS(`form#test-send button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("test send: %d %s", st, b.pageText())
	}
	notice := b.text("notice", flashStatus)
	b.do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`form#preview-form`)))
	if strings.Contains(b.pageText(), notice) {
		t.Errorf("the notice %q came back on reload", notice)
	}
	if u := b.currentURL(); strings.Contains(u, "done=") {
		t.Errorf("the notice stays in the address: %s", u)
	}
	b.open(s.base+"/admin/audit?lang=en", chromedp.CSS(`table#audit`))
	log := b.text("audit log", chromedp.CSS(`table#audit tbody`))
	for _, want := range []string{"Sent a test digest", "Test send", "Imported stories"} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log lacks %q: %q", want, log)
		}
	}
	for _, bad := range []string{"Logged in", "session.login", "Edition 0", "edition 0"} {
		if strings.Contains(log, bad) {
			t.Errorf("the audit log shows %q: %q", bad, log)
		}
	}
	b.open(s.base+"/admin/audit?lang=es&sessions=1", chromedp.CSS(`table#audit`))
	if log := b.text("audit log with log-ins", chromedp.CSS(`table#audit tbody`)); !strings.Contains(log, "Inició sesión") {
		t.Errorf("log-ins asked for, in Spanish: %q", log)
	}
	b.checkAccessible("audit log")
	b.shots(t, "audit")

	// Sources: poll now.
	if status, body := s.do("POST", "/api/v1/sources", "application/json",
		[]byte(`{"url":"https://feeds.example.org/news.xml","kind":"feed","interval":"6h"}`), true); status != http.StatusCreated && status != http.StatusOK {
		t.Fatalf("add a source: %d %s", status, body)
	}
	b.open(s.base+"/admin/sources?lang=en", chromedp.CSS(`table#sources`))
	if st := b.submit("poll now", chromedp.CSS(`form.source-poll button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("poll now: %d %s", st, b.pageText())
	}
	if got := b.text("notice", flashStatus); !strings.Contains(got, "polled in a moment") {
		t.Errorf("poll now said %q", got)
	}
	// A source failing for a while says so under its error.
	s.sqlExec(`UPDATE sources SET last_error = 'feeds.example.org: the server failed (HTTP 503)', last_error_at = now(),
		last_polled_at = now(), last_success_at = now() - interval '1 day', failures_in_row = failures_in_row + 3`)
	b.open(s.base+"/admin/sources?lang=en", chromedp.CSS(`table#sources`))
	if got := b.text("failing source", chromedp.CSS(`.source-failing`)); !strings.Contains(got, "failed consultations in a row") {
		t.Errorf("a source failing 3 times in a row says %q", got)
	}
	b.checkAccessible("sources")
	b.shots(t, "sources")
	// At a desktop's width the table, buttons included, fits without
	// scrolling in every language, whose headings are longer than the
	// English ones.
	for _, lang := range []string{"en", "es", "fr"} {
		b.do("desktop width", chromedp.EmulateViewport(1280, 800))
		b.open(s.base+"/admin/sources?lang="+lang, chromedp.CSS(`table#sources`))
		ctx, cancel := b.step()
		over, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
			`(w => w.scrollWidth - w.clientWidth)(document.querySelector('#sources').closest('.table-wrap'))`))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if over > 0 {
			t.Errorf("at 1280 px the %s sources table is %.0f px wider than its place: its buttons are out of sight", lang, over)
		}
		if testenv.KeepsArtifacts() {
			b.screenshot(t.ArtifactDir(), "sources-"+lang+"-1280", 1280)
		}
	}
	b.do("restore the viewport", chromedp.EmulateViewport(1000, 900))
	var audited int
	s.subsQuery(`SELECT count(*) FROM audit_log WHERE action = 'source.poll'`, nil, &audited)
	if audited != 1 {
		t.Errorf("poll now audited %d times, want 1", audited)
	}

	// The queues page, and the header's height at phone width.
	b.open(s.base+"/admin/queues?lang=en", chromedp.CSS(`table#queues`))
	b.shots(t, "queues")
	b.do("phone width", chromedp.EmulateViewport(375, 800))
	ctx, cancel := b.step()
	height, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('header.top').getBoundingClientRect().height`))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	if height > 110 {
		t.Errorf("the header is %.0f px high at 375 px, want at most 110", height)
	}
	b.do("restore the viewport", chromedp.EmulateViewport(1000, 900))
}

// textContent is the text of the first element sel matches, visible or
// not (the options of a closed select).
func (b *browserSession) textContent(sel string) string {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+strconv.Quote(sel)+`) || {}).textContent || ""`))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}
