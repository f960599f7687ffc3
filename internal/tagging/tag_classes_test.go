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
		// A region named as the qualifier of a place inside a country is
		// not the story's region.
		{"a province qualified by a region", "Costa Rica: IOM supports migrant workers in the Caribbean province of Limón",
			"Banana farm workers received health kits.", "en", []string{"CR"}, []string{}},
		{"the qualified province alone", "Migrant workers in the Caribbean province of Limón receive health kits",
			"", "en", []string{"CR"}, []string{}},
		{"an island nation", "Hurricane season: the Caribbean island nation of Dominica gets ready",
			"", "en", []string{"DM"}, []string{}},
		{"the region itself is still the region", "Caribbean: hurricane season drills in the Caribbean islands",
			"", "en", []string{}, []string{"caribbean"}},
		{"una provincia del Caribe", "Trabajadores migrantes en la provincia caribeña de Limón reciben atención",
			"", "es", []string{"CR"}, []string{}},
		// Where a country's people live abroad is not the story's place.
		{"the diaspora in a country", "Guatemala launches a consular programme for the diaspora in the United States",
			"Passports can now be renewed online.", "en", []string{"GT"}, []string{}},
		{"the diaspora in the summary", "New investment programme for the diaspora",
			"The Government of El Salvador will advise the diaspora in the United States and Canada.", "en", []string{"SV"}, []string{}},
		{"la diáspora en un país", "El Salvador: la diáspora en Estados Unidos financia proyectos comunitarios",
			"Las remesas colectivas pagaron sistemas de agua en San Miguel.", "es", []string{"SV"}, []string{}},
		{"connacionales en un país", "Honduras abre oficinas de atención para sus connacionales en Estados Unidos y España",
			"", "es", []string{"HN"}, []string{}},
		{"a region's study of its diaspora", "Caribbean: study on the diaspora in the United States and Canada",
			"", "en", []string{}, []string{"caribbean"}},
		{"where the diaspora lives, and nothing else", "Remittances from the diaspora in the United States reach a record",
			"", "en", []string{"US"}, []string{}},
		{"a story about the country", "United States: new rules for the diaspora in the United States",
			"", "en", []string{"US"}, []string{}},
		{"people living in a host country are its story", "Nicaraguans living in Costa Rica receive vaccines",
			"", "en", []string{"CR"}, []string{}},
		// A nationality word inside the phrase does not break it, in the
		// languages that put it there.
		{"la diáspora haitiana en un país", "Haití lanza servicios consulares para la diáspora haitiana en Estados Unidos",
			"", "es", []string{"HT"}, []string{}},
		{"la diaspora haïtienne dans un pays", "Haïti lance des services consulaires pour la diaspora haïtienne aux États-Unis",
			"", "fr", []string{"HT"}, []string{}},
		{"the diaspora's people, not where it lives", "Las remesas de la diáspora haitiana en Estados Unidos alcanzan un récord",
			"", "es", []string{"HT"}, []string{}},
		{"connacionales radicados", "Honduras abre oficinas para sus connacionales radicados en Estados Unidos",
			"", "es", []string{"HN"}, []string{}},
		{"rapatriés des", "Des migrants rapatriés des États-Unis reçoivent un soutien à San Pedro Sula",
			"", "fr", []string{"HN"}, []string{}},
		{"rapatriés des, a people named", "Des Haïtiens rapatriés des Bahamas arrivent au Cap-Haïtien",
			"", "fr", []string{"HT"}, []string{}},
		// A list goes on over a repeated preposition after "and", in
		// every language; a preposition alone ends it.
		{"and in", "Guatemala expands services for the diaspora in the United States and in Canada",
			"", "en", []string{"GT"}, []string{}},
		{"et au", "Haïti tend la main à sa diaspora aux États-Unis et au Canada",
			"", "fr", []string{"HT"}, []string{}},
		{"et du", "Des migrants renvoyés des États-Unis et du Mexique arrivent à San Pedro Sula",
			"", "fr", []string{"HN"}, []string{}},
		{"a preposition alone ends the list", "Migrants returned from Mexico in Honduras receive support",
			"", "en", []string{"HN"}, []string{}},
		// A nationality word right after the phrase is where people
		// live, not the story's place.
		{"a nationality right after the phrase", "Haitian diaspora in Dominican cities sends remittances",
			"", "en", []string{"HT"}, []string{}},
		// A region qualifying a place places a story nothing else places.
		{"the region's states", "Small Caribbean island states face climate displacement",
			"", "en", []string{}, []string{"caribbean"}},
		{"each of the region's countries", "Each Caribbean country will name a focal point on trafficking",
			"", "en", []string{}, []string{"caribbean"}},
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
