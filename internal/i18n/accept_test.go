package i18n

import "testing"

// TestPreferredFollowsTheWeights: a browser's languages are taken by
// their q values, not their order; q=0 refuses one; equals keep the
// order given; a regional variant counts for its language.
func TestPreferredFollowsTheWeights(t *testing.T) {
	for header, want := range map[string]string{
		"en;q=0.2, fr-HT;q=0.9":    "fr",
		"fr-HT;q=0.9, en;q=0.2":    "fr",
		"en-US,en;q=0.9":           "en",
		"es-419,es;q=0.9,en;q=0.8": "es",
		"fr-CA;q=0.8, es-MX;q=0.8": "fr",
		"es-MX;q=0.8, fr-CA;q=0.8": "es",
		"fr;q=0, es;q=0.5":         "es",
		"de, es;q=0.3":             "es",
		"de-DE,de;q=0.9,fr;q=0.1":  "fr",
		"FR-ht":                    "fr",
		"ht":                       "fr", // Haitian Creole: CLDR's readers read French
		"not a tag!!, es;q=0.5":    "es", // one bad entry does not spoil the rest
		"en;q=abc, fr;q=0.4":       "fr",
		"en ; q=0.5 , fr ; q=0.6":  "fr",
		"es;q=0.001":               "es",
	} {
		if got, ok := Preferred(header); got != want || !ok {
			t.Errorf("Preferred(%q) = %q, %v; want %q", header, got, ok, want)
		}
	}
	for _, header := range []string{"", "de", "fr;q=0", "*", "zh-TW, ja;q=0.5", "garbage;;;"} {
		if got, ok := Preferred(header); ok {
			t.Errorf("Preferred(%q) = %q, want none", header, got)
		}
	}
}
