package app_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// badList is a list with three faults on its first line and two on its
// second.
const badList = "email,countries,topics,language\nbad,XX,,de\nok@example.org,XX;MX,gardening,en\n"

// lineErrorRow finds a row of the import's error table: line, column,
// problem.
var lineErrorRow = regexp.MustCompile(`<tr><td class="num">(\d+)</td><td><code>([^<]*)</code></td><td>([^<]*)</td></tr>`)

// TestSubscriberImportSaysEveryErrorInTheConsoleLanguage: a list with
// faults is answered, in the console's language, with every fault of
// every line, each beside the column of the file it is in.
func TestSubscriberImportSaysEveryErrorInTheConsoleLanguage(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	c := s.consoleLogin()
	csrf := s.csrfToken(c, "/admin/subscribers/import")
	type fault struct{ Line, Column, Text string }
	for lang, want := range map[string][]fault{
		"en": {
			{"2", "email", `"bad" is not a valid address`},
			{"2", "countries", `unknown country "XX"; write its code (CR) or its name (Costa Rica)`},
			{"2", "language", "must be one of en, es, fr"},
			{"3", "countries", `unknown country "XX"; write its code (CR) or its name (Costa Rica)`},
			{"3", "topics", `unknown topic "gardening"; write its code (labour-migration) or its name (Labour migration)`},
		},
		"es": {
			{"2", "email", `"bad" no es una dirección válida`},
			{"2", "countries", `país desconocido "XX"; escribe su código (CR) o su nombre (Costa Rica)`},
			{"2", "language", "debe ser uno de en, es, fr"},
			{"3", "countries", `país desconocido "XX"; escribe su código (CR) o su nombre (Costa Rica)`},
			{"3", "topics", `tema desconocido "gardening"; escribe su código (labour-migration) o su nombre (Migración laboral)`},
		},
		"fr": {
			{"2", "email", `"bad" n’est pas une adresse valide`},
			{"2", "countries", "pays inconnu \"XX\"\u00a0; écrivez son code (CR) ou son nom (Costa Rica)"},
			{"2", "language", "doit être l’une des suivantes\u00a0: en, es, fr"},
			{"3", "countries", "pays inconnu \"XX\"\u00a0; écrivez son code (CR) ou son nom (Costa Rica)"},
			{"3", "topics", "thème inconnu \"gardening\"\u00a0; écrivez son code (labour-migration) ou son nom (Migration de travail)"},
		},
	} {
		st, page := s.postForm(c, "/admin/subscribers/import?lang="+lang,
			url.Values{"csrf_token": {csrf}, "csv": {badList}, "consent": {"yes"}})
		if st != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d, want 422", lang, st)
		}
		var got []fault
		for _, m := range lineErrorRow.FindAllStringSubmatch(page, -1) {
			got = append(got, fault{m[1], m[2], html.UnescapeString(m[3])})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			_, table, _ := strings.Cut(page, `<table id="line-errors">`)
			t.Errorf("%s: line errors (-want +got):\n%s\n%.1500s", lang, diff, table)
		}
	}
}

// textarea is what the import form's text box holds.
var textarea = regexp.MustCompile(`(?s)<textarea id="import-csv"[^>]*>(.*?)</textarea>`)

// consentTicked tells whether the import form's consent box is ticked.
var consentTicked = regexp.MustCompile(`<input type="checkbox" name="consent" value="yes"[^>]* checked`)

// TestSubscriberImportFormKeepsWhatWasGiven: a list sent back to be fixed
// is in the text box, pasted or uploaded, and the consent box is as the
// editor left it.
func TestSubscriberImportFormKeepsWhatWasGiven(t *testing.T) {
	t.Parallel()
	s := startStack(t)
	c := s.consoleLogin()
	csrf := s.csrfToken(c, "/admin/subscribers/import")
	check := func(what, page string, ticked bool) {
		t.Helper()
		m := textarea.FindStringSubmatch(page)
		if m == nil || html.UnescapeString(m[1]) != badList {
			t.Errorf("%s: the text box holds %q, want the list", what, m)
		}
		if consentTicked.MatchString(page) != ticked {
			t.Errorf("%s: the consent box ticked is %v, want %v", what, !ticked, ticked)
		}
	}

	_, page := s.postForm(c, "/admin/subscribers/import?lang=en", url.Values{"csrf_token": {csrf}, "csv": {badList}, "consent": {"yes"}})
	check("pasted, with errors", page, true)
	_, page = s.postForm(c, "/admin/subscribers/import?lang=en", url.Values{"csrf_token": {csrf}, "csv": {badList}})
	check("pasted, consent not given", page, false)

	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf_token", csrf)
	w.WriteField("consent", "yes")
	f, _ := w.CreateFormFile("file", "list.csv")
	f.Write([]byte(badList))
	w.Close()
	resp, err := c.Post(s.base+"/admin/subscribers/import?lang=en", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("uploaded: %d, want 422", resp.StatusCode)
	}
	check("uploaded, with errors", b.String(), true)
}
