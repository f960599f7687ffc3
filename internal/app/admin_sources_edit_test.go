package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAdminSourcesEdit changes a source from the console's Sources page:
// a bad interval and another source's URL are refused with the field
// named and nothing changed; a good change is saved, shown in the list,
// and in the audit log with what it was before.
func TestAdminSourcesEdit(t *testing.T) {
	t.Parallel()
	s := startStackBare(t, nil)
	const oldURL, otherURL, newURL = "https://news.example.org/feed.xml", "https://other.example.org/feed.xml", "https://news.example.org/listing.txt"
	var created struct {
		ID int64 `json:"id"`
	}
	s.jsonCall("POST", "/api/v1/sources", map[string]any{"url": oldURL, "kind": "feed", "interval": "1h"}, &created, http.StatusCreated)
	s.jsonCall("POST", "/api/v1/sources", map[string]any{"url": otherURL, "kind": "feed", "interval": "1h"}, nil, http.StatusCreated)
	type source struct {
		ID       int64  `json:"id"`
		URL      string `json:"url"`
		Kind     string `json:"kind"`
		Interval string `json:"interval"`
	}
	stored := func() source {
		var list struct {
			Sources []source `json:"sources"`
		}
		s.jsonCall("GET", "/api/v1/sources", nil, &list, http.StatusOK)
		for _, src := range list.Sources {
			if src.ID == created.ID {
				return src
			}
		}
		t.Fatalf("source %d is gone: %+v", created.ID, list.Sources)
		return source{}
	}
	before := stored()

	b := newBrowser(t, 2*time.Minute)
	editionsLogin(b, s)
	b.open(s.base+"/admin/sources?lang=en", chromedp.CSS(`#sources`))
	edit := `#sources tr[data-id="` + itoa(created.ID) + `"] a.source-edit`
	b.do("open the edit form", chromedp.Click(chromedp.CSS(edit), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS(`#source-edit`)))
	if got := editionsEval[string](b, "the form's URL", `document.getElementById("source-url").value`); got != oldURL {
		t.Errorf("the form shows URL %q, want %q", got, oldURL)
	}
	if got := editionsEval[string](b, "the form's interval", `document.getElementById("source-interval").value`); got != "1h" {
		t.Errorf("the form shows interval %q, want 1h", got)
	}
	b.checkAccessible("source edit form")

	for _, c := range []struct {
		what, url, interval string
		status              int64
		names               string
	}{
		{"a bad interval", newURL, "5s", http.StatusUnprocessableEntity, "Poll every:"},
		{"another source's URL", otherURL, "2h", http.StatusConflict, "URL"},
		{"no URL", "ftp://news.example.org/x", "2h", http.StatusUnprocessableEntity, "url"},
	} {
		b.do("fill "+c.what, chromedp.SetValue(chromedp.CSS(`#source-url`), c.url),
			chromedp.SetValue(chromedp.CSS(`#source-interval`), c.interval))
		if st := b.submit("save "+c.what, chromedp.CSS(`#source-edit button[type=submit]`)); st != c.status {
			t.Errorf("%s: status %d, want %d", c.what, st, c.status)
		}
		if e := b.text("the error", chromedp.CSS(`main p.error`)); !strings.Contains(strings.ToLower(e), strings.ToLower(c.names)) {
			t.Errorf("%s: the error %q does not name the %s", c.what, e, c.names)
		}
		if got := editionsEval[string](b, "the form's URL again", `document.getElementById("source-url").value`); got != c.url {
			t.Errorf("%s: the form came back with URL %q, want what was sent", c.what, got)
		}
		if got := stored(); got != before {
			t.Errorf("%s changed the source: %+v, was %+v", c.what, got, before)
		}
	}

	b.do("fill a good change", chromedp.SetValue(chromedp.CSS(`#source-url`), newURL),
		chromedp.SetValue(chromedp.CSS(`#source-kind`), "listing"),
		chromedp.SetValue(chromedp.CSS(`#source-interval`), "2h"))
	b.shots(t, "source-edit")
	if st := b.submit("save the source", chromedp.CSS(`#source-edit button[type=submit]`)); st != http.StatusOK {
		t.Fatalf("save: status %d: %s", st, b.pageText())
	}
	if got := stored(); got.URL != newURL || got.Kind != "listing" || got.Interval != "2h" {
		t.Errorf("after saving, the source is %+v", got)
	}
	row := b.text("the source's row", chromedp.CSS(`#sources tr[data-id="`+itoa(created.ID)+`"]`))
	if !strings.Contains(row, newURL) || !strings.Contains(row, "2h") {
		t.Errorf("the list shows %q", row)
	}
	b.shots(t, "sources-after-edit")
	var detail string
	s.subsQuery(`SELECT detail FROM audit_log WHERE actor = 'admin' AND action = 'source.update' AND object_id = $1`,
		[]any{itoa(created.ID)}, &detail)
	if !strings.Contains(detail, oldURL) || !strings.Contains(detail, newURL) {
		t.Errorf("the audit log says %q, want the old and new URL", detail)
	}

	// Spanish words on the form.
	b.open(s.base+"/admin/sources/"+itoa(created.ID)+"/edit?lang=es", chromedp.CSS(`#source-edit`))
	if got := b.text("the save button in Spanish", chromedp.CSS(`#source-edit button[type=submit]`)); got != "Guardar la fuente" {
		t.Errorf("the Spanish button says %q", got)
	}
}
