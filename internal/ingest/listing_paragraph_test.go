package ingest

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// A block whose title line is missing has its summary paragraph where the
// title goes: it is refused on that line, however long the paragraph,
// rather than stored with a paragraph for its title. Headlines stay
// titles, with their abbreviations and question marks.
func TestParseListingParagraphForTitle(t *testing.T) {
	fixture, err := os.ReadFile("testdata/iom-rosanjose-news-2020.txt")
	if err != nil {
		t.Fatal(err)
	}
	summary := strings.TrimSpace(strings.Split(string(fixture), "\n")[5]) // 366 characters
	tests := []struct {
		name, title string
		want        []LineError // on line 3, the title's
	}{
		{"the fixture's summary", summary, []LineError{{Line: 3, Code: "title_too_long", Arg: "250",
			Message: "title longer than 250 characters: a paragraph, not a title (is the title line missing?)"}}},
		{"a short summary", "IOM delivered hygiene kits to 300 families in Les Cayes. The distribution was funded by ECHO.",
			[]LineError{{Line: 3, Code: "title_sentences", Arg: "IOM delivered hygiene kits to 300 families in Les Cayes. The…",
				Message: `title "IOM delivered hygiene kits to 300 families in Les Cayes. The…" is sentences, not a title (is the title line missing?)`}}},
		{"a summary whose second sentence is quoted", "Families walked for days. «Nobody helped us», she said.", []LineError{{Line: 3, Code: "title_sentences",
			Arg:     "Families walked for days. «Nobody helped us», she said.",
			Message: `title "Families walked for days. «Nobody helped us», she said." is sentences, not a title (is the title line missing?)`}}},
		{"the fixture's longest title", "Member Countries of the Regional Conference on Migration (RCM) strengthen dialogue on determining the best interest of migrant children and adolescents", nil},
		{"a long headline", strings.Repeat("Migración y tránsito en Centroamérica ", 6) + "hoy", nil}, // 231 characters
		{"abbreviations", "U.S. and Mexico meet in St. Lucia with Dr. Smith and Gov. Abbott.", nil},
		{"one sentence with a full stop", "Haiti: one year after the earthquake, IOM still shelters 5,000 families.", nil},
		{"two sentences, no full stop at the end", "Haiti after the storm. What comes next?", nil},
		{"a question", "Where do the caravans go? A look at the northern border", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := "1 May 2020\n\n" + tc.title + "\n\n2 May 2020\nNext title\n"
			items, got, err := ParseListing(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("errors %+v, want %+v", got, tc.want)
			}
			if len(items) != 2 || items[0].Title != tc.title {
				t.Errorf("items %+v, want the title kept as read, for the preview", items)
			}
		})
	}
}

// A line holding only a link is the item's link when it is http(s); any
// other scheme is refused on its line, not folded into the summary (or
// taken for the title) where it would reach the digest as text.
func TestParseListingLinkOfAnotherScheme(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		link     string
	}{
		{"inside the summary block", "1 May 2020\nT\n\nFloods in Les Cayes.\njavascript:alert(1)\n", 5, "javascript:alert(1)"},
		{"after the summary", "1 May 2020\nT\n\nFloods in Les Cayes.\n\nJavaScript:alert(document.cookie)\n", 6, "JavaScript:alert(document.cookie)"},
		{"in angle brackets", "1 May 2020\nT\n\nS.\n<data:text/html,<script>alert(1)</script>>\n", 5, "<data:text/html,<script>alert(1)</script>>"},
		{"instead of a summary", "1 May 2020\nT\n\nftp://files.example.org/report.pdf\n", 4, "ftp://files.example.org/report.pdf"},
		{"where the title goes", "1 May 2020\nmailto:desk@example.org\nT\n", 2, "mailto:desk@example.org"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, got, err := ParseListing(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			want := []LineError{{Line: tc.line, Code: "url_scheme", Arg: tc.link,
				Message: `link "` + tc.link + `" is not a web address: a link line is http:// or https://`}}
			if !slices.Equal(got, want) {
				t.Errorf("errors %+v, want %+v", got, want)
			}
			for _, it := range items {
				if strings.Contains(it.Title+it.Summary+it.URL, strings.Trim(tc.link, "<>")) {
					t.Errorf("the link is kept in %+v", it)
				}
			}
		})
	}
	// Lines of text that hold a colon stay text.
	for _, line := range []string{"Read more: the report", "Tapachula:", "10:30", "(IOM):", "Note:"} {
		in := "1 May 2020\nT\n\nS.\n" + line + "\n"
		items, got, err := ParseListing(strings.NewReader(in))
		if err != nil || len(got) != 0 || len(items) != 1 || items[0].Summary != "S. "+line {
			t.Errorf("%q: items %+v, errors %+v, %v; want it in the summary", line, items, got, err)
		}
	}
}
