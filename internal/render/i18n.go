package render

// ui holds the words of the emails in one language. Sentences that take a
// value are fmt formats; the comment on each field says what fills it.
type ui struct {
	DigestSubject string // the count phrase (SubjectMany…), the sections named
	StoriesNone   string
	StoriesOne    string
	StoriesMany   string // count
	StoriesSome   string // shown, total: the email holds some of the stories
	ViewAll       string // total: the link to every story
	ViewWeb       string // the link to the digest on the web
	DigestWhy     string // list name
	Preferences   string
	Unsubscribe   string

	ConfirmSubject  string // list name
	ConfirmHeading  string
	ConfirmBody     string // list name
	ConfirmButton   string
	ConfirmFallback string
	ConfirmIgnore   string
	ConfirmPreview  string // list name
	ConfirmWhy      string // list name

	// The subject says what is inside: how many stories, and the sections
	// (or as many as fit, then how many more), by DigestSubject.
	SubjectNone string
	SubjectOne  string
	SubjectMany string // count
	ListAnd     string // between the last two sections named
	ListMore    string // count of sections not named
}

// catalog returns the UI strings of every supported language, keyed by the
// language codes of domain.Languages. Each Renderer keeps its own copy.
func catalog() map[string]ui {
	return map[string]ui{
		"en": {
			DigestSubject: "%s: %s",
			StoriesNone:   "No new stories this week.",
			StoriesOne:    "1 new story this week.",
			StoriesMany:   "%d new stories this week.",
			StoriesSome:   "%d of %d new stories this week.",
			ViewAll:       "Read all %d stories on the web",
			ViewWeb:       "Read it on the web",
			DigestWhy:     "You are receiving this email because you subscribed to %s.",
			Preferences:   "Preferences",
			Unsubscribe:   "Unsubscribe",

			ConfirmSubject:  "Confirm your subscription to %s",
			ConfirmHeading:  "Confirm your subscription",
			ConfirmBody:     "Please confirm that you want to receive %s at this address. Nothing will be sent until you do.",
			ConfirmButton:   "Confirm subscription",
			ConfirmFallback: "If the button does not work, copy this link into your browser:",
			ConfirmIgnore:   "If you did not ask for this, ignore this email: you will not be subscribed.",
			ConfirmPreview:  "One click to start receiving %s.",
			ConfirmWhy:      "You are receiving this email because this address was entered in the subscription form of %s.",

			SubjectNone: "No new stories this week",
			SubjectOne:  "1 story this week",
			SubjectMany: "%d stories this week",
			ListAnd:     " and ",
			ListMore:    "%d more",
		},
		"es": {
			DigestSubject: "%s: %s",
			StoriesNone:   "No hay noticias nuevas esta semana.",
			StoriesOne:    "1 noticia nueva esta semana.",
			StoriesMany:   "%d noticias nuevas esta semana.",
			StoriesSome:   "%d de %d noticias nuevas esta semana.",
			ViewAll:       "Lee las %d noticias en la web",
			ViewWeb:       "Léelo en la web",
			DigestWhy:     "Recibes este correo porque te suscribiste a %s.",
			Preferences:   "Preferencias",
			Unsubscribe:   "Cancelar suscripción",

			ConfirmSubject:  "Confirma tu suscripción a %s",
			ConfirmHeading:  "Confirma tu suscripción",
			ConfirmBody:     "Confirma que quieres recibir %s en esta dirección. No te enviaremos nada hasta que lo hagas.",
			ConfirmButton:   "Confirmar suscripción",
			ConfirmFallback: "Si el botón no funciona, copia este enlace en tu navegador:",
			ConfirmIgnore:   "Si no lo pediste, ignora este correo: no se activará ninguna suscripción.",
			ConfirmPreview:  "Un clic para empezar a recibir %s.",
			ConfirmWhy:      "Recibes este correo porque esta dirección se introdujo en el formulario de suscripción de %s.",

			SubjectNone: "No hay noticias nuevas esta semana",
			SubjectOne:  "1 noticia esta semana",
			SubjectMany: "%d noticias esta semana",
			ListAnd:     " y ",
			ListMore:    "%d más",
		},
	}
}
