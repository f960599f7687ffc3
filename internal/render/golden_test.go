package render

import (
	stdflag "flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// update rewrites the golden files: go test ./internal/render -run Golden -update
var update = stdflag.Bool("update", false, "rewrite the golden files in testdata")

// representativeDigest is a week as a reader gets it: three countries, the
// regional stories and a topic, stories with and without a link of their
// own, one summary long enough to be cut, and more stories on the web view
// than the email holds.
func representativeDigest(lang string) Digest {
	es := lang == "es"
	pick := func(en, es_ string) string {
		if es {
			return es_
		}
		return en
	}
	d := Digest{
		Language:    lang,
		ListName:    "Migration News Digest",
		EditionDate: "2026-11-30",
		Sections: []Section{
			{Title: "Costa Rica", Items: []Item{{
				Title:       pick("Costa Rica opens a new migrant attention centre in the north", "Costa Rica abre un nuevo centro de atención a migrantes en el norte"),
				Summary:     pick("The centre in Upala offers health care, legal orientation and temporary shelter for people in transit, with the support of local partners.", "El centro de Upala ofrece atención de salud, orientación legal y albergue temporal para personas en tránsito, con el apoyo de socios locales."),
				URL:         "https://example.org/news/cr-upala?utm_source=digest&lang=" + lang,
				PublishedOn: "2026-11-27",
				Tags:        []string{"Costa Rica", pick("Protection", "Protección")},
				Anchor:      "story-101",
			}}},
			{Title: pick("El Salvador", "El Salvador"), Items: []Item{{
				Title:       pick("Returnees receive job training in San Salvador", "Personas retornadas reciben formación laboral en San Salvador"),
				Summary:     pick("Two hundred returnees finished a course in construction and hospitality. Employers have offered places to half of them, and a second course starts in January, with places kept for women who head their households, who the first course did not reach well enough, organisers said, adding that transport will be paid.", "Doscientas personas retornadas terminaron un curso de construcción y hostelería. Los empleadores han ofrecido plazas a la mitad, y un segundo curso empieza en enero, con plazas reservadas para mujeres jefas de hogar, a quienes el primer curso no llegó lo suficiente, dijeron los organizadores, que añadieron que se pagará el transporte."),
				PublishedOn: "2026-11-26",
				Tags:        []string{"El Salvador", pick("Labour migration", "Migración laboral")},
				Anchor:      "story-102",
			}}},
			{Title: pick("Panama", "Panamá"), Items: []Item{
				{
					Title:       pick("Darién crossings fall for the third month", "Los cruces por el Darién bajan por tercer mes"),
					Summary:     pick("Official figures show fewer people crossing the jungle on foot.", "Las cifras oficiales muestran menos personas cruzando la selva a pie."),
					URL:         "https://example.org/news/pa-darien",
					PublishedOn: "2026-11-25",
					Tags:        []string{pick("Panama", "Panamá"), pick("Mixed movements", "Movimientos mixtos")},
					Anchor:      "story-103",
				},
				{
					Title:       pick("Shelters in Lajas Blancas report fewer arrivals", "Los albergues de Lajas Blancas registran menos llegadas"),
					Summary:     pick("Staff say families now stay longer before moving on.", "El personal dice que las familias se quedan más tiempo antes de seguir."),
					PublishedOn: "2026-11-24",
					Tags:        []string{pick("Panama", "Panamá")},
					Anchor:      "story-104",
				},
			}},
			{Title: "Regional", Items: []Item{{
				Title:       pick("Central American ministers agree on labour mobility data", "Ministros centroamericanos acuerdan datos sobre movilidad laboral"),
				Summary:     pick("The agreement sets common definitions for the first time.", "El acuerdo fija definiciones comunes por primera vez."),
				URL:         "https://example.org/news/sica-data",
				PublishedOn: "2026-11-23",
				Tags:        []string{pick("Central America", "Centroamérica"), pick("Migration governance", "Gobernanza de la migración")},
				Anchor:      "story-105",
			}}},
			{Title: pick("Climate", "Clima"), Items: []Item{{
				Title:       pick("Hurricane season ends with 40,000 people displaced", "La temporada de huracanes termina con 40 000 personas desplazadas"),
				Summary:     pick("Most have returned home; some communities will be relocated.", "La mayoría ha vuelto a casa; algunas comunidades serán reubicadas."),
				PublishedOn: "2026-11-22",
				Tags:        []string{"Honduras", pick("Climate", "Clima")},
				Anchor:      "story-106",
			}}},
		},
		UnsubscribeURL: unsubscribeURL,
		PreferencesURL: preferencesURL,
		PostalAddress:  postalAddress,
		Omitted:        2,
		ViewURL:        "https://news.example.org/digest/42/" + TokenPlaceholder,
	}
	return d
}

// TestDigestGolden compares a representative digest, in each language,
// with the HTML and text in testdata: a change to the templates or the
// views shows here as a diff to review (and -update to accept).
func TestDigestGolden(t *testing.T) {
	r := mustNew(t)
	for _, lang := range []string{"en", "es"} {
		m := mustDigest(t, r, representativeDigest(lang))
		golden(t, "digest."+lang+".subject", m.Subject+"\n")
		golden(t, "digest."+lang+".html", m.HTML)
		golden(t, "digest."+lang+".txt", m.Text)
		c, err := r.Confirmation(Confirmation{Language: lang, ListName: "Migration News Digest",
			ConfirmURL: "https://news.example.org/confirm/abcDEF123_-xyz", PostalAddress: postalAddress})
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "confirm."+lang+".html", c.HTML)
		golden(t, "confirm."+lang+".txt", c.Text)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/render -run Golden -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, diff)
	}
}
