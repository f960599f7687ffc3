package tagging

import "strings"

// Function words that are frequent in one language and rare in the other.
// Words spelled the same in both ("a", "no", "final") are left out because
// they would vote for both. The lists are folded (no accents) like words().
var (
	englishStopwords = setOf("the", "of", "and", "to", "in", "is", "for", "on", "with", "that",
		"by", "from", "at", "as", "an", "are", "was", "be", "this", "its", "has", "have",
		"will", "which", "it", "or", "their", "were", "been", "not", "but", "who", "they",
		"into", "about", "after", "between", "during", "through", "more", "new", "than")
	spanishStopwords = setOf("de", "la", "el", "en", "y", "los", "las", "del", "que", "por",
		"con", "para", "una", "se", "al", "es", "su", "sus", "lo", "como", "mas",
		"sobre", "entre", "este", "esta", "estos", "fue", "han", "ha", "son", "tambien",
		"durante", "desde", "hasta", "segun", "ante", "mediante", "personas", "pais")
)

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// DetectLanguage tells whether text is English ("en") or Spanish ("es"),
// the two languages the digest is written in. It counts function words
// of each language, and counts Spanish-only marks (ñ, ¿, ¡ and accented
// vowels) as extra Spanish votes since English news text almost never has
// them outside names. Ties and empty text give "en", the default language
// of the API.
func DetectLanguage(text string) string {
	ws := words(text)
	// Capitalised words are left out at first: "El Salvador", "La Ceiba"
	// and "Los Chiles" are Spanish words inside English news. Only text
	// with no lower-case function word at all (a shouted title) uses them.
	en, es := countStopwords(ws, false)
	if en == 0 && es == 0 {
		en, es = countStopwords(ws, true)
	}
	// Accents in proper names ("Dajabón", "México") are common in English
	// text too, so marks count for less than a function word.
	marks := 0
	for _, r := range text {
		if strings.ContainsRune("ñÑ¿¡áéíóúÁÉÍÓÚ", r) {
			marks++
		}
	}
	if es*2+marks/2 > en*2 {
		return "es"
	}
	return "en"
}

func countStopwords(ws []word, capitalised bool) (en, es int) {
	for _, w := range ws {
		if w.capital && !capitalised {
			continue
		}
		if englishStopwords[w.text] {
			en++
		}
		if spanishStopwords[w.text] {
			es++
		}
	}
	return en, es
}
