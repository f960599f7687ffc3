package admin

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/ingest"
	"newsdigest/internal/overview"
)

// TestSourceErrorsInThePagesLanguage: a source's last poll error, stored
// in English for the API, is said on the dashboard and the sources page
// in the page's language, what Go said behind it in a <details>; the
// faults of a document it could not import each after their line. An
// error recorded before its words were kept shows as stored.
func TestSourceErrorsInThePagesLanguage(t *testing.T) {
	pages, err := parsePages(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	const lookup = `Get "http://feed.invalid/rss.xml": lookup feed.invalid on 10.255.255.53:53: no such host`
	unreadable := ingest.LineError{Line: 3, Message: `unreadable date "32 Foo"`, Code: "date_unreadable", Arg: "32 Foo"}
	for _, tc := range []struct {
		name, kind, stored string
		problem            domain.PollProblem
		text               map[string]string // by language
		lines              map[string]string
		detail             string
	}{
		{"no such name", domain.SourceFeed, "feed.invalid: no server has this name",
			domain.PollProblem{Words: domain.NewWords("%s: no server has this name", "feed.invalid"), Detail: lookup},
			map[string]string{"en": "feed.invalid: no server has this name", "es": "feed.invalid: ningún servidor tiene este nombre",
				"fr": "feed.invalid\u00a0: aucun serveur ne porte ce nom"}, nil, lookup},
		{"private address", domain.SourceFeed, "not fetched from …",
			domain.PollProblem{Words: domain.NewWords("not fetched from %s: a %s address, which this server does not fetch from unless its operator allows private networks (INGEST_ALLOW_PRIVATE_NETWORKS, see the README)",
				"feed.example (10.0.0.5)", "private"), Detail: "dial tcp: refused"},
			map[string]string{
				"en": "not fetched from feed.example (10.0.0.5): a private address, which this server does not fetch from unless its operator allows private networks (INGEST_ALLOW_PRIVATE_NETWORKS, see the README)",
				"es": "no se descarga de feed.example (10.0.0.5): es una dirección privada, de la que este servidor no descarga nada salvo que quien lo administra permita las redes privadas (INGEST_ALLOW_PRIVATE_NETWORKS, ver el README)",
				"fr": "pas de téléchargement depuis feed.example (10.0.0.5)\u00a0: c’est une adresse privée, depuis laquelle ce serveur ne télécharge rien sauf si l’exploitation du serveur autorise les réseaux privés (INGEST_ALLOW_PRIVATE_NETWORKS, voir le README)"},
			nil, "dial tcp: refused"},
		{"listing with bad lines", domain.SourceListing, "the listing has 2 unreadable lines; nothing was imported: line 3: …",
			domain.PollProblem{Words: domain.NewWords("the listing has %d unreadable lines; nothing was imported", 2),
				Lines: []domain.PollLine{{Line: 3, Code: unreadable.Code, Arg: unreadable.Arg, Message: unreadable.Message}}},
			map[string]string{"en": "the listing has 2 unreadable lines; nothing was imported",
				"es": "el listado tiene 2 líneas ilegibles; no se importó nada",
				"fr": "la liste contient 2 lignes illisibles\u00a0; rien n’a été importé"},
			map[string]string{"en": "line 3: " + faultText("en", unreadable), "es": "línea 3: " + faultText("es", unreadable),
				"fr": "ligne 3\u00a0: " + faultText("fr", unreadable)}, ""},
		{"feed with an entry without a title", domain.SourceFeed, "…: entry 3: no title",
			domain.PollProblem{Words: domain.NewWords("the feed has %d unusable entry; nothing was imported", 1),
				Lines: []domain.PollLine{{Line: 3, Code: "feed_no_title", Message: "no title"}}},
			map[string]string{"en": "the feed has 1 unusable entry; nothing was imported",
				"es": "el feed tiene 1 entrada inservible; no se importó nada",
				"fr": "le flux contient 1 entrée inutilisable\u00a0; rien n’a été importé"},
			map[string]string{"en": "entry 3: no title.", "es": "entrada 3: sin título.", "fr": "entrée 3\u00a0: pas de titre."}, ""},
		{"recorded before its words were kept", domain.SourceFeed, lookup, domain.PollProblem{},
			map[string]string{"en": lookup, "es": lookup, "fr": lookup}, nil, ""},
	} {
		at := time.Date(2026, 12, 6, 18, 56, 0, 0, time.UTC)
		src := domain.Source{ID: 1, URL: "http://feed.invalid/rss.xml", Kind: tc.kind, Interval: time.Hour,
			LastError: tc.stored, LastErrorAt: &at, LastProblem: tc.problem}
		failing := domain.SourceError{ID: 1, URL: src.URL, Kind: tc.kind, Error: tc.stored, At: &at, Problem: tc.problem}
		for _, view := range []struct {
			template string
			data     any
		}{
			{"sources.html", sourcesData{Sources: []sourceRow{{Source: src, Every: "1h"}}}},
			{"dashboard.html", dashboardData{Dashboard: overview.Dashboard{Dashboard: domain.Dashboard{SourceErrors: []domain.SourceError{failing}}}}},
		} {
			for _, lang := range i18n.Languages() {
				var out bytes.Buffer
				if err := pages.ExecuteTemplate(&out, view.template, page{Lang: lang, User: &user{Name: domain.OwnerAccount, Roles: domain.AllRoles}, Data: view.data}); err != nil {
					t.Fatalf("%s (%s): %v", view.template, lang, err)
				}
				page := out.String()
				if got := first(page, `<span class="status-failed poll-error">([^<]*)</span>`); got != tc.text[lang] {
					t.Errorf("%s: %s (%s) says %q, want %q", tc.name, view.template, lang, got, tc.text[lang])
				}
				if got := first(page, `(?s)<ul class="poll-faults"><li>(.*?)</li>`); got != tc.lines[lang] {
					t.Errorf("%s: %s (%s) gives the first fault as %q, want %q", tc.name, view.template, lang, got, tc.lines[lang])
				}
				if got := first(page, `(?s)<details class="poll-detail">.*?<code>([^<]*)</code>`); got != tc.detail {
					t.Errorf("%s: %s (%s) gives the detail as %q, want %q", tc.name, view.template, lang, got, tc.detail)
				}
			}
		}
	}
}

// first is the first submatch of pattern in page, unescaped; "" if none.
func first(page, pattern string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(html.UnescapeString(m[1]))
}

// TestFailingSourceSaysForHowLong: a source that failed several polls in
// a row says how many, and that it is asked less often, in the page's
// language; one that failed once, or answers again, says nothing of it.
func TestFailingSourceSaysForHowLong(t *testing.T) {
	at := time.Date(2026, 12, 6, 18, 56, 0, 0, time.UTC)
	failing := regexp.MustCompile(`(?s)<div class="muted source-failing">(.*?)</div>`)
	for _, lang := range i18n.Languages() {
		for _, n := range []int{0, 1, 3} {
			src := domain.Source{ID: 1, URL: "http://feed.example/rss.xml", Kind: domain.SourceFeed, Interval: time.Hour,
				LastError: "feed.example: the server failed (HTTP 500)", LastErrorAt: &at, FailuresInRow: n}
			page := renderConsole(t, "sources.html", lang, sourcesData{Sources: []sourceRow{{Source: src, Every: "1h"}}})
			m := failing.FindStringSubmatch(page)
			switch {
			case n < 2 && m != nil:
				t.Errorf("%s, %d failures: says %q", lang, n, m[1])
			case n >= 2 && (m == nil || !strings.HasPrefix(m[1], "3 ") || !strings.Contains(m[1], "6")):
				t.Errorf("%s, %d failures: %q; want the count and the longest wait", lang, n, m)
			}
		}
	}
}
