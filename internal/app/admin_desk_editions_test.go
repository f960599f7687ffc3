package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pickStories marks every stored story for the next edition, as an
// editor does with "Include in the next edition" on each story's page.
func pickStories(t *testing.T, s *stack) {
	t.Helper()
	for _, it := range itemsAll(s) {
		s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", it.ID), map[string]any{"picked": true}, nil, http.StatusOK)
	}
}

// TestAdminSendNowHoldsThisPeriod: a back catalogue imported today is not
// this week's news. "Send now" lists what the edition holds; a story of
// 2020 joins only when picked on its page, and is flagged; the preview
// shows what the send will send, by the same reading history; an
// edition that would send nothing offers no button, and the API refuses
// it; a wrong date is corrected on the item's page.
func TestAdminSendNowHoldsThisPeriod(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	b := newBrowser(t, 4*time.Minute)
	editionsImportFixture(t, s)
	today := time.Now().UTC()
	fresh := "Costa Rica: a workshop on labour migration this week"
	listing := today.Format("2 January, 2006") + "\n\n" + fresh + "\n\nOfficials from Costa Rica met in a workshop.\n"
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	// elsewhere@ chose a country no story is about: their delivery is skipped.
	if status, got := s.importCSV("email,countries,topics,language\nreader@example.org,CR,,en\nelsewhere@example.org,JM,,en\n"); status != http.StatusOK || got.Imported != 2 {
		t.Fatalf("import subscribers: %d %+v", status, got)
	}
	var old itemsAPIItem
	for _, it := range itemsAll(s) {
		if strings.HasPrefix(it.Title, "Costa Rica: IOM presents labor market research") {
			old = it
		}
	}
	if old.ID == 0 {
		t.Fatal("the fixture's Upala story is missing")
	}
	editionsLogin(b, s)

	// 1. Only this week's story; nothing flagged.
	b.open(s.base+"/admin/editions/new?lang=en", chromedp.CSS(`form#edition-confirm`))
	if n := editionsFigure(b, "plan-stories"); n != 1 {
		t.Fatalf("send now holds %d stories, want this week's one", n)
	}
	if rows := b.text("stories", chromedp.CSS(`#plan-items tbody`)); !strings.Contains(rows, fresh) || strings.Contains(rows, "Upala") {
		t.Errorf("the confirmation lists %q", rows)
	}
	if lang := b.text("a story's language", chromedp.CSS(`#plan-items tbody tr td:last-child`)); lang != "English" {
		t.Errorf("the confirmation names a story's language %q, want its name", lang)
	}

	// 2. Pick the 2020 story on its page: it joins, flagged.
	b.open(s.base+"/admin/items/"+itoa(old.ID)+"?lang=en", chromedp.CSS(`#item-pick`))
	b.checkAccessible("item page with the next edition's pick")
	deskShots(t, b, "item-pick")
	if st := b.submit("pick", chromedp.CSS(`#item-pick button`)); st != http.StatusOK {
		t.Fatalf("pick: %d", st)
	}
	if got := b.text("picked", chromedp.CSS(`#item-picked-state`)); !strings.Contains(got, "Picked") {
		t.Errorf("after the pick the page says %q", got)
	}
	b.open(s.base+"/admin/editions/new?lang=en", chromedp.CSS(`form#edition-confirm`))
	if n := editionsFigure(b, "plan-stories"); n != 2 {
		t.Fatalf("after the pick, send now holds %d stories, want 2", n)
	}
	if far := b.text("far row", chromedp.CSS(`#plan-items tr.far`)); !strings.Contains(far, "Upala") || !strings.Contains(far, "far outside") {
		t.Errorf("the picked 2020 story is not flagged: %q", far)
	}
	// The button counts those who get a digest, not those skipped.
	if n, ne := editionsFigure(b, "plan-subscribers"), editionsFigure(b, "plan-nonempty"); n != 2 || ne != 1 {
		t.Errorf("send now goes to %d subscribers, %d with a story; want 2, 1", n, ne)
	}
	if got := b.text("send button", chromedp.CSS(`form#edition-confirm button[type=submit]`)); got != "Send 2 stories to 1 subscriber" {
		t.Errorf("the send button reads %q, want it to count who gets a digest", got)
	}
	b.text("far warning", chromedp.CSS(`#plan-far-warning`))
	b.checkAccessible("send now with a far story")
	deskShots(t, b, "send-now-far")

	// 3. The preview of the reader's choices is the next edition: both.
	c := s.consoleClient()
	frame := func(query string) string {
		t.Helper()
		status, body := s.page(c, "GET", "/admin/editions/preview.html?"+query, nil)
		if status != http.StatusOK {
			t.Fatalf("preview %s: %d %.300s", query, status, body)
		}
		return body
	}
	if text := frame("countries=CR&language=en&mode=any"); !strings.Contains(text, fresh) || !strings.Contains(text, "Upala") {
		t.Errorf("the preview does not show the next edition's two stories: %.500s", text)
	}

	// 4. Send it; the picks are spent.
	b.open(s.base+"/admin/editions/new?lang=en", chromedp.CSS(`form#edition-confirm`))
	if st := b.submit("send", chromedp.CSS(`form#edition-confirm button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("send: %d", st)
	}
	if e := s.waitEdition(editionsIDFromURL(t, b.currentURL())); e.Status != "done" || e.Sent != 1 || e.Items != 2 {
		t.Fatalf("edition: %+v", e)
	}

	// 5. Nothing new: no button, a reason; the API refuses and makes nothing.
	b.open(s.base+"/admin/editions/new?lang=es", chromedp.CSS(`#plan-refused`))
	if n := itemsCount(b, `form#edition-confirm`); n != 0 {
		t.Error("send now offers the button for an edition of no story")
	}
	deskShots(t, b, "send-now-empty-es")
	var list struct{ Editions []edition }
	s.jsonCall("GET", "/api/v1/editions", nil, &list, http.StatusOK)
	if status, body := s.do("POST", "/api/v1/editions", "application/json", []byte(`{}`), true); status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(body), "no story") {
		t.Errorf("an edition of nothing by the API: %d %s", status, body)
	}
	var after struct{ Editions []edition }
	s.jsonCall("GET", "/api/v1/editions", nil, &after, http.StatusOK)
	if len(after.Editions) != len(list.Editions) {
		t.Errorf("a refused edition was made: %d editions, were %d", len(after.Editions), len(list.Editions))
	}

	// 6. Picked again, the story the reader already had: the edition would
	// hold it, nobody would get it, and the preview shows it to nobody.
	pickOne := map[string]any{"picked": true}
	s.jsonCall("PATCH", fmt.Sprintf("/api/v1/items/%d", old.ID), pickOne, nil, http.StatusOK)
	b.open(s.base+"/admin/editions/new?lang=en", chromedp.CSS(`#plan-refused`))
	if n, ne := editionsFigure(b, "plan-stories"), editionsFigure(b, "plan-nonempty"); n != 1 || ne != 0 {
		t.Errorf("send now says %d stories, %d readers with one; want 1, 0", n, ne)
	}
	if n := itemsCount(b, `form#edition-confirm`); n != 0 {
		t.Error("send now offers the button when no reader would get a story")
	}
	if text := frame("countries=CR&language=en&mode=any"); strings.Contains(text, "Upala") {
		t.Errorf("the preview shows a story the reader already had: %.500s", text)
	}
	if text := frame("email=reader%40example.org"); strings.Contains(text, "Upala") {
		t.Errorf("the reader's preview shows a story they already had: %.500s", text)
	}
	// Someone new with those choices would get it.
	if text := frame("countries=CR&language=es&mode=any"); !strings.Contains(text, "Upala") {
		t.Errorf("a new choice set's preview leaves out the picked story: %.500s", text)
	}

	// 7. A wrong date corrected on the item page. A day the calendar
	// lacks is said not to exist; a real day out of range, to be out of
	// the years a story is from.
	for _, tc := range []struct{ lang, day, want string }{
		{"en", "2026-02-30", "Published on: the date “2026-02-30” does not exist."},
		{"es", "2026-13-01", "Publicada el: la fecha «2026-13-01» no existe."},
		{"fr", "2026-02-30", "Publié le\u00a0: la date «\u00a02026-02-30\u00a0» n’existe pas."},
		{"en", "2301-01-01", "Published on: “2301-01-01” is not a date from 1900 to 2200 (YYYY-MM-DD)."},
	} {
		b.open(s.base+"/admin/items/"+itoa(old.ID)+"?lang="+tc.lang, chromedp.CSS(`#item-form`))
		b.do("type "+tc.day, chromedp.SetValue(chromedp.CSS(`#published_on`), tc.day))
		b.submit("save "+tc.day, chromedp.CSS(`#item-form button[type=submit]`))
		if got := b.text("date refused", chromedp.CSS(`main p.error`)); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %s refused with %q, want %q", tc.lang, tc.day, got, tc.want)
		}
	}
	b.open(s.base+"/admin/items/"+itoa(old.ID)+"?lang=en", chromedp.CSS(`#item-form`))
	day := today.Format("2006-01-02")
	b.open(s.base+"/admin/items/"+itoa(old.ID)+"?lang=en", chromedp.CSS(`#item-form`))
	b.do("correct the date", chromedp.SetValue(chromedp.CSS(`#published_on`), day))
	if st := b.submit("save the date", chromedp.CSS(`#item-form button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("saving the date: %d %s", st, b.pageText())
	}
	if got := itemsByID(t, itemsAll(s), old.ID).PublishedOn; got != day {
		t.Errorf("published_on %q after the correction, want %s", got, day)
	}
}
