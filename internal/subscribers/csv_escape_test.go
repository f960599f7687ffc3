package subscribers

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestEscapeCSVCell(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"ana@example.org", "ana@example.org"},
		{"=cmd|'/Ccalc.exe'!A0@example.com", "'=cmd|'/Ccalc.exe'!A0@example.com"},
		{"+1@example.com", "'+1@example.com"},
		{"-1@example.com", "'-1@example.com"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"\n=1", "'\n=1"},
		{"'quoted@example.org", "''quoted@example.org"},
		{"'=x@example.com", "''=x@example.com"},
		{"''x@example.com", "'''x@example.com"},
		{"", ""},
	} {
		got := EscapeCSVCell(tc.in)
		if got != tc.want {
			t.Errorf("EscapeCSVCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if back := UnescapeCSVCell(got); back != tc.in {
			t.Errorf("UnescapeCSVCell(%q) = %q, want %q back", got, back, tc.in)
		}
	}
}

// An export's escaped cells read back as the stored value: a formula
// address is then refused by name, not imported with its quote, and an
// address that really begins with a quote is kept.
func TestCSVReaderUndoesExportEscape(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"email", "countries", "topics", "language"})
	for _, addr := range []string{"=cmd|'/Ccalc.exe'!A0@example.com", "'quoted@example.org", "+1@example.com", "'=x@example.com"} {
		w.Write([]string{EscapeCSVCell(addr), "CR", "", "en"})
	}
	w.Flush()
	rows, lineErrs, err := readAll(t, buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Email != "'quoted@example.org" || rows[1].Email != "'=x@example.com" {
		t.Errorf("rows = %+v, want 'quoted@example.org and '=x@example.com as they were stored", rows)
	}
	if len(lineErrs) != 2 {
		t.Fatalf("errors = %+v, want lines 2 and 4", lineErrs)
	}
	for i, line := range []int{2, 4} {
		if lineErrs[i].Line != line || !strings.HasPrefix(lineErrs[i].Message, "email: must not begin with =") {
			t.Errorf("error %d = %+v, want line %d refusing a formula", i, lineErrs[i], line)
		}
	}
}

// A hand-written file's quote before an ordinary character is part of the
// address.
func TestCSVReaderKeepsAHandWrittenQuote(t *testing.T) {
	t.Parallel()
	rows, lineErrs, err := readAll(t, "email,countries,topics,language\n'ana@example.org,CR,,en\n")
	if err != nil || len(lineErrs) != 0 {
		t.Fatalf("err %v, line errors %+v", err, lineErrs)
	}
	if len(rows) != 1 || rows[0].Email != "'ana@example.org" {
		t.Errorf("rows = %+v, want 'ana@example.org", rows)
	}
}
