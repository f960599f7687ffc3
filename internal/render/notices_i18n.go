package render

// noticeUI holds the words of the welcome and known mails in one
// language; the comment on a format says what fills it.
type noticeUI struct {
	WelcomeSubject string // list name
	WelcomePreview string
	WelcomeHeading string // list name
	WelcomeBody    string
	WelcomeChange  string
	Countries      string
	Topics         string
	Stories        string
	Language       string
	When           string
	None           string
	ModeAny        string
	ModeNarrow     string
	AllStories     string
	LanguageNames  map[string]string

	KnownSubject string // list name
	KnownPreview string
	KnownHeading string
	KnownBody    string // list name
	KnownChange  string
	KnownIgnore  string

	ExportSubject string // list name
	ExportPreview string
	ExportHeading string
	ExportBody    string // list name
	ExportChange  string // minutes the link works
	ExportButton  string
	ExportIgnore  string

	PreferencesButton string
	UnsubscribeLine   string
}

// noticeWords are keyed by the language codes of the ui catalogue.
var noticeWords = map[string]noticeUI{
	"en": {
		WelcomeSubject: "Welcome to %s",
		WelcomePreview: "Your subscription is confirmed: what you will get, and when.",
		WelcomeHeading: "Welcome to %s",
		WelcomeBody:    "Your subscription is confirmed. This is what you will get:",
		WelcomeChange:  "You can change your choices, pause the digest for a few weeks or leave at any time from your preferences page:",
		Countries:      "Countries",
		Topics:         "Topics",
		Stories:        "Which stories",
		Language:       "Language",
		When:           "When",
		None:           "none",
		ModeAny:        "Any story about one of your countries or one of your topics",
		ModeNarrow:     "Only stories about one of your countries and one of your topics",
		AllStories:     "All stories: every country and topic",
		LanguageNames:  map[string]string{"en": "English", "es": "Spanish"},

		KnownSubject: "You are already subscribed to %s",
		KnownPreview: "Nothing has changed: here is the link to your preferences.",
		KnownHeading: "You are already subscribed",
		KnownBody:    "Someone, probably you, asked to subscribe this address to %s. It is subscribed already, so nothing has changed.",
		KnownChange:  "To change what you receive, or to pause it, open your preferences:",
		KnownIgnore:  "If you did not ask, you need do nothing: your subscription stays as it is.",

		ExportSubject: "Your data from %s",
		ExportPreview: "The link to download what we hold about you.",
		ExportHeading: "Your copy of your data",
		ExportBody:    "Someone, probably you, asked on your preferences page for a copy of everything %s holds about you: your address, your choices, the record of your sign-up and the digests sent to you.",
		ExportChange:  "This link downloads it as a JSON file. It works once, within %d minutes; ask again on your preferences page if it has run out.",
		ExportButton:  "Download your data",
		ExportIgnore:  "If you did not ask, you need do nothing: the link works only for whoever opens this mail, once.",

		PreferencesButton: "Open your preferences",
		UnsubscribeLine:   "To stop receiving the digest, unsubscribe:",
	},
	"es": {
		WelcomeSubject: "Te damos la bienvenida a %s",
		WelcomePreview: "Tu suscripción está confirmada: qué recibirás y cuándo.",
		WelcomeHeading: "Te damos la bienvenida a %s",
		WelcomeBody:    "Tu suscripción está confirmada. Esto es lo que recibirás:",
		WelcomeChange:  "Puedes cambiar tus opciones, pausar el boletín unas semanas o darte de baja cuando quieras desde tu página de preferencias:",
		Countries:      "Países",
		Topics:         "Temas",
		Stories:        "Qué noticias",
		Language:       "Idioma",
		When:           "Cuándo",
		None:           "ninguno",
		ModeAny:        "Cualquier noticia sobre uno de tus países o uno de tus temas",
		ModeNarrow:     "Solo noticias sobre uno de tus países y uno de tus temas",
		AllStories:     "Todas las noticias: todos los países y temas",
		LanguageNames:  map[string]string{"en": "inglés", "es": "español"},

		KnownSubject: "Ya estás suscrito a %s",
		KnownPreview: "No ha cambiado nada: este es el enlace a tus preferencias.",
		KnownHeading: "Ya estás suscrito",
		KnownBody:    "Alguien, probablemente tú, pidió suscribir esta dirección a %s. Ya está suscrita, así que no ha cambiado nada.",
		KnownChange:  "Para cambiar lo que recibes, o pausarlo, abre tus preferencias:",
		KnownIgnore:  "Si no lo pediste, no tienes que hacer nada: tu suscripción sigue igual.",

		ExportSubject: "Tus datos en %s",
		ExportPreview: "El enlace para descargar lo que guardamos sobre ti.",
		ExportHeading: "Tu copia de tus datos",
		ExportBody:    "Alguien, probablemente tú, pidió en tu página de preferencias una copia de todo lo que %s guarda sobre ti: tu dirección, tus opciones, el registro de tu suscripción y los boletines que te enviamos.",
		ExportChange:  "Este enlace la descarga como un archivo JSON. Funciona una sola vez y durante %d minutos; si caduca, pídelo de nuevo en tu página de preferencias.",
		ExportButton:  "Descargar tus datos",
		ExportIgnore:  "Si no lo pediste, no tienes que hacer nada: el enlace solo sirve a quien abra este correo, una vez.",

		PreferencesButton: "Abrir tus preferencias",
		UnsubscribeLine:   "Para dejar de recibir el boletín, cancela la suscripción:",
	},
}
