package web

import (
	"bytes"
	"regexp"
	"testing"

	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
	"newsdigest/internal/taxonomy"
)

// TestLanguageNamesSayTheirLanguage: the header's language links and the
// form's language choices name each language in itself ("Español",
// "Français"), and say so with lang, so that a screen reader on an
// English page reads "Français" as French rather than spelling out an
// English word.
func TestLanguageNamesSayTheirLanguage(t *testing.T) {
	pages, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	tax := taxonomy.Default()
	for _, page := range []string{"home.html", "preferences.html"} {
		for _, lang := range domain.Languages {
			var out bytes.Buffer
			d := pageData{Lang: lang, Title: "x", Action: "/", Form: buildForm(tax, lang, domain.Filter{Language: "es"})}
			if err := pages.ExecuteTemplate(&out, page, d); err != nil {
				t.Fatalf("%s (%s): %v", page, lang, err)
			}
			for _, code := range domain.Languages {
				name := regexp.QuoteMeta(i18n.Autonym(code))
				current := "" // the page's own language is marked as the current one
				if code == lang {
					current = ` aria-current="true"`
				}
				link := regexp.MustCompile(`<a href="[^"]*" hreflang="` + code + `" lang="` + code + `"` + current + `>` + name + `</a>`)
				if !link.Match(out.Bytes()) {
					t.Errorf("%s (%s): the header's link to %s does not say its language, or whether it is the page's", page, lang, code)
				}
				choice := regexp.MustCompile(`name="language" value="` + code + `"[^>]*> <span lang="` + code + `">` + name + `</span></label>`)
				if !choice.Match(out.Bytes()) {
					t.Errorf("%s (%s): the language choice %s does not say its language", page, lang, code)
				}
			}
		}
	}
}
