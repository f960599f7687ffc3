package app_test

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"newsdigest/internal/render"
	"newsdigest/internal/testenv"
)

// consoleClient is a client logged into the console as its owner.
func (s *stack) consoleClient() *http.Client {
	s.t.Helper()
	c := s.browser()
	token := s.csrfToken(c, "/admin/login")
	itemsPost(s.t, c, s.base+"/admin/login", url.Values{"csrf_token": {token}, "user": {"admin"}, "password": {adminPassword}, "next": {"/admin"}})
	return c
}

// unixLines turns a mail body's CRLF line ends into the renderer's LF.
func unixLines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// TestPreviewIsTheMail: the console's preview of an edition for a
// subscriber is, byte for byte, the mail that subscriber got (their token
// aside; the web link carries the digest's own view token in both): the same 30 of a long week's 40 stories, the link to the web
// digest for the rest, the list's name from MAIL_FROM, the date and the
// footer. The test send of that preview is the same mail again.
func TestPreviewIsTheMail(t *testing.T) {
	t.Parallel()
	s := startStackEnv(t, map[string]string{"MAIL_FROM": "Boletín Migración <digest@example.org>"})
	const reader = "reader@example.org"
	if status, got := s.importCSV("email,countries,topics,language\n" + reader + ",CR,,en\n"); status != http.StatusOK || got.Imported != 1 {
		t.Fatalf("import the reader: %d %+v", status, got)
	}
	var listing strings.Builder
	for i := range 40 {
		day := time.Date(2020, time.October, 1+i, 0, 0, 0, 0, time.UTC)
		fmt.Fprintf(&listing, "%d %s, 2020\n\nCosta Rica story number %02d of a long week\n\nA summary of the story.\n\n", day.Day(), day.Month(), i)
	}
	if status, body := s.do("POST", "/api/v1/imports", "text/plain", []byte(listing.String()), true); status != http.StatusOK {
		t.Fatalf("import: %d %s", status, body)
	}
	var created struct{ ID int64 }
	s.jsonCall("POST", "/api/v1/editions", stories2020, &created, http.StatusAccepted)
	if e := s.waitEdition(created.ID); e.Status != "done" || e.Sent != 1 || e.Items != 40 {
		t.Fatalf("edition: %+v", e)
	}
	tok, view := s.digestLinks(reader)
	mailText, mailHTML := bodies(t, s.smtp.To(reader)[0].Raw)

	c := s.consoleClient()
	sample := "edition=" + itoa(created.ID) + "&email=" + url.QueryEscape(reader)
	status, preview := s.page(c, "GET", "/admin/editions/preview.html?"+sample, nil)
	if status != http.StatusOK {
		t.Fatalf("preview: %d\n%s", status, preview)
	}
	got := strings.ReplaceAll(preview, render.TokenPlaceholder, tok)
	if got != unixLines(mailHTML) {
		t.Errorf("the preview is not the mail.\npreview (token placed):\n%.3000s\n\nmail:\n%.3000s", got, unixLines(mailHTML))
	}
	for _, want := range []string{"Boletín Migración", view, "Costa Rica story number 39"} {
		if !strings.Contains(got, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	if n := strings.Count(mailText, "Costa Rica story number"); n != 30 {
		t.Errorf("the mail holds %d stories, want 30", n)
	}

	// The test send is the preview, as mail.
	form := url.Values{"csrf_token": {s.csrfToken(c, "/admin/editions/preview?"+sample)}, "to": {"editor@example.org"},
		"edition": {itoa(created.ID)}, "email": {reader}}
	itemsPost(t, c, s.base+"/admin/editions/test-send", form)
	s.smtp.WaitFor(t, 30*time.Second, "the test send", func([]testenv.Received) bool { return len(s.smtp.To("editor@example.org")) == 1 })
	test := s.smtp.To("editor@example.org")[0]
	_, testHTML := bodies(t, test.Raw)
	if want := strings.ReplaceAll(preview, render.TokenPlaceholder, "test-send"); unixLines(testHTML) != want {
		t.Errorf("the test send is not the preview.\ntest send:\n%.3000s\n\npreview:\n%.3000s", unixLines(testHTML), want)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(test.Header("Subject"))
	digestSubject, _ := new(mime.WordDecoder).DecodeHeader(s.smtp.To(reader)[0].Header("Subject"))
	if subject != "[TEST] "+digestSubject {
		t.Errorf("test send subject %q, want the digest's %q marked [TEST]", subject, digestSubject)
	}
}
