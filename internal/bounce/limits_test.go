package bounce

import (
	"strings"
	"testing"
	"time"
)

// parseWithin parses raw, failing the test if Parse has not returned
// after limit: a report that takes minutes to read ties up the listener
// as surely as one that panics. limit is generous, far above what a
// linear reading of a mebibyte takes, so only a runaway fails it.
func parseWithin(t *testing.T, raw string, limit time.Duration) *Report {
	t.Helper()
	done := make(chan *Report, 1)
	go func() {
		rep, err := Parse([]byte(raw))
		if err != nil {
			t.Errorf("Parse: %v", err)
		}
		done <- rep
	}()
	select {
	case rep := <-done:
		return rep
	case <-time.After(limit):
		t.Fatalf("Parse of %d bytes still running after %s", len(raw), limit)
		return nil
	}
}

// TestParseHTMLOnlyIsLinear reads failure notices that come as HTML
// alone, made to be slow to read: unclosed script and style elements,
// and tags that never close. Up to the listener's 1 MiB, each must be
// read in time proportional to its size.
func TestParseHTMLOnlyIsLinear(t *testing.T) {
	head := "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\n" +
		"Subject: Undeliverable: digest\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
	for name, body := range map[string]string{
		"unclosed script": strings.Repeat("<script>x ", 100_000),
		"unclosed style":  strings.Repeat("<STYLE type=x>a ", 60_000),
		"open tags":       strings.Repeat("<a href=", 120_000),
		"comments":        strings.Repeat("<!-- x ", 140_000),
	} {
		t.Run(name, func(t *testing.T) {
			rep := parseWithin(t, head+body, 20*time.Second)
			if rep != nil && rep.Type != TypeDSN {
				t.Errorf("Type = %q, want %q", rep.Type, TypeDSN)
			}
		})
	}
}

// TestHTMLNoticeWithAnUnclosedHead: HTML lets <head> go unclosed; the
// body's words are still the notice's.
func TestHTMLNoticeWithAnUnclosedHead(t *testing.T) {
	text := htmlText("<html><head><title>Undeliverable</title><body><p>550 5.1.1 user unknown</p></body></html>")
	if !strings.Contains(text, "550 5.1.1 user unknown") || strings.Contains(text, "Undeliverable") {
		t.Errorf("htmlText = %q, want the body's words alone", text)
	}
}
