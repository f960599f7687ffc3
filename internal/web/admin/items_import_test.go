package admin

import (
	"regexp"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/ingest"
)

// quoted finds the quoted parts of a message, in any language's marks.
var quoted = regexp.MustCompile(`“([^”]+)”|«\x{00a0}?([^»]+?)\x{00a0}?»`)

// TestUnreadableDateShowsAcceptedForms: the fault of a date the importer
// cannot read gives, in every language, examples of dates it can, and
// each example is one the listing's reader accepts.
func TestUnreadableDateShowsAcceptedForms(t *testing.T) {
	const bad = "31 Febtember 2026"
	parse := func(date string) ([]ingest.ParsedItem, []ingest.LineError) {
		t.Helper()
		items, faults, err := ingest.ParseListing(strings.NewReader(date + "\n\nA title\n\nA summary.\n"))
		if err != nil {
			t.Fatal(err)
		}
		return items, faults
	}
	_, faults := parse(bad)
	if len(faults) != 1 || faults[0].Code != "date_unreadable" {
		t.Fatalf("%q gives %+v, want one unreadable date", bad, faults)
	}
	for _, lang := range domain.Languages {
		text := faultText(lang, faults[0])
		var examples []string
		for _, m := range quoted.FindAllStringSubmatch(text, -1) {
			if q := m[1] + m[2]; q != bad {
				examples = append(examples, q)
			}
		}
		if !strings.Contains(text, bad) || len(examples) == 0 {
			t.Errorf("%s: %q does not quote the date and give an example that reads", lang, text)
		}
		for _, ex := range examples {
			if items, faults := parse(ex); len(items) != 1 || len(faults) != 0 {
				t.Errorf("%s: the example date %q does not read: %+v", lang, ex, faults)
			}
		}
	}
}

// TestParagraphAndLinkFaultsInEveryLanguage: the listing faults of a
// title line that is a paragraph, and of a link line of another scheme,
// are said in the console's language, quoting the line.
func TestParagraphAndLinkFaultsInEveryLanguage(t *testing.T) {
	for _, in := range []string{
		"1 May 2020\n\nFloods hit Les Cayes. Families left their homes.\n",
		"1 May 2020\nT\n\nFloods hit Les Cayes.\njavascript:alert(1)\n",
	} {
		_, faults, err := ingest.ParseListing(strings.NewReader(in))
		if err != nil || len(faults) != 1 {
			t.Fatalf("%q gives %+v, %v; want one fault", in, faults, err)
		}
		for _, lang := range domain.Languages {
			text := faultText(lang, faults[0])
			if text == faults[0].Message || !strings.Contains(text, faults[0].Arg) {
				t.Errorf("%s: %s is said %q, not in the console's words quoting %q", lang, faults[0].Code, text, faults[0].Arg)
			}
		}
	}
}
