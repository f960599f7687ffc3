package taxonomy

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"newsdigest/internal/i18n"
)

// The codes are data, not code, so that a standards update is a one-line
// diff; their names are looked up in CLDR rather than typed (names.go),
// because hand typed names drift and translations are easy to get subtly
// wrong.
//
//go:embed data/iso3166-1.txt
var iso3166 string

// CountryCodes returns the ISO 3166-1 alpha-2 codes the default taxonomy
// knows, in the order of the data file (alphabetical).
func CountryCodes() []string {
	var codes []string
	for line := range strings.Lines(iso3166) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		codes = append(codes, strings.Fields(line)...)
	}
	return codes
}

// defaultRegions are the groupings the first user's desk reports on. Member
// lists follow the bodies' own definitions (CARICOM full members, RCM member
// states) or the UN M49 geoscheme where there is no body.
var defaultRegions = []Region{
	{Code: "central-america",
		Countries: []string{"BZ", "CR", "SV", "GT", "HN", "NI", "PA"}},
	{Code: "north-central-america",
		Countries: []string{"SV", "GT", "HN"}},
	// Island states and territories only; the mainland members of CARICOM
	// (BZ, GY, SR) are reached through the caricom region instead.
	{Code: "caribbean",
		Countries: []string{"AG", "AI", "AW", "BB", "BL", "BQ", "BS", "CU", "CW", "DM", "DO", "GD",
			"GP", "HT", "JM", "KN", "KY", "LC", "MF", "MQ", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI"}},
	{Code: "caricom",
		Countries: []string{"AG", "BS", "BB", "BZ", "DM", "GD", "GY", "HT", "JM", "MS", "KN", "LC", "VC", "SR", "TT"}},
	{Code: "north-america",
		Countries: []string{"CA", "US", "MX"}},
	{Code: "south-america",
		Countries: []string{"AR", "BO", "BR", "BV", "CL", "CO", "EC", "FK", "GF", "GS", "GY", "PE", "PY", "SR", "UY", "VE"}},
	{Code: "rcm",
		Countries: []string{"BZ", "CA", "CR", "SV", "US", "GT", "HN", "MX", "NI", "PA", "DO"}},
	{Code: "mesoamerica",
		Countries: []string{"MX", "BZ", "CR", "SV", "GT", "HN", "NI", "PA"}},
}

// defaultTopics are the topic slugs of DESIGN.md; the slugs are stable API
// (subscribers' filters store them), the names may be reworded freely.
var defaultTopics = []Topic{
	{Slug: "labour-migration"},
	{Slug: "trafficking-smuggling"},
	{Slug: "migration-governance"},
	{Slug: "border-management"},
	{Slug: "mixed-movements"},
	{Slug: "children-youth"},
	{Slug: "health"},
	{Slug: "protection"},
	{Slug: "integration"},
	{Slug: "emergencies"},
	{Slug: "climate"},
	{Slug: "return-reintegration"},
	{Slug: "communication"},
	{Slug: "capacity-building"},
	{Slug: "data-research"},
	{Slug: "diaspora"},
}

// Default returns the taxonomy of DESIGN.md: every ISO 3166-1 country named
// in every language from CLDR, the regions with their members, and the
// sixteen topics. Each call returns a fresh copy the caller may change.
func Default() *Taxonomy {
	codes := CountryCodes()
	countries := make([]Country, 0, len(codes))
	for _, code := range codes {
		countries = append(countries, Country{Code: code})
	}
	regions := make([]Region, len(defaultRegions))
	for i, r := range defaultRegions {
		r.Countries = slices.Clone(r.Countries)
		slices.Sort(r.Countries)
		regions[i] = r
	}
	return New(countries, regions, slices.Clone(defaultTopics))
}

// Check reports the first inconsistency in t: a region member that is not
// a known country, a duplicate code, or a name missing in a language.
// It exists so that an operator's edited taxonomy can be verified at start.
func (t *Taxonomy) Check() error {
	if len(t.countries) != len(t.Countries) {
		return fmt.Errorf("taxonomy: duplicate country code")
	}
	for _, c := range t.Countries {
		for _, lang := range i18n.Languages() {
			if c.Name(lang) == c.Code {
				return fmt.Errorf("taxonomy: country %s: no CLDR name in %s", c.Code, lang)
			}
		}
	}
	if len(t.regions) != len(t.Regions) {
		return fmt.Errorf("taxonomy: duplicate region code")
	}
	for _, r := range t.Regions {
		if _, ok := i18n.Lookup(i18n.Source, "region."+r.Code); !ok {
			return fmt.Errorf("taxonomy: region %s: name missing (region.%s in the catalogue)", r.Code, r.Code)
		}
		for _, c := range r.Countries {
			if !t.HasCountry(c) {
				return fmt.Errorf("taxonomy: region %s: unknown country %q", r.Code, c)
			}
		}
	}
	if len(t.topics) != len(t.Topics) {
		return fmt.Errorf("taxonomy: duplicate topic slug")
	}
	for _, tp := range t.Topics {
		if _, ok := i18n.Lookup(i18n.Source, "topic."+tp.Slug); !ok {
			return fmt.Errorf("taxonomy: topic %s: name missing (topic.%s in the catalogue)", tp.Slug, tp.Slug)
		}
	}
	return nil
}
