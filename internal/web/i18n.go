package web

import (
	"net/http"
	"strings"

	"newsdigest/internal/domain"
)

// messages are the public pages' words in each language.
var messages = map[string]map[string]string{
	"en": {
		"title":              "News Digest",
		"skip_to_content":    "Skip to content",
		"subscribe_title":    "Subscribe to the weekly digest",
		"subscribe_intro":    "Choose the countries and topics you follow. Every week you get one email with the new stories that match, and nothing else.",
		"email":              "Email address",
		"countries":          "Countries",
		"other_countries":    "Other countries",
		"other_hint":         "To choose several on a computer, hold Ctrl (or Cmd) while clicking.",
		"topics":             "Topics",
		"language":           "Language of the digest",
		"mode":               "Which stories",
		"mode_any":           "Any story about one of my countries or one of my topics",
		"mode_narrow":        "Only stories about one of my countries and one of my topics",
		"subscribe_button":   "Subscribe",
		"check_inbox_title":  "Check your inbox",
		"check_inbox":        "If the address can be subscribed, we have sent it a link to confirm. The subscription starts when you click it.",
		"confirm_title":      "Confirm your subscription",
		"confirm_intro":      "One click and your weekly digest is on.",
		"confirm_button":     "Confirm subscription",
		"confirmed_title":    "You are subscribed",
		"confirmed":          "Your first digest arrives with the next edition. Every email has a link to change your choices or leave.",
		"link_invalid_title": "This link no longer works",
		"link_invalid":       "It may have been used already or have expired. You can subscribe again from the front page.",
		"prefs_title":        "Your preferences",
		"prefs_button":       "Save preferences",
		"prefs_saved":        "Your preferences are saved.",
		"unsub_title":        "Unsubscribe",
		"unsub_intro":        "Stop the weekly digest to %s?",
		"unsub_button":       "Unsubscribe",
		"unsubscribed_title": "You are unsubscribed",
		"unsubscribed":       "You will get no more digests. Changed your mind? Subscribe again from the front page.",
		"error_title":        "Something is wrong",
		"not_found":          "There is no such page.",
		"csrf_failed":        "The form expired or came from elsewhere. Go back, reload the page and try again.",
		"internal":           "Something went wrong on our side. Please try again in a moment.",
		"front_page":         "Front page",
		"rate_limited_title": "Too many requests",
		"rate_limited":       "There have been too many sign-up requests from here or for this address. Please try again in %s.",
		"wait_minute":        "a minute",
		"wait_minutes":       "%d minutes",
		"wait_hours":         "%d hours",
		"confirm_choices":    "You are confirming:",
		"confirm_check":      "Not what you chose? Do not confirm: subscribe again from the front page with the right choices.",
		"confirm_changed":    "These choices changed after the page was shown (someone signed this address up again). Nothing is confirmed yet: check them, and confirm only if they are yours.",
		"body_too_large":     "The form sent is too large.",
		"body_not_form":      "The form must be sent as a plain web form, without files.",
		"choice_none":        "none",
		"lang_en":            "English",
		"lang_es":            "Spanish",
		// privacy
		"privacy_heading":       "Your data",
		"privacy_export_link":   "Download everything we hold about you (JSON)",
		"privacy_delete_link":   "Delete me",
		"privacy_delete_title":  "Delete your data",
		"privacy_delete_intro":  "Delete everything we hold about %s?",
		"privacy_delete_stop":   "No more digests will be sent to this address.",
		"privacy_delete_erase":  "Your address, your choices and the network details of your sign-up are erased, and your links stop working.",
		"privacy_delete_keep":   "We keep only a keyed hash of the address, which does not reveal it, so that no list imported later can sign you up again.",
		"privacy_delete_final":  "This cannot be undone. Want a copy first? Download your data from your preferences page.",
		"privacy_delete_button": "Delete my data",
		"privacy_delete_back":   "Back to my preferences",
		"privacy_deleted_title": "Your data is deleted",
		"privacy_deleted":       "Your address and choices are erased, and you will get no more digests.",
		// archive
		"archive_title":             "Archive of past editions",
		"archive_intro":             "Every story sent in past editions, newest first. Choose a country or a topic to see only its stories.",
		"archive_country":           "Country",
		"archive_topic":             "Topic",
		"archive_all_countries":     "All countries",
		"archive_all_topics":        "All topics",
		"archive_show":              "Show stories",
		"archive_feeds":             "Follow in a feed reader:",
		"archive_feed_of":           "RSS feed: %s",
		"archive_topic_feeds":       "Feeds for a feed reader",
		"archive_country_feed_hint": "Each topic has a feed, below. For a country's feed, choose the country above.",
		"archive_empty":             "No edition has been sent yet.",
		"archive_none_match":        "No story in past editions matches this choice.",
		"archive_pages":             "More stories",
		"archive_older":             "Older stories",
		"archive_newest":            "Newest stories",
		"archive_bad_page":          "This page of the archive does not exist. Start again from the newest stories.",
		"archive_unknown_filter":    "There is no such country or topic. Choose one from the lists on the archive page.",
		"archive_form_line":         "Prefer a feed reader? Country and topic feeds are on the",
		"archive_form_link":         "archive page",
		"not_found_title":           "Page not found",
		"feed_description":          "Stories about %s from past editions of %s.",
		// stuck
		"stuck_already_confirmed":   "You confirmed this subscription already: your digests are on their way. You can change your choices or leave at any time.",
		"stuck_preferences_link":    "Change your choices",
		"stuck_status_unsubscribed": "You are unsubscribed; you get no digests.",
		"stuck_status_stopped":      "Digests to this address are stopped because mail to it could not be delivered or was refused. To get them again, write to the desk that runs this digest.",
		"stuck_resubscribe_hint":    "Subscribe again with the choices you had: we send this address a link to confirm, and the digests start when you click it.",
		"stuck_resubscribe_button":  "Subscribe again",
		"stuck_resubscribe_sent":    "We have sent a link to confirm to this address. Your subscription starts again when you click it.",
	},
	"es": {
		"title":              "Boletín de noticias",
		"skip_to_content":    "Saltar al contenido",
		"subscribe_title":    "Suscríbete al boletín semanal",
		"subscribe_intro":    "Elige los países y temas que sigues. Cada semana recibirás un correo con las noticias nuevas que coinciden, y nada más.",
		"email":              "Correo electrónico",
		"countries":          "Países",
		"other_countries":    "Otros países",
		"other_hint":         "Para elegir varios en un ordenador, mantén pulsada Ctrl (o Cmd) al hacer clic.",
		"topics":             "Temas",
		"language":           "Idioma del boletín",
		"mode":               "Qué noticias",
		"mode_any":           "Cualquier noticia sobre uno de mis países o uno de mis temas",
		"mode_narrow":        "Solo noticias sobre uno de mis países y uno de mis temas",
		"subscribe_button":   "Suscribirme",
		"check_inbox_title":  "Revisa tu correo",
		"check_inbox":        "Si la dirección puede suscribirse, le hemos enviado un enlace para confirmar. La suscripción empieza cuando hagas clic en él.",
		"confirm_title":      "Confirma tu suscripción",
		"confirm_intro":      "Un clic y tu boletín semanal queda activado.",
		"confirm_button":     "Confirmar suscripción",
		"confirmed_title":    "Ya estás suscrito",
		"confirmed":          "Tu primer boletín llegará con la próxima edición. Cada correo trae un enlace para cambiar tus opciones o darte de baja.",
		"link_invalid_title": "Este enlace ya no funciona",
		"link_invalid":       "Puede que ya se haya usado o que haya caducado. Puedes suscribirte de nuevo desde la portada.",
		"prefs_title":        "Tus preferencias",
		"prefs_button":       "Guardar preferencias",
		"prefs_saved":        "Tus preferencias se han guardado.",
		"unsub_title":        "Cancelar suscripción",
		"unsub_intro":        "¿Dejar de enviar el boletín semanal a %s?",
		"unsub_button":       "Cancelar suscripción",
		"unsubscribed_title": "Has cancelado la suscripción",
		"unsubscribed":       "No recibirás más boletines. ¿Cambiaste de opinión? Suscríbete de nuevo desde la portada.",
		"error_title":        "Algo no va bien",
		"not_found":          "Esta página no existe.",
		"csrf_failed":        "El formulario caducó o vino de otro sitio. Vuelve atrás, recarga la página e inténtalo de nuevo.",
		"internal":           "Algo falló de nuestro lado. Inténtalo de nuevo en un momento.",
		"front_page":         "Portada",
		"rate_limited_title": "Demasiadas solicitudes",
		"rate_limited":       "Ha habido demasiadas solicitudes de suscripción desde aquí o para esta dirección. Inténtalo de nuevo dentro de %s.",
		"wait_minute":        "un minuto",
		"wait_minutes":       "%d minutos",
		"wait_hours":         "%d horas",
		"confirm_choices":    "Vas a confirmar:",
		"confirm_check":      "¿No es lo que elegiste? No confirmes: suscríbete de nuevo desde la portada con las opciones correctas.",
		"confirm_changed":    "Estas opciones cambiaron después de mostrarse la página (alguien volvió a suscribir esta dirección). Aún no se ha confirmado nada: revísalas y confirma solo si son tuyas.",
		"body_too_large":     "El formulario enviado es demasiado grande.",
		"body_not_form":      "El formulario debe enviarse como un formulario web simple, sin archivos.",
		"choice_none":        "ninguno",
		"lang_en":            "inglés",
		"lang_es":            "español",
		// privacy
		"privacy_heading":       "Tus datos",
		"privacy_export_link":   "Descarga todo lo que guardamos sobre ti (JSON)",
		"privacy_delete_link":   "Borrarme",
		"privacy_delete_title":  "Borrar tus datos",
		"privacy_delete_intro":  "¿Borrar todo lo que guardamos sobre %s?",
		"privacy_delete_stop":   "No se enviarán más boletines a esta dirección.",
		"privacy_delete_erase":  "Se borran tu dirección, tus opciones y los datos de red de tu suscripción, y tus enlaces dejan de funcionar.",
		"privacy_delete_keep":   "Solo guardamos un hash con clave de la dirección, que no la revela, para que ninguna lista importada después pueda volver a suscribirte.",
		"privacy_delete_final":  "No se puede deshacer. ¿Quieres una copia antes? Descarga tus datos desde tu página de preferencias.",
		"privacy_delete_button": "Borrar mis datos",
		"privacy_delete_back":   "Volver a mis preferencias",
		"privacy_deleted_title": "Tus datos se han borrado",
		"privacy_deleted":       "Tu dirección y tus opciones se han borrado, y no recibirás más boletines.",
		// archive
		"archive_title":             "Archivo de ediciones anteriores",
		"archive_intro":             "Todas las noticias enviadas en ediciones anteriores, de la más reciente a la más antigua. Elige un país o un tema para ver solo sus noticias.",
		"archive_country":           "País",
		"archive_topic":             "Tema",
		"archive_all_countries":     "Todos los países",
		"archive_all_topics":        "Todos los temas",
		"archive_show":              "Ver noticias",
		"archive_feeds":             "Síguelo en un lector de feeds:",
		"archive_feed_of":           "Feed RSS: %s",
		"archive_topic_feeds":       "Feeds para un lector de feeds",
		"archive_country_feed_hint": "Cada tema tiene su feed, aquí abajo. Para el feed de un país, elige el país arriba.",
		"archive_empty":             "Todavía no se ha enviado ninguna edición.",
		"archive_none_match":        "Ninguna noticia de ediciones anteriores coincide con esta elección.",
		"archive_pages":             "Más noticias",
		"archive_older":             "Noticias anteriores",
		"archive_newest":            "Noticias más recientes",
		"archive_bad_page":          "Esta página del archivo no existe. Empieza de nuevo por las noticias más recientes.",
		"archive_unknown_filter":    "Ese país o tema no existe. Elige uno de las listas de la página del archivo.",
		"archive_form_line":         "¿Prefieres un lector de feeds? Los feeds por país y por tema están en la",
		"archive_form_link":         "página del archivo",
		"not_found_title":           "Página no encontrada",
		"feed_description":          "Noticias sobre %s de ediciones anteriores de %s.",
		// stuck
		"stuck_already_confirmed":   "Ya confirmaste esta suscripción: tus boletines están en camino. Puedes cambiar tus opciones o darte de baja cuando quieras.",
		"stuck_preferences_link":    "Cambiar tus opciones",
		"stuck_status_unsubscribed": "Te diste de baja; no recibes boletines.",
		"stuck_status_stopped":      "Los boletines a esta dirección están detenidos porque el correo no se pudo entregar o fue rechazado. Para volver a recibirlos, escribe al equipo que publica este boletín.",
		"stuck_resubscribe_hint":    "Suscríbete de nuevo con las opciones que tenías: enviamos a esta dirección un enlace para confirmar, y los boletines empiezan cuando hagas clic en él.",
		"stuck_resubscribe_button":  "Suscribirme de nuevo",
		"stuck_resubscribe_sent":    "Hemos enviado un enlace para confirmar a esta dirección. Tu suscripción vuelve a empezar cuando hagas clic en él.",
	},
}

// msg returns a page string in lang.
func msg(lang, key string) string {
	if m, ok := messages[lang][key]; ok {
		return m
	}
	return messages["en"][key]
}

// pageLang picks the page language: ?lang=, else the subscriber's
// language (fallback), else the browser's preference.
func pageLang(r *http.Request, fallback string) string {
	if l := r.URL.Query().Get("lang"); domain.IsLanguage(l) {
		return l
	}
	if domain.IsLanguage(fallback) {
		return fallback
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		base, _, _ := strings.Cut(tag, "-")
		if domain.IsLanguage(base) {
			return base
		}
	}
	return "en"
}
