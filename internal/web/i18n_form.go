package web

// formMessages are the words of the choices on the subscription and
// preferences forms: "all stories", the regions, the estimate and the
// field errors. They join messages when the package loads.
var formMessages = map[string]map[string]string{
	"en": {
		"all_legend":           "What to receive",
		"all_stories":          "All stories — every country and topic",
		"all_hint":             "Or choose the countries and topics you follow below.",
		"region_all":           "Every country in %s",
		"region_count":         "%d countries",
		"region_chosen":        "%d of %d chosen",
		"others_chosen":        "%d chosen",
		"error_summary":        "There is a problem",
		"err_email_required":   "Enter your email address.",
		"err_email_start":      "An email address cannot begin with =, +, -, @ or a space.",
		"err_email_long":       "This email address is too long: an address has at most 254 characters.",
		"err_email_invalid":    "This is not an email address. It should look like name@example.org.",
		"err_email_local_long": "The part before the @ is too long: it can have at most 64 characters.",
		"err_email_domain":     "The part after the @ is not a domain mail can reach. It should look like example.org.",
		"err_choices":          "Choose “All stories”, or at least one country or topic.",
		"err_countries":        "One of the countries sent is not on our list. Please choose from the list.",
		"err_topics":           "One of the topics sent is not on our list. Please choose from the list.",
		"err_language":         "Choose the language of the digest: English or Español.",
		"err_mode":             "Choose which stories you want.",
		"err_mode_narrow":      "“Only stories about one of my countries and one of my topics” needs at least one country and one topic.",
		"err_check_form":       "Please check your choices.",
		"estimate_hint":        "Choose all stories, or countries and topics, to see how many stories a week match.",
		"estimate_zero":        "No story of the last 8 weeks matches these choices.",
		"estimate_few":         "Fewer than one story a week matches these choices (%d in the last 8 weeks).",
		"estimate_one":         "About 1 story a week matches your choices.",
		"estimate_many":        "About %d stories a week match your choices.",
	},
	"es": {
		"all_legend":           "Qué recibir",
		"all_stories":          "Todas las noticias — todos los países y temas",
		"all_hint":             "O elige más abajo los países y temas que sigues.",
		"region_all":           "Todos los países de %s",
		"region_count":         "%d países",
		"region_chosen":        "%d de %d elegidos",
		"others_chosen":        "%d elegidos",
		"error_summary":        "Hay un problema",
		"err_email_required":   "Escribe tu dirección de correo.",
		"err_email_start":      "Una dirección de correo no puede empezar por =, +, -, @ ni un espacio.",
		"err_email_long":       "Esta dirección de correo es demasiado larga: una dirección tiene como máximo 254 caracteres.",
		"err_email_invalid":    "Esto no es una dirección de correo. Debe tener la forma nombre@ejemplo.org.",
		"err_email_local_long": "La parte antes de la @ es demasiado larga: puede tener como máximo 64 caracteres.",
		"err_email_domain":     "La parte después de la @ no es un dominio al que llegue el correo. Debe tener la forma ejemplo.org.",
		"err_choices":          "Elige «Todas las noticias», o al menos un país o un tema.",
		"err_countries":        "Uno de los países enviados no está en nuestra lista. Elige de la lista, por favor.",
		"err_topics":           "Uno de los temas enviados no está en nuestra lista. Elige de la lista, por favor.",
		"err_language":         "Elige el idioma del boletín: English o Español.",
		"err_mode":             "Elige qué noticias quieres.",
		"err_mode_narrow":      "«Solo noticias sobre uno de mis países y uno de mis temas» necesita al menos un país y un tema.",
		"err_check_form":       "Revisa tus opciones, por favor.",
		"estimate_hint":        "Elige todas las noticias, o países y temas, para ver cuántas noticias por semana coinciden.",
		"estimate_zero":        "Ninguna noticia de las últimas 8 semanas coincide con estas opciones.",
		"estimate_few":         "Menos de una noticia por semana coincide con estas opciones (%d en las últimas 8 semanas).",
		"estimate_one":         "Alrededor de 1 noticia por semana coincide con tus opciones.",
		"estimate_many":        "Alrededor de %d noticias por semana coinciden con tus opciones.",
	},
}

func init() {
	for lang, m := range formMessages {
		for k, v := range m {
			messages[lang][k] = v
		}
	}
}
