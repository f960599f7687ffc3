package admin

import (
	"fmt"
	"strings"

	"newsdigest/internal/errs"
)

// spanishError is the Spanish of one service error. The services write
// their messages in English ("field: what is wrong"); the console shows
// them in the page's language by looking up the format they were made
// from.
type spanishError struct {
	format string
	// words turns the arguments that are English words (a status, a
	// field name) into Spanish ones; false when one has no Spanish word,
	// and the English message is shown whole rather than a mix.
	words func(args []any) ([]any, bool)
}

// spanishErrors is keyed by the exact English format given to errs.New;
// errors_i18n_test.go checks each key is still one, so a reworded message
// fails the tests instead of silently falling back to English.
var spanishErrors = map[string]spanishError{
	// Items (internal/domain/item.go, internal/desk/items.go,
	// internal/postgres/items.go).
	"published_on: required":                                 {format: "fecha de publicación: obligatoria"},
	"title: required":                                        {format: "título: obligatorio"},
	"title: longer than %d characters":                       {format: "título: tiene más de %d caracteres"},
	"summary: longer than %d characters":                     {format: "resumen: tiene más de %d caracteres"},
	"url: longer than %d characters":                         {format: "URL: tiene más de %d caracteres"},
	"url: must be an absolute http or https URL":             {format: "URL: debe ser una URL absoluta http o https"},
	"language: must be one of %s":                            {format: "idioma: debe ser uno de %s"},
	"countries: unknown country code %q":                     {format: "países: código de país desconocido %q"},
	"regions: unknown region %q":                             {format: "regiones: región desconocida %q"},
	"topics: unknown topic %q":                               {format: "temas: tema desconocido %q"},
	"translation_of: an item is not a translation of itself": {format: "traducción de: una noticia no es traducción de sí misma"},
	"translation_of: no item %d":                             {format: "traducción de: no existe la noticia %d"},
	"translation_of: the story of item %d already has a version in %q (item %d is another)": {
		format: "traducción de: la historia de la noticia %d ya tiene una versión en %q (la noticia %d es otra)"},
	"this item is already stored (same link, or a near-identical title within a day)": {
		format: "esta noticia ya está guardada (mismo enlace, o un título casi idéntico con menos de un día de diferencia)"},

	// Sources (internal/domain/source.go, internal/desk/sources.go,
	// internal/postgres/sources.go, internal/ingest/fetch.go).
	"url: required": {format: "URL: obligatoria"},
	"url: must not contain a user name or password":      {format: "URL: no debe llevar nombre de usuario ni contraseña"},
	"kind: must be %q or %q":                             {format: "tipo: debe ser %q o %q"},
	"interval: %q is not a duration such as 30m or 1h":   {format: "consultar cada: %q no es una duración como 30m o 1h"},
	"interval: at least %s":                              {format: "consultar cada: al menos %s"},
	"interval: at most %s":                               {format: "consultar cada: como mucho %s"},
	"interval: whole seconds only":                       {format: "consultar cada: solo segundos enteros"},
	"url: a source with this URL is already registered":  {format: "URL: ya hay una fuente registrada con esta URL"},
	"url: only absolute http and https URLs are fetched": {format: "URL: solo se consultan URL absolutas http y https"},
	"url: %s is this machine; set INGEST_ALLOW_PRIVATE_NETWORKS=true to allow": {
		format: "URL: %s es esta misma máquina; pon INGEST_ALLOW_PRIVATE_NETWORKS=true para permitirlo"},
	"url: %s is a %s address; set INGEST_ALLOW_PRIVATE_NETWORKS=true to allow": {
		format: "URL: %s es una dirección %s; pon INGEST_ALLOW_PRIVATE_NETWORKS=true para permitirlo",
		words:  translateArg(1, addressKindsES)},

	// Editions (internal/postgres/editions*.go, internal/desk/editions*.go,
	// editions_preview.go).
	"edition %d is cancelled already": {format: "la edición %d ya está cancelada"},
	"edition %d is %s: only a queued, compiling or sending edition can be cancelled": {
		format: "la edición %d está «%s»: solo se puede cancelar una edición «en cola», «preparando» o «enviando»",
		words:  translateArg(1, editionStatusES)},
	"edition %d was cancelled: its failures are not retried": {format: "la edición %d se canceló: sus fallos no se reintentan"},
	"edition %d is %s: only a sending or done edition has failures to retry": {
		format: "la edición %d está «%s»: solo una edición «enviando» o «terminada» tiene fallos que reintentar",
		words:  translateArg(1, editionStatusES)},
	"edition %d has no temporarily failed deliveries to retry (refused and uncertain ones are never retried)": {
		format: "la edición %d no tiene envíos fallidos temporales que reintentar (los rechazados y los inciertos no se reintentan nunca)"},
	"edition %d not found":                 {format: "no se encuentra la edición %d"},
	"published_to: before published_from":  {format: "publicadas hasta: el día es anterior a «publicadas desde»"},
	"to: %q is not an email address":       {format: "enviar a: %q no es una dirección de correo"},
	"edition: %q is not an edition number": {format: "edición: %q no es un número de edición"},

	// Subscribers (internal/domain/subscriber.go, internal/desk/subscribers.go,
	// internal/postgres/subscribers_admin.go, internal/subscription/csv.go).
	// The status words are the console's own (sub_status_*), which are
	// feminine because they describe "la persona".
	"the subscriber is %s already": {format: "esta persona ya está %s", words: translateArg(0, subscriberStatusES)},
	"a subscriber who is %s cannot be made %s": {
		format: "una persona que está %s no puede quedar %s",
		words:  translateArgs(subscriberStatusES, 0, 1)},
	"subscriber not found":               {format: "no se encuentra el suscriptor"},
	"no such action on a subscriber: %q": {format: "no existe esa acción sobre un suscriptor: %q"},
	"countries, topics: choose all stories, or at least one country or topic": {format: "países, temas: elige todas las noticias, o al menos un país o un tema"},
	"mode: must be %q or %q":                            {format: "coincidencia: debe ser %q o %q"},
	"mode: %q needs at least one country and one topic": {format: "coincidencia: %q necesita al menos un país y un tema"},
	"email: required":                                   {format: "correo: obligatorio"},
	"email: must not begin with =, +, -, @, a tab or a line break": {
		format: "correo: no debe empezar por =, +, -, @, un tabulador ni un salto de línea"},
	"email: longer than %d characters":                      {format: "correo: tiene más de %d caracteres"},
	"email: %q is not a valid address":                      {format: "correo: %q no es una dirección válida"},
	"email: the part before @ is longer than %d characters": {format: "correo: la parte antes de la @ tiene más de %d caracteres"},
	"email: longer than %d characters once its domain is in ASCII form": {
		format: "correo: tiene más de %d caracteres con su dominio en forma ASCII"},
	"the file has errors (listed by line); nothing was imported": {
		format: "el archivo tiene errores (indicados por línea); no se importó nada"},
	// The subscribers list's filters (desk.ParseSubscriberFilter).
	"status: want one of %s":                 {format: "estado: debe ser uno de %s"},
	"language: want one of %s":               {format: "idioma: debe ser uno de %s"},
	"address: longer than an address can be": {format: "dirección: más larga de lo que puede ser una dirección"},
	"country: unknown country code %q":       {format: "país: código de país desconocido %q"},
	"topic: unknown topic %q":                {format: "tema: tema desconocido %q"},

	// Imports (internal/ingest, internal/postgres/console.go).
	"the listing has %d unreadable line(s); nothing was imported": {
		format: "el listado tiene %d línea(s) ilegible(s); no se importó nada"},
	"the listing holds no items; nothing was imported": {format: "el listado no tiene noticias; no se importó nada"},
	"%d invalid item(s); nothing was imported":         {format: "%d noticia(s) no válida(s); no se importó nada"},
	"the feed has %d unusable entry(ies); nothing was imported": {
		format: "el feed tiene %d entrada(s) inservible(s); no se importó nada"},
	`feed: a JSON document but not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")`: {
		format: `feed: un documento JSON pero no un JSON Feed (no tiene "version": "https://jsonfeed.org/version/1.1")`},
	"this import was already confirmed or has expired: upload it again": {
		format: "esta importación ya se confirmó o ha caducado: súbela de nuevo"},

	// Editors (internal/postgres/console.go, internal/desk/editors.go).
	"email: %s is an editor already": {format: "correo: %s ya es editor"},
	"%s: at least %d characters, please (this one has %d)": {
		format: "%s: al menos %d caracteres, por favor (esta tiene %d)",
		words:  translateArg(0, passwordFieldES)},
	"%s: at most %d bytes": {format: "%s: como mucho %d bytes", words: translateArg(0, passwordFieldES)},
	"editor not found":     {format: "no se encuentra el editor"},

	// Tag suggestions (internal/postgres/tag_suggestions.go).
	"the story's tags changed after the suggestion was made; it is withdrawn": {
		format: "las etiquetas de la noticia cambiaron después de la sugerencia; se retira"},

	// Lookups (internal/postgres/postgres.go notFound, errs.ErrNotFound).
	"%s not found": {format: "no se encuentra %s", words: translateArg(0, notFoundWhatES)},
	"not found":    {format: "no se encuentra"},
}

// errorText is err's message in lang: the Spanish one when lang is "es"
// and the message is in spanishErrors, else the English one (which also
// keeps internal errors generic).
func errorText(lang string, err error) string {
	if lang != "es" || errs.KindOf(err) == errs.Internal {
		return errs.MessageOf(err)
	}
	format, args, ok := errs.TemplateOf(err)
	if !ok {
		return errs.MessageOf(err)
	}
	es, ok := spanishErrors[format]
	if !ok {
		return errs.MessageOf(err)
	}
	if es.words != nil {
		if args, ok = es.words(args); !ok {
			return errs.MessageOf(err)
		}
	}
	return fmt.Sprintf(es.format, args...)
}

// translateArg translates the string argument at position i with word.
func translateArg(i int, word func(string) (string, bool)) func([]any) ([]any, bool) {
	return translateArgs(word, i)
}

// translateArgs translates the string arguments at the positions given
// with word, leaving the caller's slice as it was.
func translateArgs(word func(string) (string, bool), positions ...int) func([]any) ([]any, bool) {
	return func(args []any) ([]any, bool) {
		out := append([]any(nil), args...)
		for _, i := range positions {
			if i >= len(out) {
				return nil, false
			}
			s, isString := out[i].(string)
			if !isString {
				return nil, false
			}
			if out[i], isString = word(s); !isString {
				return nil, false
			}
		}
		return out, true
	}
}

// subscriberStatusES is the word the subscribers pages use for a status.
func subscriberStatusES(status string) (string, bool) {
	return consoleWordES("sub_status_" + status)
}

// editionStatusES is the word the editions pages use for a status.
func editionStatusES(status string) (string, bool) {
	return consoleWordES("editions_status_" + status)
}

// consoleWordES is a Spanish word the console's own catalogue has; looked
// up when needed because the sections register their words in init.
func consoleWordES(key string) (string, bool) {
	w, ok := catalogue["es"][key]
	return w, ok
}

// passwordFieldES names the password fields as the editors pages do.
func passwordFieldES(field string) (string, bool) {
	w, ok := map[string]string{"password": "contraseña", "new_password": "contraseña nueva"}[field]
	return w, ok
}

// notFoundWhatES names what was not found, with its article; "subscriber
// someone@example.org" is the sample address the preview looked up.
func notFoundWhatES(what string) (string, bool) {
	if addr, ok := strings.CutPrefix(what, "subscriber "); ok {
		return "el suscriptor " + addr, true
	}
	w, ok := map[string]string{
		"editor":            "el editor",
		"session":           "la sesión",
		"digest":            "el boletín",
		"edition":           "la edición",
		"item":              "la noticia",
		"source":            "la fuente",
		"subscriber":        "el suscriptor",
		"confirmation link": "el enlace de confirmación",
		"tag suggestion":    "la sugerencia de etiquetas",
	}[what]
	return w, ok
}

// addressKindsES says, after "una dirección", what kind of non-public
// address a source's host is (ingest.ForbiddenReason).
func addressKindsES(reason string) (string, bool) {
	w, ok := map[string]string{
		"invalid":                              "no válida",
		"unspecified":                          "sin especificar",
		"loopback":                             "de bucle local (loopback)",
		"private":                              "privada",
		"link-local":                           "de enlace local",
		"multicast":                            "de multidifusión",
		"carrier-grade NAT (shared)":           "de NAT de operador (compartida)",
		`"this network"`:                       "de «esta red»",
		"IETF protocol assignment":             "reservada para protocolos del IETF",
		"benchmarking":                         "de pruebas de rendimiento",
		"reserved":                             "reservada",
		"site-local":                           "de sitio local (site-local)",
		"NAT64 (embeds an IPv4 address)":       "de NAT64 (contiene una dirección IPv4)",
		"local NAT64 (embeds an IPv4 address)": "de NAT64 local (contiene una dirección IPv4)",
		"6to4 (embeds an IPv4 address)":        "de 6to4 (contiene una dirección IPv4)",
		"Teredo (embeds an IPv4 address)":      "de Teredo (contiene una dirección IPv4)",
	}[reason]
	return w, ok
}
