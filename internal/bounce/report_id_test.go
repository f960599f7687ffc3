package bounce

import (
	"strings"
	"testing"
)

// TestReportIDWithoutMessageID: qmail's bounces, and some others, carry
// no Message-ID. Storage keeps one event per delivery (or, for the
// one-off mails, per subscriber), kind and report id, so such reports
// must still be told apart: two bounces of two confirmations to one
// address are two failures, while the same bounce sent again (after a
// lost reply) stays one.
func TestReportIDWithoutMessageID(t *testing.T) {
	first := string(readTestdata(t, "qmail-failure.eml"))
	second := strings.Replace(first, "Date: ", "Date: Tue, 18 Mar 2025 10:00:00 +0000\r\nX-Was-Date: ", 1)
	if first == second {
		t.Fatal("the second report is the first")
	}
	id := func(raw string) string {
		t.Helper()
		rep, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if rep.MessageID != "" {
			t.Fatalf("the sample has a Message-ID %q", rep.MessageID)
		}
		e := rep.Event(NoticeID(7), SourceSMTP)
		if err := e.Validate(); err != nil {
			t.Fatal(err)
		}
		return e.ReportID
	}
	a, again, b := id(first), id(first), id(second)
	if a == "" || b == "" {
		t.Fatalf("report ids %q and %q: want both set", a, b)
	}
	if a != again {
		t.Errorf("the same report twice: ids %q and %q, want the same", a, again)
	}
	if a == b {
		t.Errorf("two reports: both id %q, want two", a)
	}
}

// TestMessageKey: a report names the message it is about by the
// Message-ID it returns, but for one Amazon SES gave (it replaces the
// sender's): then by SES's own id, which SES's notices give as
// mail.messageId.
func TestMessageKey(t *testing.T) {
	for in, want := range map[string]string{
		"": "",
		"<20250514084038.1014.digest@example.com>":     "20250514084038.1014.digest@example.com",
		" 20250514084038.1014.digest@example.com ":     "20250514084038.1014.digest@example.com",
		"<0100018c-aa-000000@email.amazonses.com>":     "0100018c-aa-000000",
		"<0102019a-bb-000000@eu-west-1.AmazonSES.com>": "0102019a-bb-000000",
		"0102019a-bb-000000":                           "0102019a-bb-000000",
		"<x@notamazonses.com>":                         "x@notamazonses.com",
	} {
		if got := MessageKey(in); got != want {
			t.Errorf("MessageKey(%q) = %q, want %q", in, got, want)
		}
	}
	rep, err := Parse(readTestdata(t, "gmail-dsn-mailbox-full.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Event(1, SourceSMTP).MessageKey; got != "20250714140030.51120.digest@example.com" {
		t.Errorf("the returned header's Message-ID gives message %q", got)
	}
}
