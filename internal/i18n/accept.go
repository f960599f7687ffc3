package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// matcher matches a browser's languages to the catalogue's, by CLDR's
// rules: a regional variant to its language ("fr-HT" to French), and a
// language its readers commonly read another for (Haitian Creole to
// French, Galician to Spanish).
var matcher = language.NewMatcher(tags(all.langs))

func tags(langs []string) []language.Tag {
	out := make([]language.Tag, len(langs))
	for i, l := range langs {
		out[i] = language.MustParse(l)
	}
	return out
}

// Preferred is the catalogue's language that an Accept-Language header
// asks for: by its q values, highest first (q=0 refuses a language), the
// order given between equals; false when it asks for none the catalogue
// has. An entry that is no language tag is passed over, not the header.
func Preferred(acceptLanguage string) (string, bool) {
	want, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		// ParseAcceptLanguage refuses the whole header for one bad entry:
		// the others are read again without it.
		var good []string
		for _, entry := range strings.Split(acceptLanguage, ",") {
			if _, _, err := language.ParseAcceptLanguage(entry); err == nil {
				good = append(good, entry)
			}
		}
		want, _, _ = language.ParseAcceptLanguage(strings.Join(good, ","))
	}
	if len(want) == 0 {
		return "", false
	}
	_, i, conf := matcher.Match(want...)
	if conf == language.No {
		return "", false
	}
	return all.langs[i], true
}
