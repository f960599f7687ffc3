package render

import (
	"strings"
	"testing"
	"time"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// TestEveryMailInEveryLanguage renders each mail in every language of the
// catalogue, with the counts that pick each plural form, and fails on a
// fmt error (%!d(MISSING), %!(EXTRA …)) or an English word left in a
// translated mail.
func TestEveryMailInEveryLanguage(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	must := func(m Message, err error) Message {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, lang := range domain.Languages {
		var mails []Message
		for _, stories := range []int{0, 1, 2, 5} {
			d := sampleDigest(lang)
			d.Sections[0].Items = d.Sections[0].Items[:0]
			for range stories {
				d.Sections[0].Items = append(d.Sections[0].Items, Item{Title: "T", Summary: "S.", URL: "https://example.org/", PublishedOn: "2026-03-01"})
			}
			mails = append(mails, must(r.Digest(d)))
		}
		omitted := frameCheckDigest(lang)
		omitted.Omitted = 1
		mails = append(mails, must(r.Digest(omitted)), must(r.Digest(frameCheckDigest(lang))),
			must(r.Confirmation(sampleConfirmation(lang))))
		links := func(w *Welcome) {
			w.PreferencesURL, w.UnsubscribeURL = "https://example.org/p", "https://example.org/u"
		}
		for _, w := range []Welcome{
			{Language: lang, All: true, DigestLanguage: lang, Schedule: "S"},
			{Language: lang, Countries: []string{"Haïti"}, Topics: []string{"T"}, Narrow: true, DigestLanguage: "en", Schedule: "S"},
			{Language: lang, DigestLanguage: "es", Schedule: "S"},
		} {
			links(&w)
			mails = append(mails, must(r.Welcome(w)))
		}
		mails = append(mails,
			must(r.Known(Known{Language: lang, PreferencesURL: "https://example.org/p", UnsubscribeURL: "https://example.org/u"})),
			must(r.Export(Export{Language: lang, DownloadURL: "https://example.org/x", ValidFor: time.Hour,
				PreferencesURL: "https://example.org/p", UnsubscribeURL: "https://example.org/u"})))
		for i, m := range mails {
			// A screen reader calls the email by the mail's language's
			// word ("correo", "courriel"), not English's.
			if role := `aria-roledescription="` + i18n.Text(lang, "mail.role") + `"`; !strings.Contains(m.HTML, role) ||
				lang != i18n.Source && strings.Contains(m.HTML, `aria-roledescription="`+i18n.Text(i18n.Source, "mail.role")+`"`) {
				t.Errorf("%s mail %d: the email is not called %s", lang, i, role)
			}
			for part, s := range map[string]string{"subject": m.Subject, "html": m.HTML, "text": m.Text} {
				if strings.Contains(s, "%!") {
					t.Errorf("%s mail %d %s has a fmt error: %q", lang, i, part, s)
				}
				if !strings.Contains(m.HTML, `lang="`+lang+`"`) {
					t.Errorf("%s mail %d: html not marked as %s", lang, i, lang)
				}
				if lang == i18n.Source {
					continue
				}
				for _, key := range []string{"mail.unsubscribe", "mail.preferences", "mail.digest_why"} {
					en := strings.TrimSuffix(strings.SplitN(i18n.Text(i18n.Source, key), "%", 2)[0], " ")
					if en != i18n.Text(lang, key) && strings.Contains(s, en) {
						t.Errorf("%s mail %d %s has the English %q", lang, i, part, en)
					}
				}
			}
		}
	}
}
