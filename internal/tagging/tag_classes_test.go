package tagging

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The ways a regional desk's editor and a place matcher part: a regional
// story names the countries taking part; names of forums and programmes
// contain regions but are actors; people and governments named take part.
func TestTagRegionalStories(t *testing.T) {
	tg := newTestTagger(t)
	tests := []struct {
		name, title, summary, lang string
		countries, regions         []string
	}{
		// A region in the title keeps the countries the summary names.
		{"region in the title and its countries", "Caribbean: workshop on disaster displacement",
			"The workshop was held with Haiti, Cuba and the Dominican Republic.", "en",
			[]string{"CU", "DO", "HT"}, []string{"caribbean"}},
		{"región en el título y sus países", "Centroamérica: nueva guía para el retorno de la niñez",
			"La guía se aplicará primero en Guatemala y Honduras.", "es",
			[]string{"GT", "HN"}, []string{"central-america"}},
		// Only the summary names the region, and which of its countries
		// took part: the countries, not the region.
		{"region only in the summary, with its countries", "Ministers sign a labour mobility agreement",
			"Guatemala and El Salvador signed Central America's first such accord.", "en",
			[]string{"GT", "SV"}, []string{}},
		{"a region's countries named as a group", "Border training for officials of two Caribbean countries",
			"Officials of Jamaica and Barbados took part.", "en",
			[]string{"BB", "JM"}, []string{}},
		// Forums and programmes are actors: the place they meet is the place.
		{"a consultation named after a region", "Caribbean Migration Consultations meet in Port of Spain",
			"Delegates discussed labour mobility.", "en", []string{"TT"}, []string{}},
		{"un programa con nombre de región", "El Programa Mesoamérica de la OIM abre una oficina en Tenosique, Tabasco",
			"La oficina atenderá a personas en tránsito.", "es", []string{"MX"}, []string{}},
		{"SICA is an actor", "SICA ministers approve a health plan for migrants",
			"The plan was approved in San Salvador.", "en", []string{"SV"}, []string{}},
		{"a meeting held in a capital", "Regional Conference on Migration reviews its action plan",
			"Tegucigalpa – Delegates from seven countries met for two days.", "en", []string{"HN"}, []string{}},
		{"a forum's countries as a whole", "Países de la CRM aprueban una guía sobre niñez migrante",
			"La guía fue preparada con apoyo técnico.", "es", []string{}, []string{"rcm"}},
		{"a forum alone still places the item", "The Regional Conference on Migration elects a new presidency",
			"", "en", []string{}, []string{"rcm"}},
		// Countries named as parties.
		{"officials from a list", "Barbados hosts a workshop on border management",
			"Officials from Grenada and Dominica attended.", "en", []string{"BB", "DM", "GD"}, []string{}},
		{"funcionarios de una lista", "Panamá acoge un taller sobre trata de personas",
			"Participaron funcionarios de Costa Rica y Colombia.", "es", []string{"CO", "CR", "PA"}, []string{}},
		{"a government named", "Eastern Caribbean: free movement under review",
			"The Government of Grenada presented its draft policy.", "en", []string{"GD"}, []string{"caribbean"}},
		{"returnees' country", "Nicaraguan returnees stranded in Peñas Blancas", "", "en", []string{"CR", "NI"}, []string{}},
		{"retornados de un país", "Salvadoreños retornados llegan a Tapachula", "", "es", []string{"MX", "SV"}, []string{}},
		{"migrants alone say who, not where", "Venezuelan migrants find work in Guanacaste", "", "en", []string{"CR"}, []string{}},
		// Where people were sent back from is not where the story is.
		{"deported from", "Haitian migrants deported from the Bahamas arrive in Cap-Haïtien", "", "en",
			[]string{"HT"}, []string{}},
		{"deportados desde", "Deportados desde Estados Unidos y México reciben apoyo en San Pedro Sula", "", "es",
			[]string{"HN"}, []string{}},
		{"deported from, and nothing else", "Migrants deported from Mexico", "", "en", []string{"MX"}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tg.Tag(tc.title, tc.summary, tc.lang)
			if diff := cmp.Diff(tc.countries, got.Countries); diff != "" {
				t.Errorf("countries (-want +got):\n%s\nreasons: %v", diff, got.Reasons.Countries)
			}
			if diff := cmp.Diff(tc.regions, got.Regions); diff != "" {
				t.Errorf("regions (-want +got):\n%s\nreasons: %v", diff, got.Reasons.Regions)
			}
		})
	}
}
