package ingest

import "testing"

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  plain  text \t", "plain text"},
		{"no\u00a0break\u202fspaces\u00a0", "no break spaces"},
		{"\uFEFFbom and zero\u200bwidth", "bom and zerowidth"},
		{"line\r\nbreaks\n", "line breaks"},
		{"“Migrating Informed” – Dajabón", "“Migrating Informed” – Dajabón"},
		{"IOM´s and IOM’s and IOMʼs", "IOM's and IOM's and IOM's"},
		{"‘caravans’", "'caravans'"},
		{"d`Ivoire, 12′ and `code`", "d'Ivoire, 12′ and `code`"},
		{"Invoice \u202Egnp.exe", "Invoice gnp.exe"},
		{"\u202Aembedded\u202C \u2066isolated\u2069 \u200Fmarked\u061C", "embedded isolated marked"},
		// Control characters, in plain ASCII text too: PostgreSQL holds
		// no NUL, and none of them is text anyone wrote.
		{"NUL\x00in a title", "NULin a title"},
		{"bell\x07 and delete\x7f", "bell and delete"},
		{"Cura\x00çao", "Curaçao"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := CleanText(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
