package taxonomy

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// The codes are data, not code, so that a standards update is a one-line
// diff; their names are looked up in CLDR rather than typed, because hand
// typed names drift and the Spanish ones are easy to get subtly wrong.
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
	{Code: "central-america", NameEN: "Central America", NameES: "Centroamérica",
		Countries: []string{"BZ", "CR", "SV", "GT", "HN", "NI", "PA"}},
	{Code: "north-central-america", NameEN: "North of Central America", NameES: "Norte de Centroamérica",
		Countries: []string{"SV", "GT", "HN"}},
	// Island states and territories only; the mainland members of CARICOM
	// (BZ, GY, SR) are reached through the caricom region instead.
	{Code: "caribbean", NameEN: "Caribbean", NameES: "Caribe",
		Countries: []string{"AG", "AI", "AW", "BB", "BL", "BQ", "BS", "CU", "CW", "DM", "DO", "GD",
			"GP", "HT", "JM", "KN", "KY", "LC", "MF", "MQ", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI"}},
	{Code: "caricom", NameEN: "Caribbean Community (CARICOM)", NameES: "Comunidad del Caribe (CARICOM)",
		Countries: []string{"AG", "BS", "BB", "BZ", "DM", "GD", "GY", "HT", "JM", "MS", "KN", "LC", "VC", "SR", "TT"}},
	{Code: "north-america", NameEN: "North America", NameES: "América del Norte",
		Countries: []string{"CA", "US", "MX"}},
	{Code: "south-america", NameEN: "South America", NameES: "América del Sur",
		Countries: []string{"AR", "BO", "BR", "BV", "CL", "CO", "EC", "FK", "GF", "GS", "GY", "PE", "PY", "SR", "UY", "VE"}},
	{Code: "rcm", NameEN: "Regional Conference on Migration (RCM)", NameES: "Conferencia Regional sobre Migración (CRM)",
		Countries: []string{"BZ", "CA", "CR", "SV", "US", "GT", "HN", "MX", "NI", "PA", "DO"}},
	{Code: "mesoamerica", NameEN: "Mesoamerica", NameES: "Mesoamérica",
		Countries: []string{"MX", "BZ", "CR", "SV", "GT", "HN", "NI", "PA"}},
}

// defaultTopics are the topic slugs of DESIGN.md; the slugs are stable API
// (subscribers' filters store them), the names may be reworded freely.
var defaultTopics = []Topic{
	{Slug: "labour-migration", NameEN: "Labour migration", NameES: "Migración laboral"},
	{Slug: "trafficking-smuggling", NameEN: "Trafficking and smuggling", NameES: "Trata y tráfico ilícito de migrantes"},
	{Slug: "migration-governance", NameEN: "Migration governance", NameES: "Gobernanza de la migración"},
	{Slug: "border-management", NameEN: "Border management", NameES: "Gestión de fronteras"},
	{Slug: "mixed-movements", NameEN: "Mixed movements", NameES: "Movimientos mixtos"},
	{Slug: "children-youth", NameEN: "Children and youth", NameES: "Niñez y juventud"},
	{Slug: "health", NameEN: "Health", NameES: "Salud"},
	{Slug: "protection", NameEN: "Protection", NameES: "Protección"},
	{Slug: "integration", NameEN: "Integration", NameES: "Integración"},
	{Slug: "emergencies", NameEN: "Emergencies", NameES: "Emergencias"},
	{Slug: "climate", NameEN: "Climate and environment", NameES: "Clima y medio ambiente"},
	{Slug: "return-reintegration", NameEN: "Return and reintegration", NameES: "Retorno y reintegración"},
	{Slug: "communication", NameEN: "Communication", NameES: "Comunicación"},
	{Slug: "capacity-building", NameEN: "Capacity building", NameES: "Fortalecimiento de capacidades"},
	{Slug: "data-research", NameEN: "Data and research", NameES: "Datos e investigación"},
	{Slug: "diaspora", NameEN: "Diaspora", NameES: "Diáspora"},
}

// Default returns the taxonomy of DESIGN.md: every ISO 3166-1 country named
// in English and Spanish from CLDR, the regions with their members, and the
// sixteen topics. Each call returns a fresh copy the caller may change.
func Default() *Taxonomy {
	en, es := display.English.Regions(), display.Spanish.Regions()
	codes := CountryCodes()
	countries := make([]Country, 0, len(codes))
	for _, code := range codes {
		// MustParseRegion cannot fail on the embedded data: the package
		// test checks every code, so a bad edit fails CI, not a server.
		r := language.MustParseRegion(code)
		countries = append(countries, Country{Code: code, NameEN: en.Name(r), NameES: es.Name(r)})
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
// a known country, a duplicate code, or a name missing in either language.
// It exists so that an operator's edited taxonomy can be verified at start.
func (t *Taxonomy) Check() error {
	if len(t.countries) != len(t.Countries) {
		return fmt.Errorf("taxonomy: duplicate country code")
	}
	for _, c := range t.Countries {
		if c.NameEN == "" || c.NameES == "" {
			return fmt.Errorf("taxonomy: country %s: name missing", c.Code)
		}
	}
	if len(t.regions) != len(t.Regions) {
		return fmt.Errorf("taxonomy: duplicate region code")
	}
	for _, r := range t.Regions {
		if r.NameEN == "" || r.NameES == "" {
			return fmt.Errorf("taxonomy: region %s: name missing", r.Code)
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
		if tp.NameEN == "" || tp.NameES == "" {
			return fmt.Errorf("taxonomy: topic %s: name missing", tp.Slug)
		}
	}
	return nil
}
