package web

import (
	"strings"
	"testing"
)

func TestWithMain(t *testing.T) {
	got := string(withMain(`<!DOCTYPE html><html><body style="margin:0"><table></table></body></html>`))
	if want := `<!DOCTYPE html><html><body style="margin:0"><main><table></table></main></body></html>`; got != want {
		t.Errorf("withMain:\n got %s\nwant %s", got, want)
	}
	if got := string(withMain("no body here")); got != "no body here" {
		t.Errorf("withMain without a body changed it: %s", got)
	}
}

func TestArchiveHelpers(t *testing.T) {
	for raw, want := range map[string]string{
		"https://example.org/a": "https://example.org/a",
		"http://example.org":    "http://example.org",
		"javascript:alert(1)":   "",
		"mailto:a@example.org":  "",
		"/relative":             "",
	} {
		if got := webURL(raw); got != want {
			t.Errorf("webURL(%q) = %q, want %q", raw, got, want)
		}
	}
	if got := strings.Join(paragraphs("one\n\n two \n"), "|"); got != "one|two" {
		t.Errorf("paragraphs: %q", got)
	}
}
