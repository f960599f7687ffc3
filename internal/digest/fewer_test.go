package digest

import (
	"encoding/json"
	"strings"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/render"
	"newsdigest/internal/taxonomy"
)

// TestFewerLinksOnlyWhereTheChoiceCanGo: a story's "fewer like this" link
// drops its section's country or topic, so a mail offers it only where
// the reader has that choice to drop. A reader of all stories chose no
// country or topic, and a reader's last choice (or a narrow digest's
// last country) cannot go: their page could only say so, under a link
// on every story. The mail is laid out as the send path does it, from
// the sections as the compile stores them.
func TestFewerLinksOnlyWhereTheChoiceCanGo(t *testing.T) {
	r, err := render.New()
	if err != nil {
		t.Fatal(err)
	}
	items := []domain.Item{
		{ID: 1, Title: "Upala labour survey", Countries: []string{"CR"}, Topics: []string{"labour-migration"}},
		{ID: 2, Title: "Mexico hiring programme", Countries: []string{"MX"}, Topics: []string{"labour-migration"}},
		{ID: 3, Title: "Health posts at the border", Topics: []string{"health"}},
	}
	m := Masthead{BaseURL: "https://news.example.org", ListName: "News Digest"}
	for _, c := range []struct {
		name   string
		filter domain.Filter
		want   map[string]bool // section key → offers fewer
	}{
		{"all stories", domain.Filter{All: true}, map[string]bool{"CR": false, "MX": false, "health": false}},
		{"one country", domain.Filter{Countries: []string{"CR"}}, map[string]bool{"CR": false}},
		{"two countries", domain.Filter{Countries: []string{"CR", "MX"}}, map[string]bool{"CR": true, "MX": true}},
		{"a country and a topic", domain.Filter{Countries: []string{"CR"}, Topics: []string{"health"}},
			map[string]bool{"CR": true, "health": true}},
		{"narrow, one country", domain.Filter{Countries: []string{"CR"}, Topics: []string{"labour-migration", "health"}, Mode: domain.ModeNarrow},
			map[string]bool{"CR": false}},
		{"narrow, two countries", domain.Filter{Countries: []string{"CR", "MX"}, Topics: []string{"labour-migration"}, Mode: domain.ModeNarrow},
			map[string]bool{"CR": true, "MX": true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := c.filter
			f.Language = "en"
			f.Normalize()
			stored, err := json.Marshal(RankStories(f, Match(f, items, nil, nil), items, domain.Date{}.Time, nil))
			if err != nil {
				t.Fatal(err)
			}
			sections, err := DecodeSections(stored)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, sec := range sections {
				got[sec.Key] = false
			}
			d := m.Email(Issue{EditionID: 7, Language: "en", Sections: sections, Items: items, Tax: taxonomy.Default()})
			for _, sec := range d.Sections {
				for _, it := range sec.Items {
					if it.FewerURL != "" {
						got[it.FewerURL[strings.LastIndexByte(it.FewerURL, '/')+1:]] = true
					}
				}
			}
			if len(got) != len(c.want) {
				t.Fatalf("sections %v, want %v", got, c.want)
			}
			for key, want := range c.want {
				if got[key] != want {
					t.Errorf("section %s offers fewer: %v, want %v", key, got[key], want)
				}
			}
			msg, err := r.Digest(d)
			if err != nil {
				t.Fatal(err)
			}
			offered := strings.Contains(msg.Text, "/fewer/")
			if any := c.want["CR"] || c.want["MX"]; offered != any {
				t.Errorf("the text part offers a fewer link: %v, want %v", offered, any)
			}
		})
	}
}
