package render

import (
	"newsdigest/internal/domain"
	"newsdigest/internal/i18n"
)

// ui holds the words of the emails in one language, from the [mail]
// section of the catalogue (internal/i18n/locales). Sentences that take a
// value are fmt formats; the comment on each field says what fills it.
// Counted sentences are not here: count picks their form.
type ui struct {
	Lang string

	DigestSubject string // the count phrase (subject_stories…), the sections named
	StoriesNone   string
	ViewAll       string // total: the link to every story
	ViewWeb       string // the link to the digest on the web
	Fewer         string // a story's link to drop its section's choice
	StoryIn       string // language name: after the date of a story in another language than the digest's
	DigestWhy     string // list name
	WebSubscribe  string // list name: the web copy's link to subscribe
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
	ListAnd     string // between the last two sections named
	// Colon ends a label before its link in the plain-text mails: ":",
	// and in French a non-breaking space before it.
	Colon string
	// Role is what a screen reader calls the email, in place of
	// "article": "email", "correo", "courriel".
	Role string
}

// count is the form of the counted mail sentence key for n: "1 new
// story", "2 new stories".
func (s ui) count(key string, n int) string {
	return i18n.Plural(s.Lang, "mail."+key, n)
}

// countOf is count for a sentence with more figures than n, the one its
// form follows: "1 nouvel article sur 3".
func (s ui) countOf(key string, n int, args ...any) string {
	return i18n.Plural(s.Lang, "mail."+key, n, append([]any{n}, args...)...)
}

// catalog returns the UI strings of every language of the catalogue,
// keyed by the language codes of domain.Languages. Each Renderer keeps its
// own copy.
func catalog() map[string]ui {
	out := map[string]ui{}
	for _, lang := range domain.Languages {
		t := func(key string) string { return i18n.Text(lang, "mail."+key) }
		out[lang] = ui{
			Lang:          lang,
			DigestSubject: t("digest_subject"),
			StoriesNone:   t("stories_none"),
			ViewAll:       t("view_all"),
			ViewWeb:       t("view_web"),
			Fewer:         t("fewer"),
			StoryIn:       t("story_in"),
			DigestWhy:     t("digest_why"),
			WebSubscribe:  t("web_subscribe"),
			Preferences:   t("preferences"),
			Unsubscribe:   t("unsubscribe"),

			ConfirmSubject:  t("confirm_subject"),
			ConfirmHeading:  t("confirm_heading"),
			ConfirmBody:     t("confirm_body"),
			ConfirmButton:   t("confirm_button"),
			ConfirmFallback: t("confirm_fallback"),
			ConfirmIgnore:   t("confirm_ignore"),
			ConfirmPreview:  t("confirm_preview"),
			ConfirmWhy:      t("confirm_why"),

			SubjectNone: t("subject_none"),
			ListAnd:     t("list_and"),
			Colon:       t("colon"),
			Role:        t("role"),
		}
	}
	return out
}
