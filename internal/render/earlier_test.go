package render

import (
	"html"
	"strings"
	"testing"
)

// TestDigestOfEarlierStories: a digest whose every story is older than a
// week before its edition (a back catalogue the desk chose to send) does
// not call them this week's, in its subject or its intro, in any
// language; one recent story makes them new stories again.
func TestDigestOfEarlierStories(t *testing.T) {
	t.Parallel()
	r := mustNew(t)
	for lang, want := range map[string][2]string{
		"en": {"2 earlier stories: Mexico and Regional", "2 stories published before this week."},
		"es": {"2 noticias anteriores: Mexico y Regional", "2 noticias publicadas antes de esta semana."},
		"fr": {"2 articles antérieurs : Mexico et Regional", "2 articles publiés avant cette semaine."},
	} {
		d := testDigest(lang)
		for i := range d.Sections {
			d.Sections[i].Items[0].PublishedOn = "2020-12-16"
		}
		m := mustDigest(t, r, d)
		if got := strings.ReplaceAll(m.Subject, "\u00a0", " "); got != want[0] {
			t.Errorf("%s subject %q, want %q", lang, got, want[0])
		}
		if text := strings.ReplaceAll(strings.Join(strings.Fields(m.Text), " "), "\u00a0", " "); !strings.Contains(text, want[1]) {
			t.Errorf("%s intro lacks %q: %.300s", lang, want[1], text)
		}
		d.Sections[0].Items[0].PublishedOn = "2026-11-24" // six days before the edition
		earlierWord := map[string]string{"en": "earlier", "es": "anteriores", "fr": "antérieurs"}[lang]
		if m := mustDigest(t, r, d); strings.Contains(m.Subject, earlierWord) || !strings.Contains(m.Subject, map[string]string{
			"en": "new stories", "es": "noticias nuevas", "fr": "nouveaux articles"}[lang]) {
			t.Errorf("%s with a recent story: subject %q", lang, m.Subject)
		}
	}
}

// TestOneStoryLeftOutIsOneStory: the link to the one story an email
// leaves out counts it as one, in every language ("1 more story", never
// "1 more stories").
func TestOneStoryLeftOutIsOneStory(t *testing.T) {
	t.Parallel()
	r := mustNew(t)
	for lang, want := range map[string][2]string{
		"en": {"1 more story on the web", "2 more stories on the web"},
		"es": {"1 noticia más en la web", "2 noticias más en la web"},
		"fr": {"1 article de plus sur le web", "2 articles de plus sur le web"},
	} {
		for n, w := range want {
			d := testDigest(lang)
			d.ViewURL = "https://news.example.org/digest/1/" + TokenPlaceholder
			d.Omitted = n + 1
			if m := mustDigest(t, r, d); !strings.Contains(m.Text, w) {
				t.Errorf("%s, %d left out: the mail lacks %q: %.400s", lang, n+1, w, m.Text)
			}
		}
	}
}

// TestEarlierStoriesFollowTheReadersFrequency: the intro of a digest of
// older stories says them by the reader's period, in the HTML and the
// text parts and in every language: a daily reader's stories of days ago
// were published "more than a day ago", not "before this week"; a story
// of ten days ago is news to a reader every two weeks, and one of the day
// before to a daily reader.
func TestEarlierStoriesFollowTheReadersFrequency(t *testing.T) {
	t.Parallel()
	r := mustNew(t)
	want := map[string]map[string]string{
		"en": {"daily": "2 stories published more than a day ago.", "weekly": "2 stories published before this week.",
			"biweekly": "2 stories published more than two weeks ago.", "": "2 stories published before this week."},
		"es": {"daily": "2 noticias publicadas hace más de un día.", "weekly": "2 noticias publicadas antes de esta semana.",
			"biweekly": "2 noticias publicadas hace más de dos semanas.", "": "2 noticias publicadas antes de esta semana."},
		"fr": {"daily": "2 articles publiés il y a plus d’un jour.", "weekly": "2 articles publiés avant cette semaine.",
			"biweekly": "2 articles publiés il y a plus de deux semaines.", "": "2 articles publiés avant cette semaine."},
	}
	newStories := map[string]string{"en": "2 new stories.", "es": "2 noticias nuevas.", "fr": "2 nouveaux articles."}
	flat := func(s string) string { return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "\u00a0", " ") }
	for lang, byFrequency := range want {
		for frequency, intro := range byFrequency {
			for _, tc := range []struct {
				published string
				want      string
			}{
				{"2020-12-16", intro},
				// Ten days before the edition: earlier to all but a
				// reader every two weeks.
				{"2026-11-20", map[bool]string{true: newStories[lang], false: intro}[frequency == "biweekly"]},
				// The day before: news to everyone.
				{"2026-11-29", newStories[lang]},
			} {
				d := testDigest(lang)
				d.Frequency = frequency
				for i := range d.Sections {
					d.Sections[i].Items[0].PublishedOn = tc.published
				}
				m := mustDigest(t, r, d)
				for part, body := range map[string]string{"text": m.Text, "html": html.UnescapeString(m.HTML)} {
					if got := flat(body); !strings.Contains(got, tc.want) {
						t.Errorf("%s, %q reader, stories of %s: the %s part lacks %q: %.400s", lang, frequency, tc.published, part, tc.want, got)
					}
				}
			}
		}
	}
}
