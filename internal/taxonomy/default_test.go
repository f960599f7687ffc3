package taxonomy

import (
	"slices"
	"testing"

	"golang.org/x/text/language"

	"newsdigest/internal/i18n"
)

func TestDefaultCounts(t *testing.T) {
	tx := Default()
	if err := tx.Check(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"countries", len(tx.Countries), 249},
		{"topics", len(tx.Topics), 16},
		{"regions", len(tx.Regions), 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %d, want %d", tc.got, tc.want)
			}
		})
	}
}

func TestDefaultCountryNames(t *testing.T) {
	tx := Default()
	tests := []struct {
		code, en, es, fr string
	}{
		{"GD", "Grenada", "Granada", "Grenade"},
		{"DO", "Dominican Republic", "República Dominicana", "République dominicaine"},
		{"DM", "Dominica", "Dominica", "Dominique"},
		{"MX", "Mexico", "México", "Mexique"},
		{"SV", "El Salvador", "El Salvador", "Salvador"},
		{"US", "United States", "Estados Unidos", "États-Unis"},
		{"HT", "Haiti", "Haití", "Haïti"},
		// Current names, where the CLDR release x/text carries is older.
		{"SZ", "Eswatini", "Esuatini", "Eswatini"},
		{"MK", "North Macedonia", "Macedonia del Norte", "Macédoine du Nord"},
		{"TR", "Türkiye", "Turquía", "Turquie"},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			c, ok := tx.Country(tc.code)
			if !ok {
				t.Fatalf("country %s missing", tc.code)
			}
			if en, es, fr := c.Name("en"), c.Name("es"), c.Name("fr"); en != tc.en || es != tc.es || fr != tc.fr {
				t.Errorf("got %q / %q / %q, want %q / %q / %q", en, es, fr, tc.en, tc.es, tc.fr)
			}
		})
	}
}

// Every code must be a real ISO country with a CLDR name in every language:
// CLDR answers a code it does not know with the code itself or "".
func TestDefaultCodesAreCountries(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Default().Countries {
		t.Run(c.Code, func(t *testing.T) {
			r, err := language.ParseRegion(c.Code)
			if err != nil || !r.IsCountry() || r.String() != c.Code {
				t.Errorf("not an ISO 3166-1 country (err %v)", err)
			}
			for _, lang := range i18n.Languages() {
				if name := c.Name(lang); name == "" || name == c.Code {
					t.Errorf("no CLDR name in %s: %q", lang, name)
				}
			}
			if seen[c.Code] {
				t.Errorf("duplicate")
			}
			seen[c.Code] = true
		})
	}
}

func TestDefaultRegions(t *testing.T) {
	tx := Default()
	want := map[string][]string{
		"central-america":       {"BZ", "CR", "GT", "HN", "NI", "PA", "SV"},
		"north-central-america": {"GT", "HN", "SV"},
		"north-america":         {"CA", "MX", "US"},
		"rcm":                   {"BZ", "CA", "CR", "DO", "GT", "HN", "MX", "NI", "PA", "SV", "US"},
		"mesoamerica":           {"BZ", "CR", "GT", "HN", "MX", "NI", "PA", "SV"},
		"caribbean":             nil, // checked for membership only
		"caricom":               nil,
		"south-america":         nil,
	}
	for code, members := range want {
		t.Run(code, func(t *testing.T) {
			r, ok := tx.Region(code)
			if !ok {
				t.Fatal("region missing")
			}
			for _, lang := range i18n.Languages() {
				if name := r.Name(lang); name == r.Code {
					t.Errorf("no name in %s", lang)
				}
			}
			if !slices.IsSorted(r.Countries) {
				t.Error("members not sorted")
			}
			for _, c := range r.Countries {
				if !tx.HasCountry(c) {
					t.Errorf("member %q is not a known country", c)
				}
			}
			if members != nil && !slices.Equal(r.Countries, members) {
				t.Errorf("members = %v, want %v", r.Countries, members)
			}
		})
	}
	t.Run("caribbean has the islands", func(t *testing.T) {
		r, _ := tx.Region("caribbean")
		for _, c := range []string{"CU", "DO", "HT", "JM", "PR", "BS", "BB", "TT", "DM", "GD", "LC", "VC", "KN", "AG"} {
			if !slices.Contains(r.Countries, c) {
				t.Errorf("caribbean lacks %s", c)
			}
		}
	})
}

func TestDefaultTopics(t *testing.T) {
	tx := Default()
	slugs := []string{"labour-migration", "trafficking-smuggling", "migration-governance",
		"border-management", "mixed-movements", "children-youth", "health", "protection",
		"integration", "emergencies", "climate", "return-reintegration", "communication",
		"capacity-building", "data-research", "diaspora"}
	for _, s := range slugs {
		t.Run(s, func(t *testing.T) {
			tp, ok := tx.Topic(s)
			if !ok {
				t.Fatal("topic missing")
			}
			for _, lang := range i18n.Languages() {
				if name := tp.Name(lang); name == tp.Slug {
					t.Errorf("no name in %s", lang)
				}
			}
		})
	}
}

// Default must hand out independent copies: the web layer may edit one.
func TestDefaultIsACopy(t *testing.T) {
	a := Default()
	a.Regions[0].Countries[0] = "XX"
	a.Topics[0].Slug = "changed"
	b := Default()
	if b.Regions[0].Countries[0] == "XX" || b.Topics[0].Slug == "changed" {
		t.Error("Default shares state between calls")
	}
}
