package render

import "newsdigest/internal/i18n"

// noticeUI holds the words of the welcome, known and export mails in one
// language, from the [mail] section of the catalogue; the comment on a
// format says what fills it.
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
	WhenThinSends  string // the schedule in words, the stories below which a digest would wait
	None           string
	ModeAny        string
	ModeNarrow     string
	AllStories     string

	KnownSubject string // list name
	KnownPreview string
	KnownHeading string
	KnownBody    string // list name
	KnownChange  string
	KnownPaused  string // the day the pause ends
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

// noticeWords returns the notices' words in lang, a language of the ui
// catalogue.
func noticeWords(lang string) noticeUI {
	t := func(key string) string { return i18n.Text(lang, "mail."+key) }
	return noticeUI{
		WelcomeSubject: t("welcome_subject"),
		WelcomePreview: t("welcome_preview"),
		WelcomeHeading: t("welcome_heading"),
		WelcomeBody:    t("welcome_body"),
		WelcomeChange:  t("welcome_change"),
		Countries:      t("countries"),
		Topics:         t("topics"),
		Stories:        t("stories"),
		Language:       t("language"),
		When:           t("when"),
		WhenThinSends:  t("when_thin_sends"),
		None:           t("none"),
		ModeAny:        t("mode_any"),
		ModeNarrow:     t("mode_narrow"),
		AllStories:     t("all_stories"),

		KnownSubject: t("known_subject"),
		KnownPreview: t("known_preview"),
		KnownHeading: t("known_heading"),
		KnownBody:    t("known_body"),
		KnownChange:  t("known_change"),
		KnownPaused:  t("known_paused"),
		KnownIgnore:  t("known_ignore"),

		ExportSubject: t("export_subject"),
		ExportPreview: t("export_preview"),
		ExportHeading: t("export_heading"),
		ExportBody:    t("export_body"),
		ExportChange:  t("export_change"),
		ExportButton:  t("export_button"),
		ExportIgnore:  t("export_ignore"),

		PreferencesButton: t("preferences_button"),
		UnsubscribeLine:   t("unsubscribe_line"),
	}
}
