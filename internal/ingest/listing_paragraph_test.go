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
