package admin

import (
	"bytes"
	"html"
	"regexp"
	"testing"
	"time"

	"newsdigest/internal/domain"
)

// TestPausedReaderShownPaused: an active reader whose pause has not
// ended is "paused (until …)" in the console's language, on the list and
// on their page, with the day in the desk's zone; one whose pause is over
// (storage gives no end) is active.
func TestPausedReaderShownPaused(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parsePages(tokyo)
	if err != nil {
		t.Fatal(err)
	}
	// 20:00 UTC on 8 March is 9 March in Tokyo.
	until := time.Date(2026, 3, 8, 20, 0, 0, 0, time.UTC)
	want := map[string]string{"en": "paused (until 9 March 2026)", "es": "en pausa (hasta el 9 de marzo de 2026)",
		"fr": "en pause (jusqu’au 9 mars 2026)"}
	reader := func(paused *time.Time) domain.Subscriber {
		return domain.Subscriber{ID: 7, Email: "ana@example.org", Status: domain.StatusActive, PausedUntil: paused,
			Filter: domain.Filter{Language: "es", Mode: domain.ModeAny}}
	}
	listCell := regexp.MustCompile(`<td class="status-([a-z]+)">([^<]*)</td>`)
	pageCell := regexp.MustCompile(`<dd id="sub-status" class="status-([a-z]+)">([^<]*)</dd>`)
	for _, lang := range domain.Languages {
		for _, tc := range []struct {
			name         string
			paused       *time.Time
			class, words string
		}{
			{"paused", &until, "paused", want[lang]},
			{"pause over", nil, "active", msg(lang, "sub_status_active")},
		} {
			if tc.words == "" {
				t.Fatalf("no expected words for %s", lang)
			}
			var list, one bytes.Buffer
			u := &user{Name: domain.OwnerAccount, Roles: domain.AllRoles}
			if err := pages.ExecuteTemplate(&list, "subscribers.html", page{Lang: lang, User: u,
				Data: subscribersView{People: []personRow{{Subscriber: reader(tc.paused)}}}}); err != nil {
				t.Fatal(err)
			}
			var v subscriberView
			v.Record = domain.SubscriberRecord{Subscriber: reader(tc.paused)}
			if err := pages.ExecuteTemplate(&one, "subscriber.html", page{Lang: lang, User: u, Data: v}); err != nil {
				t.Fatal(err)
			}
			for where, m := range map[string][]string{
				"list": listCell.FindStringSubmatch(list.String()), "page": pageCell.FindStringSubmatch(one.String())} {
				if m == nil {
					t.Fatalf("%s (%s, %s): no status", where, lang, tc.name)
				}
				if m[1] != tc.class || html.UnescapeString(m[2]) != tc.words {
					t.Errorf("%s (%s, %s): status-%s %q, want status-%s %q", where, lang, tc.name, m[1], html.UnescapeString(m[2]), tc.class, tc.words)
				}
			}
		}
	}
}
