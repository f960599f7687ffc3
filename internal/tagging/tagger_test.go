package tagging

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"newsdigest/internal/domain"
	"newsdigest/internal/taxonomy"
)

// ignoreReasons compares tags without their reasons, which have tests of
// their own.
var ignoreReasons = cmpopts.IgnoreFields(Tags{}, "Reasons", "Declined")

func newTestTagger(t testing.TB) *Tagger {
	t.Helper()
	tg, err := NewTagger(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// Places: the traps a word-by-word matcher falls into.
func TestTagPlaces(t *testing.T) {
	tg := newTestTagger(t)
	tests := []struct {
		name, title, summary string
		countries, regions   []string
		lang                 string // "" detects it
	}{
		{"Dominica is not the Dominican Republic", "Dominica: hurricane season preparedness", "", []string{"DM"}, []string{}, ""},
		{"Dominican Republic is not Dominica", "Dominican Republic and Haiti meet", "", []string{"DO", "HT"}, []string{}, ""},
		{"Spanish Dominican Republic", "República Dominicana refuerza controles", "", []string{"DO"}, []string{}, ""},
		{"NGO name is not a place", "Doctors of the World opens a clinic", "The organization Doctors of the World works in Tapachula, Chiapas.", []string{"MX"}, []string{}, ""},
		{"New Mexico is not Mexico", "Shelters in New Mexico fill up", "", []string{"US"}, []string{}, ""},
		{"San Salvador", "Returnees arrive in San Salvador", "", []string{"SV"}, []string{}, ""},
		{"Guinea-Bissau is not Guinea", "Migrants from Guinea-Bissau reach Panama", "", []string{"GW", "PA"}, []string{}, ""},
		{"Papua New Guinea", "Papua New Guinea", "", []string{"PG"}, []string{}, ""},
		{"chile the pepper", "Cooperative grows chile in Oaxaca", "", []string{"MX"}, []string{}, ""},
		{"us the pronoun", "Join us for a webinar on migration", "", []string{}, []string{}, ""},
		{"US the country", "US and Mexico discuss cooperation", "", []string{"MX", "US"}, []string{}, ""},
		{"EE. UU.", "Migrantes deportados desde EE. UU.", "", []string{"US"}, []string{}, ""},
		{"Saint Kitts and Nevis", "Saint Kitts and Nevis joins the programme", "", []string{"KN"}, []string{}, ""},
		{"St. Vincent & the Grenadines", "St. Vincent and the Grenadines after the eruption", "", []string{"VC"}, []string{}, ""},
		{"Côte d'Ivoire with a straight apostrophe", "Migrants from Côte d'Ivoire in Costa Rica", "", []string{"CI", "CR"}, []string{}, ""},
		{"Granada the Nicaraguan city", "Festival in Granada", "", []string{}, []string{}, ""},
		{"Grenada", "Grenada launches a diaspora policy", "", []string{"GD"}, []string{}, ""},
		{"reunión is a meeting", "Reunión regional sobre trata de personas en Centroamérica", "", []string{}, []string{"central-america"}, ""},
		{"accents ignored", "MEXICO y Mexico y México", "", []string{"MX"}, []string{}, ""},
		{"place in the title", "Upala hosts job fair", "", []string{"CR"}, []string{}, ""},
		{"passing mention in summary dropped", "Costa Rica: study in Upala", "Upala lies on the border with Nicaragua.", []string{"CR"}, []string{}, ""},
		{"summary mentioned twice kept", "Costa Rica: study in Upala", "Nicaragua and Costa Rica agree. Nicaragua will host.", []string{"CR", "NI"}, []string{}, ""},
		{"summary names the places when the title does not", "Regional meeting on trafficking", "Officials from Guatemala, Honduras and El Salvador met.", []string{"GT", "HN", "SV"}, []string{}, ""},
		// A nationality says who, not where: the place wins.
		{"demonym in the title", "Haitian migrants stranded in Panama", "", []string{"PA"}, []string{}, ""},
		{"Spanish demonym in the title", "Migrantes hondureños llegan a Tapachula", "", []string{"MX"}, []string{}, ""},
		{"nationality in passing", "Costa Rica: Nicaraguan workers in Upala receive vaccines", "", []string{"CR"}, []string{}, ""},
		{"nationality and a place only in the summary", "Migrantes cubanos varados", "Regresaron a La Habana.", []string{"CU"}, []string{}, "es"},
		{"nationality alone", "Haitian migrants face discrimination", "", []string{"HT"}, []string{}, ""},
		{"nationality naming institutions", "Mexican consulates in the United States expand legal aid", "", []string{"MX", "US"}, []string{}, ""},
		{"Spanish nationality naming institutions", "Autoridades guatemaltecas rescatan a migrantes en Tapachula", "", []string{"GT", "MX"}, []string{}, "es"},
		{"Commonwealth of Dominica", "Floods in the Commonwealth of Dominica", "", []string{"DM"}, []string{}, ""},
		{"Equatorial Guinea is not Guinea", "Equatorial Guinea signs a return agreement", "", []string{"GQ"}, []string{}, ""},
		{"Guinea", "Guinea and Honduras sign a return agreement", "", []string{"GN", "HN"}, []string{}, ""},
		{"Guinea Ecuatorial", "Guinea Ecuatorial y Guinea-Bisáu firman un acuerdo", "", []string{"GQ", "GW"}, []string{}, "es"},
		{"Papúa Nueva Guinea", "Papúa Nueva Guinea se suma al programa", "", []string{"PG"}, []string{}, "es"},
		{"Gulf of Guinea", "Piracy in the Gulf of Guinea", "", []string{}, []string{}, ""},
		{"Nueva Guinea is in Nicaragua", "Productores de Nueva Guinea reciben apoyo", "", []string{"NI"}, []string{}, "es"},
		{"Granada alone in Spanish is Grenada", "Granada recibe a migrantes venezolanos", "", []string{"GD"}, []string{}, "es"},
		{"Granada, Nicaragua in Spanish", "Granada, Nicaragua: mujeres retornadas emprenden", "", []string{"NI"}, []string{}, "es"},
		{"Granada, Nicaragua in English", "Granada, Nicaragua: returnees open shops", "", []string{"NI"}, []string{}, "en"},
		{"San Salvador de Jujuy is Argentina", "Migrants in San Salvador de Jujuy", "", []string{"AR"}, []string{}, ""},
		{"Mexico City", "Mexico City shelters are full", "", []string{"MX"}, []string{}, ""},
		{"Nuevo México is not México", "Nuevo México y Chihuahua firman un acuerdo", "", []string{"MX", "US"}, []string{}, "es"},
		{"Barrio Cuba is in San José", "Barrio Cuba: Spanish classes for refugees", "", []string{"CR"}, []string{}, ""},
		{"Plaza España is a square", "Job fair in Plaza España, Guatemala City", "", []string{"GT"}, []string{}, ""},
		{"a school named after a country", "La Escuela República de Panamá abre sus puertas", "", []string{}, []string{}, "es"},
		{"a street named after a country", "Cuba Street market reopens", "", []string{}, []string{}, ""},
		{"Caribbean coast is not the Caribbean", "Costa Rica's Caribbean coast: clinics reach workers", "", []string{"CR"}, []string{}, ""},
		{"North Caribbean Coast is Nicaragua", "Floods in the North Caribbean Coast Autonomous Region", "", []string{"NI"}, []string{}, ""},
		{"Mexican Caribbean", "Mexican Caribbean: Cuban migrants arrive by sea", "", []string{"MX"}, []string{}, ""},
		{"Central American migrants are a nationality", "Central American migrants held in Georgia", "", []string{"US"}, []string{}, ""},
		{"Central American countries are the region", "Central American countries agree on a protocol", "", []string{}, []string{"central-america"}, ""},
		{"a region in the title keeps the members the summary names", "Northern Triangle: survey of young people", "In El Salvador, Guatemala and Honduras. El Salvador leads.", []string{"GT", "HN", "SV"}, []string{"north-central-america"}, ""},
		{"Georgia is the US state", "Detention centre in Georgia", "", []string{"US"}, []string{}, ""},
		{"a nationality does not hide a name in its sentence", "Returns rise", "Haitian migrants were flown back to Haiti.", []string{"HT"}, []string{}, ""},
		{"a place counts once per sentence", "Cuba: remittances fall", "Flights between Miami and Havana stopped, a Miami firm says.", []string{"CU"}, []string{}, ""},
		{"summary demonym alone", "Business leaders meet", "The Mexican Business Council met.", []string{"MX"}, []string{}, ""},
		{"summary demonym with a named place", "Business leaders meet", "The Mexican Business Council met in Guatemala.", []string{"GT"}, []string{}, ""},
		{"regions are not expanded", "Central America: new study", "", []string{}, []string{"central-america"}, ""},
		{"Centroamérica", "Migración en Centroamérica y el Caribe", "", []string{}, []string{"caribbean", "central-america"}, ""},
		{"RCM and CRM", "CRM: reunión viceministerial", "", []string{}, []string{"rcm"}, ""},
		{"crm in lower case is not RCM", "Using a crm for outreach", "", []string{}, []string{}, ""},
		{"Regional Conference on Migration", "Regional Conference on Migration meets", "", []string{}, []string{"rcm"}, ""},
		{"North of Central America", "Returns to the North of Central America", "", []string{}, []string{"north-central-america"}, ""},
		{"Northern Triangle", "Violence in the Northern Triangle", "", []string{}, []string{"north-central-america"}, ""},
		{"Triángulo Norte", "Desplazamiento en el Triángulo Norte", "", []string{}, []string{"north-central-america"}, ""},
		{"CARICOM is not the Caribbean", "CARICOM ministers on free movement", "", []string{}, []string{"caricom"}, ""},
		{"Caribbean Community", "Caribbean Community summit", "", []string{}, []string{"caricom"}, ""},
		{"Caribbean Netherlands is a country", "Caribbean Netherlands", "", []string{"BQ"}, []string{}, ""},
		{"Mesoamerica", "Mesoamerican migration routes", "", []string{}, []string{"mesoamerica"}, ""},
		{"nothing", "Annual report published", "", []string{}, []string{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tg.Tag(tc.title, tc.summary, tc.lang)
			if diff := cmp.Diff(tc.countries, got.Countries); diff != "" {
				t.Errorf("countries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.regions, got.Regions); diff != "" {
				t.Errorf("regions (-want +got):\n%s", diff)
			}
		})
	}
}

// The sub-national places of the region's news each place an item in
// their country.
func TestTagSubnationalPlaces(t *testing.T) {
	tg := newTestTagger(t)
	for place, want := range map[string][]string{
		"Chiapas": {"MX"}, "Tapachula": {"MX"}, "Quintana Roo": {"MX"}, "Tamaulipas": {"MX"},
		"Ciudad Juárez": {"MX"}, "Tijuana": {"MX"}, "Tenosique": {"MX"}, "Piedras Negras": {"MX"},
		"Petén": {"GT"}, "Tecún Umán": {"GT"}, "Puerto Barrios": {"GT"}, "Esquipulas": {"GT"},
		"San Pedro Sula": {"HN"}, "Ocotepeque": {"HN"}, "Choluteca": {"HN"}, "Danlí": {"HN"},
		"San Salvador": {"SV"}, "La Hachadura": {"SV"}, "Chinandega": {"NI"}, "Bluefields": {"NI"},
		"Upala": {"CR"}, "Los Chiles": {"CR"}, "Peñas Blancas": {"CR"}, "Sixaola": {"CR"},
		"Paso Canoas": {"CR", "PA"}, "Darién": {"PA"}, "Bocas del Toro": {"PA"}, "Lajas Blancas": {"PA"},
		"Dajabón": {"DO"}, "Elías Piña": {"DO"}, "Jimaní": {"DO"}, "Pedernales": {"DO"},
		"Ouanaminthe": {"HT"}, "Belladère": {"HT"}, "Malpasse": {"HT"}, "Anse-à-Pitres": {"HT"},
		"Benque Viejo": {"BZ"}, "Providenciales": {"TC"}, "Necoclí": {"CO"},
	} {
		t.Run(place, func(t *testing.T) {
			got := tg.Tag("Migrants arrive in "+place, "", "en").Countries
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

// Every tag says what set it, quoting the text as written.
func TestTagReasons(t *testing.T) {
	tg := newTestTagger(t)
	tests := []struct {
		title, summary, lang string
		want                 domain.TagReasons
	}{
		{"Upala hosts job fair", "", "en", domain.TagReasons{
			Countries: map[string]string{"CR": "place: Upala"}, Regions: map[string]string{},
			Topics: map[string]string{"labour-migration": "phrase: job"}}},
		{"Three women trafficked in Centroamérica", "", "en", domain.TagReasons{
			Countries: map[string]string{}, Regions: map[string]string{"central-america": "name: Centroamérica"},
			Topics: map[string]string{"trafficking-smuggling": "phrase: trafficked"}}},
		{"Haitian migrants face discrimination", "", "en", domain.TagReasons{
			Countries: map[string]string{"HT": "nationality: Haitian"}, Regions: map[string]string{},
			Topics: map[string]string{"protection": "phrase: discrimination"}}},
		{"Mexican consulates in the US", "", "en", domain.TagReasons{
			Countries: map[string]string{"MX": "institution: Mexican consulates", "US": "name: US"},
			Regions:   map[string]string{}, Topics: map[string]string{}}},
		{"Capacitación en Dajabón", "Víctimas de trata en Dajabón.", "es", domain.TagReasons{
			Countries: map[string]string{"DO": "place: Dajabón"}, Regions: map[string]string{},
			Topics: map[string]string{"capacity-building": "phrase: Capacitación", "trafficking-smuggling": "phrase: Víctimas de trata"}}},
	}
	for _, tc := range tests {
		t.Run(tc.title, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tg.Tag(tc.title, tc.summary, tc.lang).Reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTagTopics(t *testing.T) {
	tg := newTestTagger(t)
	tests := []struct {
		name, title, summary string
		want                 []string
	}{
		{"trafficked", "Three women trafficked to Panama rescued", "", []string{"trafficking-smuggling"}},
		{"traffickers", "Police arrest traffickers", "", []string{"trafficking-smuggling"}},
		{"tratantes", "Capturan a tratantes", "", []string{"trafficking-smuggling"}},
		{"victims of trafficking are trafficking, not protection", "Victims of trafficking identified", "", []string{"trafficking-smuggling"}},
		{"smuggled", "Migrants smuggled in a trailer", "", []string{"trafficking-smuggling"}},
		{"coyotes", "Los coyotes cobran más", "", []string{"trafficking-smuggling"}},
		{"repatria", "Islas Turcas y Caicos repatria a 180 personas", "", []string{"return-reintegration"}},
		{"capacitó", "La OIM capacitó a 40 funcionarios", "", []string{"capacity-building"}},
		{"hired", "Companies hired 300 refugees", "", []string{"labour-migration", "protection"}},
		{"refugees in passing", "Fair", "Refugees and migrants attended the fair.", []string{}},
		{"asylum", "Fair", "Asylum seekers attended the fair.", []string{"protection"}},
		{"migrant shelters are not emergencies", "Albergues reciben a migrantes", "", []string{}},
		{"damage assessment is not research", "Damage assessment after the storm", "", []string{"emergencies"}},
		{"smugglers", "Smugglers arrested at the coast", "", []string{"trafficking-smuggling"}},
		{"trata de personas", "Día contra la trata de personas", "", []string{"trafficking-smuggling"}},
		{"tráfico ilícito de migrantes", "Guía sobre tráfico ilícito de migrantes", "", []string{"trafficking-smuggling"}},
		{"se trata de is not trafficking", "Nueva iniciativa", "Se trata de una iniciativa regional.", []string{}},
		{"drug trafficking is not trafficking", "Drug trafficking routes shift", "", []string{}},
		{"labour market", "Labour market study", "", []string{"data-research", "labour-migration"}},
		{"trabajadores", "Trabajadores agrícolas temporales", "", []string{"labour-migration"}},
		{"hiring", "New hiring programme for migrants", "", []string{"labour-migration"}},
		{"mesa de trabajo is not labour", "Mesa de trabajo interinstitucional", "", []string{}},
		{"bare border is geography", "Study in a border town", "", []string{"data-research"}},
		{"border management", "Border management seminar", "", []string{"border-management", "capacity-building"}},
		{"controles migratorios", "Controles migratorios en la frontera sur", "", []string{"border-management"}},
		{"COVID in the title", "COVID-19 testing for migrants", "", []string{"health"}},
		{"COVID in passing", "Regional meeting", "The response to the crisis caused by COVID-19 was discussed.", []string{}},
		{"salud", "Jornada de salud para migrantes", "", []string{"health"}},
		{"capacitación", "Capacitación a funcionarios", "", []string{"capacity-building"}},
		{"workshop in passing", "Dialogue held", "It was planned as a workshop.", []string{}},
		{"survey", "Survey of returnees", "", []string{"data-research", "return-reintegration"}},
		{"campaign", "Launch", "The campaign was launched on radio.", []string{"communication"}},
		{"caravans", "Caravana de migrantes avanza", "", []string{"mixed-movements"}},
		{"mixed flows", "Mixed flows through Darién", "", []string{"mixed-movements"}},
		{"migration governance", "Gobernanza migratoria en la región", "", []string{"migration-governance"}},
		{"children", "Unaccompanied children at the border", "", []string{"children-youth"}},
		{"hurricane", "Hurricanes Eta and Iota", "", []string{"emergencies"}},
		{"climate", "Climate change and migration in the Dry Corridor", "", []string{"climate"}},
		{"diaspora", "Remittances from the diaspora", "", []string{"diaspora"}},
		{"in the course of", "Talks", "In the course of the meeting officials spoke.", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tg.Tag(tc.title, tc.summary, "")
			if diff := cmp.Diff(tc.want, got.Topics); diff != "" {
				t.Errorf("topics (-want +got):\n%s", diff)
			}
		})
	}
}

// A taxonomy without some codes must still build: its rules are skipped.
func TestNewTaggerSmallTaxonomy(t *testing.T) {
	small := taxonomy.New(
		[]taxonomy.Country{{Code: "MX"}},
		[]taxonomy.Region{{Code: "rcm", Countries: []string{"MX"}}},
		[]taxonomy.Topic{{Slug: "health"}},
	)
	tg, err := NewTagger(small)
	if err != nil {
		t.Fatal(err)
	}
	got := tg.Tag("Mexico and Guatemala: COVID-19 and trafficking", "Tapachula", "en")
	want := Tags{Countries: []string{"MX"}, Regions: []string{}, Topics: []string{"health"}}
	if diff := cmp.Diff(want, got, ignoreReasons); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := NewTagger(nil); err == nil {
		t.Error("NewTagger(nil) gave no error")
	}
}

// FuzzTag checks that no text panics the matcher and that tags stay
// sorted, unique and known.
func FuzzTag(f *testing.F) {
	f.Add("Mexico: UN agencies promote labor inclusion", "Tapachula, Chiapas")
	f.Add("St. Kitts & Nevis", "EE. UU. trata de personas se trata de")
	tg := newTestTagger(f)
	tx := taxonomy.Default()
	f.Fuzz(func(t *testing.T, title, summary string) {
		got := tg.Tag(title, summary, "")
		for _, list := range [][]string{got.Countries, got.Regions, got.Topics} {
			for i := 1; i < len(list); i++ {
				if list[i-1] >= list[i] {
					t.Fatalf("not sorted and unique: %v", list)
				}
			}
		}
		for _, c := range got.Countries {
			if !tx.HasCountry(c) {
				t.Fatalf("unknown country %q", c)
			}
		}
	})
}

// TestTagFrench: French news about Haiti and the region is placed by the
// French names, nationality words and phrases in the data files.
func TestTagFrench(t *testing.T) {
	tg := newTestTagger(t)
	for _, tc := range []struct {
		name, title, summary string
		countries, regions   []string
	}{
		{"country name", "Haïti : l’OIM renforce l’aide aux personnes déplacées", "", []string{"HT"}, []string{}},
		{"two names", "Des Haïtiens rapatriés depuis la République dominicaine arrivent à Ouanaminthe",
			"Les autorités haïtiennes accueillent les personnes rapatriées.", []string{"HT"}, []string{}},
		{"French name unlike English", "Le Mexique et les États-Unis discutent des flux migratoires", "", []string{"MX", "US"}, []string{}},
		{"nationality with an institution", "Les autorités dominicaines annoncent de nouveaux contrôles", "", []string{"DO"}, []string{}},
		{"region", "Les Caraïbes face à la saison des ouragans", "", []string{}, []string{"caribbean"}},
		{"alias in French text", "Au Salvador, un nouveau centre d’accueil ouvre ses portes", "", []string{"SV"}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tg.Tag(tc.title, tc.summary, "fr")
			if diff := cmp.Diff(tc.countries, got.Countries); diff != "" {
				t.Errorf("countries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.regions, got.Regions); diff != "" {
				t.Errorf("regions (-want +got):\n%s", diff)
			}
		})
	}
	// A French name that is a first name elsewhere places nothing there.
	if got := tg.Tag("Salvador Nasralla meets returnees in Tegucigalpa", "", "en").Countries; slices.Contains(got, "SV") {
		t.Errorf("English text with the name Salvador tagged SV: %v", got)
	}
}
