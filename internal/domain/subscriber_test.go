package domain

import (
	"strings"
	"testing"

	"newsdigest/internal/errs"
)

func TestNormalizeEmail(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ana@example.org", "ana@example.org"},
		{"  Ana.Perez@Example.ORG ", "Ana.Perez@example.org"},
		{"o'brien+news@sub.example.co.uk", "o'brien+news@sub.example.co.uk"},
		{"a@x-y.example", "a@x-y.example"},
		{"a@123.example", "a@123.example"},
		{"a@example.xn--p1ai", "a@example.xn--p1ai"},
		// One mailbox, one form: the domain's A-labels, whichever way it
		// was typed.
		{"user@bücher.example", "user@xn--bcher-kva.example"},
		{"user@BÜCHER.Example", "user@xn--bcher-kva.example"},
		{"user@xn--bcher-kva.example", "user@xn--bcher-kva.example"},
		{"user@XN--BCHER-KVA.example", "user@xn--bcher-kva.example"},
		// The same for an accented local part, composed or not (NFC).
		{"jos\u00e9@example.org", "jos\u00e9@example.org"},
		{"jose\u0301@example.org", "jos\u00e9@example.org"},
		{strings.Repeat("l", 64) + "@example.org", strings.Repeat("l", 64) + "@example.org"},
		{"a@" + strings.Repeat("d", 63) + ".example", "a@" + strings.Repeat("d", 63) + ".example"},
	} {
		got, err := NormalizeEmail(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{
		"",
		"not-an-address",
		"Ana <ana@example.org>",
		"ana@example.org, luis@example.org",
		`"john doe"@example.org`,
		// Formula injection into operators' spreadsheets.
		"=cmd|'/Ccalc.exe'!A0@example.com",
		"+1@example.com",
		"-2@example.com",
		"@SUM(1)@example.com",
		// IP literals and names that are not public DNS names.
		"victim@[127.0.0.1]",
		"victim@[IPv6:::1]",
		"victim@127.0.0.1",
		"a@localhost",
		"a@-example.com",
		"a@example-.com",
		"a@exa_mple.com",
		"a@example..com",
		"a@example.com.",
		"a@.example.com",
		"a@example.123",
		"a@xn--zz.example",
		"a@" + strings.Repeat("d", 64) + ".example",
		"a@" + strings.Repeat(strings.Repeat("d", 60)+".", 5) + "example",
		strings.Repeat("l", 65) + "@example.org",
		// Characters that cannot be seen, or turn the text around:
		// one address made to look like another.
		"zz22\u202e@example.com",
		"ana\u200b@example.org",
		"\ufeffana@example.org",
		"ana\u2028x@example.org",
		"ana\u0085x@example.org",
		"ana\u061cx@example.org",
		"ana\u034fx@example.org",
		"ana\u00a0x@example.org",
		"ana\ufe0fx@example.org",
		"ana\ue000x@example.org",
	} {
		got, err := NormalizeEmail(in)
		if err == nil {
			t.Errorf("NormalizeEmail(%q) = %q, want an error", in, got)
			continue
		}
		if !errs.Is(err, errs.Invalid) || !strings.HasPrefix(errs.MessageOf(err), "email: ") {
			t.Errorf("NormalizeEmail(%q): %v; want an Invalid error naming the email field", in, err)
		}
	}
}

func TestMailbox(t *testing.T) {
	for in, want := range map[string]string{
		"victim@example.org":        "victim@example.org",
		"Victim+1@Example.org":      "victim@example.org",
		"victim+news+x@example.org": "victim@example.org",
		"+tag@example.org":          "+tag@example.org", // no local part without the tag: kept whole
		"josé+a@example.org":        "josé@example.org",
	} {
		if got := Mailbox(in); got != want {
			t.Errorf("Mailbox(%q) = %q, want %q", in, got, want)
		}
	}
}
