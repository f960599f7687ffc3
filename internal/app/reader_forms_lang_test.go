package app_test

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/testenv"
)

var postForm = regexp.MustCompile(`<form method="post" action="([^"]+)" id="([a-z-]+)"`)

// TestReaderFormsRefusedInTheirLanguage: a reader's page in French, seen
// in a browser that asks for English, has forms whose refusal (the form
// expired: no CSRF cookie any more) is still in French.
func TestReaderFormsRefusedInTheirLanguage(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	const addr = "formes@example.org"
	s.jsonCall("POST", "/api/v1/subscriptions", map[string]any{
		"email": addr, "countries": []string{"HT"}, "language": "fr", "mode": "any",
	}, nil, http.StatusAccepted)
	s.smtp.WaitFor(t, 30*time.Second, "confirmation to "+addr, func([]testenv.Received) bool {
		return len(s.smtp.To(addr)) == 1
	})
	confirm := s.confirmPath(addr, 1)

	get := func(path string) string {
		req, _ := http.NewRequest("GET", s.base+path, nil)
		req.Header.Set("Accept-Language", "en-US,en;q=0.9")
		resp, err := s.browser().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(b), `<html lang="fr"`) {
			t.Fatalf("GET %s is not in French:\n%s", path, b)
		}
		return string(b)
	}
	for _, m := range postForm.FindAllStringSubmatch(get(confirm), -1) {
		action, id := html.UnescapeString(m[1]), m[2]
		req, _ := http.NewRequest("POST", s.base+action, strings.NewReader(url.Values{"choices": {"x"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Language", "en-US,en;q=0.9")
		resp, err := s.browser().Do(req) // a browser that lost the form's cookie
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), `<html lang="fr"`) {
			t.Errorf("form %s (%s) without its cookie: %d, not in French:\n%s", id, action, resp.StatusCode, b)
		}
	}
}

var langNav = regexp.MustCompile(`<a href="([^"]*)" hreflang="([a-z]+)">`)

// TestLanguageLinksAfterAForm: the header's language links on the page a
// form answers with (check your inbox, paused, resumed) open that page in
// the other language, not the form's address, which only takes a POST.
func TestLanguageLinksAfterAForm(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	tok := s.signUpIn("idiomas@example.org", "es", nil)
	b := s.browser()
	post := func(from, to string, form url.Values) (string, string) {
		t.Helper()
		form.Set("csrf_token", s.csrfToken(b, from))
		resp, err := b.PostForm(s.base+to, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %d", to, resp.StatusCode)
		}
		return resp.Request.URL.Path, string(page)
	}
	prefs := "/preferences/" + tok + "?lang=es"
	for _, c := range []struct {
		what, from, to string
		form           url.Values
		want           string // the heading of the page in English
	}{
		{"check your inbox", "/?lang=es", "/subscribe?lang=es",
			url.Values{"email": {"otro@example.org"}, "countries": {"CR"}, "language": {"es"}, "mode": {"any"}}, "Subscribe to the digest"},
		{"paused", prefs, "/preferences/" + tok + "/pause?lang=es", url.Values{"weeks": {"2"}}, "Your preferences"},
		{"resumed", prefs, "/preferences/" + tok + "/resume?lang=es", url.Values{}, "Your preferences"},
	} {
		at, page := post(c.from, c.to, c.form)
		for _, m := range langNav.FindAllStringSubmatch(page, -1) {
			if m[2] != "en" {
				continue
			}
			u, _ := url.Parse(s.base + at)
			link, _ := u.Parse(html.UnescapeString(m[1]))
			resp, err := b.Get(link.String())
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(got), "<h1>"+c.want+"</h1>") {
				t.Errorf("%s: the English link (%s) answers %d:\n%.300s", c.what, link, resp.StatusCode, got)
			}
		}
	}
}

// TestFormAddressOpenedByItself: a form's address opened as a page (a
// bookmark, a shared link to the "check your inbox" page, a tab a phone
// restores) leads to the form's own page, in the reader's language: the
// sign-up form, or the preference centre (here a link that no longer
// works, which says so and leads home), not a bare 405.
func TestFormAddressOpenedByItself(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	for _, c := range []struct {
		path, lang string
		status     int
	}{
		{"/subscribe?lang=es", "es", http.StatusOK},
		{"/preferences/AAAAAAAAAAAAAAAAAAAAAA/pause?lang=fr", "fr", http.StatusNotFound},
		{"/preferences/AAAAAAAAAAAAAAAAAAAAAA/resume", "en", http.StatusNotFound},
	} {
		resp, err := s.browser().Get(s.base + c.path)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(page), `<html lang="`+c.lang+`"`) ||
			!strings.Contains(string(page), `href="/?lang=`+c.lang+`"`) {
			t.Errorf("GET %s: %d %s, want %d:\n%.400s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), c.status, page)
		}
	}
	// The API and the probes keep their plain answer.
	if st, body := s.do("DELETE", "/healthz", "", nil, false); st != http.StatusMethodNotAllowed || strings.Contains(string(body), "<html") {
		t.Errorf("DELETE /healthz: %d %q", st, body)
	}
}
