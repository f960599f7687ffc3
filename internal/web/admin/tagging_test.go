package admin

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"newsdigest/internal/domain"
)

// TestTopicsTiedGoByTheirNames: the tagging page keeps the most changed
// topic first, and lists topics changed as often by their names in the
// page's language, as its alphabet sorts them ("Éducation" among the
// E's), not by their slugs.
func TestTopicsTiedGoByTheirNames(t *testing.T) {
	tied := domain.TopicCorrections{Tagged: 4, Removed: 1}
	rows := func(names map[string]string) []topicRow {
		var out []topicRow
		for _, slug := range []string{"education", "health", "migration", "rights"} {
			c := tied
			c.Topic = slug
			if slug == "migration" {
				c.Removed = 3
			}
			out = append(out, topicRow{TopicCorrections: c, Name: names[slug]})
		}
		return out
	}
	for _, c := range []struct {
		lang  string
		names map[string]string
		want  []string
	}{
		{"fr", map[string]string{"education": "Éducation", "health": "Santé", "migration": "Migrations", "rights": "Droits humains"},
			[]string{"Migrations", "Droits humains", "Éducation", "Santé"}},
		{"es", map[string]string{"education": "Educación", "health": "Salud", "migration": "Migración", "rights": "Derechos humanos"},
			[]string{"Migración", "Derechos humanos", "Educación", "Salud"}},
	} {
		r := rows(c.names)
		sortTopics(c.lang, r)
		var got []string
		for _, row := range r {
			got = append(got, row.Name)
		}
		if d := cmp.Diff(c.want, got); d != "" {
			t.Errorf("%s: the topics' order (-want +got):\n%s", c.lang, d)
		}
	}
}
