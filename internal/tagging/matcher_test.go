package tagging

import (
	"slices"
	"testing"

	"newsdigest/internal/i18n"
	"newsdigest/internal/taxonomy"
)

// NewTagger skips rules for codes a taxonomy lacks, so a typo in a data
// file would go unnoticed there: check every code against the default.
func TestDataFileCodes(t *testing.T) {
	tx := taxonomy.Default()
	gaz, err := parseRules("gazetteer.tsv", gazetteerTSV)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range gaz {
		t.Run(r.head+" "+r.phrase[0], func(t *testing.T) {
			for _, code := range r.codes {
				var ok bool
				switch r.head {
				case "region", "forum":
					ok = tx.HasRegion(code)
				case "demonym":
					ok = tx.HasCountry(code) || tx.HasRegion(code)
				case "block", "ignore", "prefix", "suffix", "actor", "party", "member", "org", "lead", "origin", "abroad", "qualified":
					ok = code == "-"
				default:
					ok = tx.HasCountry(code)
				}
				if !ok {
					t.Errorf("line %d: code %q", r.line, code)
				}
			}
		})
	}
	top, err := parseRules("topics.tsv", topicsTSV)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range top {
		t.Run(r.head+" "+r.phrase[0], func(t *testing.T) {
			for _, slug := range r.codes {
				if ok := tx.HasTopic(slug) || r.head == "block" && slug == "-"; !ok {
					t.Errorf("line %d: topic %q", r.line, slug)
				}
			}
		})
	}
}

// Every region and topic must be reachable by at least one rule, or
// nothing would ever be tagged with it.
func TestEveryTagReachable(t *testing.T) {
	tx := taxonomy.Default()
	tg := newTestTagger(t)
	for _, r := range tx.Regions {
		t.Run(r.Code, func(t *testing.T) {
			for _, lang := range i18n.Languages() {
				if got := tg.Tag(r.Name(lang), "", lang).Regions; !slices.Contains(got, r.Code) {
					t.Errorf("%s name %q gives %v", lang, r.Name(lang), got)
				}
			}
		})
	}
	for _, tp := range tx.Topics {
		t.Run(tp.Slug, func(t *testing.T) {
			if got := tg.Tag(tp.Name("en"), "", "en").Topics; !slices.Contains(got, tp.Slug) {
				t.Errorf("English name %q gives %v", tp.Name("en"), got)
			}
		})
	}
}

func TestParseRulesErrors(t *testing.T) {
	tests := []struct{ name, data string }{
		{"two columns", "alias\tMX\n"},
		{"no phrase", "alias\tMX\t | \n"},
		{"no code", "alias\t\tMexico\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseRules("x.tsv", tc.data); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestMatcherAddErrors(t *testing.T) {
	tests := []struct{ name, phrase string }{
		{"short wildcard", "ab*"},
		{"no words", "& -"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m phraseMatcher
			if err := m.add(tc.phrase, hit{}); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestNameVariants(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"Mexico", []string{"Mexico"}},
		{"Myanmar (Burma)", []string{"Myanmar", "Burma"}},
		{"St. Kitts & Nevis", []string{"St. Kitts & Nevis", "St. Kitts and Nevis", "St. Kitts y Nevis", "Saint Kitts and Nevis"}},
		{"Regional Conference on Migration (RCM)", []string{"Regional Conference on Migration", "RCM"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nameVariants(tc.name); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
