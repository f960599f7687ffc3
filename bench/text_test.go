package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// phrases is the vocabulary of the synthetic news items, in one language.
// The items read like the first user's listings (a country, who did what,
// where), so that titles, summaries and the HTML around them have the
// lengths and escaping of real digests.
type phrases struct {
	subjects, verbs, pastVerbs, objects, places, closers []string
	moreInfo                                             string
}

var vocab = map[string]phrases{
	"en": {
		subjects: []string{"IOM", "The International Organization for Migration (IOM)", "National authorities",
			"The Ministry of Labour", "Civil society organisations", "Local governments", "UN agencies",
			"The Regional Conference on Migration (RCM)", "Border officials", "Municipal health teams"},
		verbs: []string{"launch", "strengthen", "present", "discuss", "expand", "review", "coordinate", "support"},
		pastVerbs: []string{"launched", "strengthened", "presented", "discussed", "expanded", "reviewed",
			"coordinated", "supported"},
		objects: []string{"a labour mobility programme", "protection services for returned migrants",
			"a study on mixed movements", "training on victim identification", "emergency shelter capacity",
			"data on migration flows", "reintegration plans for returnees", "a campaign against human trafficking",
			"health services at border crossings", "responses to climate-related displacement"},
		places: []string{"in border communities", "along the northern border", "with the support of the European Union",
			"during the COVID-19 recovery", "ahead of the hurricane season", "for children and adolescents",
			"in coordination with municipal authorities", "for migrants in transit"},
		closers: []string{"The initiative reached more than %d people over %d months.",
			"Participants agreed on next steps and a follow-up meeting in %d weeks, with %d institutions taking part.",
			"Organisers said %d of the planned %d activities had already been completed.",
			"The results will inform national policy, according to the %d officials who attended the %d sessions."},
		moreInfo: "More information: https://rosanjose.iom.int/en/news/item-%d?utm_source=digest&ref=%d",
	},
	"es": {
		subjects: []string{"La OIM", "La Organización Internacional para las Migraciones (OIM)", "Las autoridades nacionales",
			"El Ministerio de Trabajo", "Organizaciones de la sociedad civil", "Los gobiernos locales", "Agencias de la ONU",
			"La Conferencia Regional sobre Migración (CRM)", "Funcionarios de fronteras", "Equipos municipales de salud"},
		verbs: []string{"lanzan", "fortalecen", "presentan", "analizan", "amplían", "revisan", "coordinan", "apoyan"},
		pastVerbs: []string{"lanzaron", "fortalecieron", "presentaron", "analizaron", "ampliaron", "revisaron",
			"coordinaron", "apoyaron"},
		objects: []string{"un programa de movilidad laboral", "servicios de protección para migrantes retornados",
			"un estudio sobre movimientos mixtos", "capacitación en identificación de víctimas",
			"la capacidad de albergues de emergencia", "datos sobre flujos migratorios",
			"planes de reintegración para personas retornadas", "una campaña contra la trata de personas",
			"servicios de salud en puestos fronterizos", "respuestas al desplazamiento por el clima"},
		places: []string{"en comunidades fronterizas", "a lo largo de la frontera norte", "con el apoyo de la Unión Europea",
			"durante la recuperación tras la COVID-19", "antes de la temporada de huracanes", "para niñas, niños y adolescentes",
			"en coordinación con las autoridades municipales", "para personas migrantes en tránsito"},
		closers: []string{"La iniciativa llegó a más de %d personas durante %d meses.",
			"Las y los participantes acordaron próximos pasos y una reunión de seguimiento en %d semanas, con %d instituciones.",
			"Según la organización, ya se completaron %d de las %d actividades previstas.",
			"Los resultados orientarán la política nacional, según los %d funcionarios que asistieron a las %d sesiones."},
		moreInfo: "Más información: https://rosanjose.iom.int/es/news/item-%d?utm_source=digest&ref=%d",
	},
}

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

// itemTitle writes a headline of about 100 characters: "Country: who does
// what, where", as in the desk's listings.
func itemTitle(r *rand.Rand, lang, place string) string {
	v := vocab[lang]
	t := place + ": " + pick(r, v.subjects) + " " + pick(r, v.verbs) + " " + pick(r, v.objects)
	for len(t) < 90 {
		t += " " + pick(r, v.places)
	}
	return cut(t, 120)
}

// itemSummary writes a paragraph of 400 to 600 characters; withURL adds a
// link in the text, which the renderer must escape like the rest.
func itemSummary(r *rand.Rand, lang string, id int, withURL bool) string {
	v := vocab[lang]
	more := ""
	if withURL {
		more = " " + fmt.Sprintf(v.moreInfo, id, r.IntN(1000))
	}
	want := 400 + r.IntN(201) - len(more)
	var b strings.Builder
	for b.Len() < want {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "%s %s %s %s.", pick(r, v.subjects), pick(r, v.pastVerbs), pick(r, v.objects), pick(r, v.places))
		} else {
			fmt.Fprintf(&b, pick(r, v.closers), 20+r.IntN(4000), 2+r.IntN(30))
		}
	}
	return cut(b.String(), 600-len(more)) + more
}

// cut shortens s to at most n bytes at a space.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n], ' '); i > 0 {
		return strings.TrimRight(s[:i], ",;:") + "."
	}
	return s[:n]
}
