package render

import (
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
	"time"

	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
)

// Welcome is the mail after a confirmation: what the subscriber will get,
// when, and how to change it. The caller names the choices in Language.
type Welcome struct {
	Language       string
	ListName       string
	All            bool     // every story, whatever its countries and topics
	Countries      []string // names of the chosen countries
	Topics         []string // names of the chosen topics
	Narrow         bool     // only stories about a chosen country and a chosen topic
	DigestLanguage string   // "en", "es", "fr"…: the language the digests come in
	Schedule       string   // when digests go out, in words (package schedule)
	// OwnSchedule says the reader chose their schedule, whose digest of
	// fewer than ThinBelow stories waits for more, up to WaitDays, unless
	// they chose SendThin: the welcome says which, as the confirmation
	// page did, so that a day with no digest is no surprise. The desk's
	// schedule sends as it is, and so does every schedule when ThinBelow
	// is 0 (domain.ScheduleSettings.ThinBelow).
	OwnSchedule         bool
	SendThin            bool
	ThinBelow, WaitDays int
	PreferencesURL      string
	UnsubscribeURL      string
	PostalAddress       string
}

// Known is the mail to an active subscriber whose address was signed up
// again: it is subscribed already, and here is the way to its choices.
type Known struct {
	Language string
	ListName string
	// PausedUntil is the day their pause ends, in words in Language
	// (package schedule), while they have paused their digests.
	PausedUntil    string
	PreferencesURL string
	UnsubscribeURL string
	PostalAddress  string
}

// noticeTemplates are the welcome and known mails' templates, each with
// the shared layout.
type noticeTemplates struct {
	welcomeHTML *htmltemplate.Template
	welcomeText *texttemplate.Template
	knownHTML   *htmltemplate.Template
	knownText   *texttemplate.Template
	exportHTML  *htmltemplate.Template // export.go
	exportText  *texttemplate.Template
}

func parseNotices(fsys fs.FS) (*noticeTemplates, error) {
	var n noticeTemplates
	var err error
	if n.welcomeHTML, err = parseNoticeHTML(fsys, "welcome"); err != nil {
		return nil, err
	}
	if n.welcomeText, err = parseNoticeText(fsys, "welcome"); err != nil {
		return nil, err
	}
	if n.knownHTML, err = parseNoticeHTML(fsys, "known"); err != nil {
		return nil, err
	}
	if n.knownText, err = parseNoticeText(fsys, "known"); err != nil {
		return nil, err
	}
	if n.exportHTML, err = parseNoticeHTML(fsys, "export"); err != nil {
		return nil, err
	}
	if n.exportText, err = parseNoticeText(fsys, "export"); err != nil {
		return nil, err
	}
	return &n, nil
}

// parseNoticeHTML is parseHTML with the blocks the notices share
// (notice.html.tmpl).
func parseNoticeHTML(fsys fs.FS, name string) (*htmltemplate.Template, error) {
	t, err := htmltemplate.New(name).Funcs(htmlFuncs()).
		ParseFS(fsys, "email/layout.html.tmpl", "email/notice.html.tmpl", "email/"+name+".html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("render: parse %s html templates: %w", name, err)
	}
	return t, nil
}

func parseNoticeText(fsys fs.FS, name string) (*texttemplate.Template, error) {
	t, err := texttemplate.New(name).Funcs(textFuncs()).
		ParseFS(fsys, "email/layout.txt.tmpl", "email/notice.txt.tmpl", "email/"+name+".txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("render: parse %s text templates: %w", name, err)
	}
	return t, nil
}

// checkNotices renders sample notices in every language, so a broken
// template stops the program at start.
func (r *Renderer) checkNotices() error {
	for lang := range r.ui {
		if _, err := r.Welcome(Welcome{Language: lang, Countries: []string{"Costa Rica"}, Schedule: "Every Monday",
			PreferencesURL: "https://example.org/p", UnsubscribeURL: "https://example.org/u"}); err != nil {
			return fmt.Errorf("render: check welcome templates: %w", err)
		}
		if _, err := r.Known(Known{Language: lang, PreferencesURL: "https://example.org/p",
			UnsubscribeURL: "https://example.org/u"}); err != nil {
			return fmt.Errorf("render: check known templates: %w", err)
		}
		if _, err := r.Export(Export{Language: lang, DownloadURL: "https://example.org/x", ValidFor: time.Hour,
			PreferencesURL: "https://example.org/p", UnsubscribeURL: "https://example.org/u"}); err != nil {
			return fmt.Errorf("render: check export templates: %w", err)
		}
	}
	return nil
}

// LeadsToButton reports whether the sentence before the button ends by
// pointing at it ("…open your preferences:"): the text part then gives
// the address at once, not the button's words again.
func (v noticeView) LeadsToButton() bool {
	return strings.HasSuffix(strings.TrimSpace(v.Change), ":")
}

// noticeView is what the welcome and known templates see.
type noticeView struct {
	page
	Heading     string
	Body        string
	Rows        []noticeRow // the welcome's summary of the subscription
	Change      string      // the sentence before the button
	Button      string
	ButtonURL   string
	Unsubscribe string // the sentence with the unsubscribe link
	UnsubURL    string
	Ignore      string
}

type noticeRow struct{ Label, Value string }

// Welcome renders the mail that follows a confirmation.
func (r *Renderer) Welcome(w Welcome) (Message, error) {
	lang, s, err := r.language(w.Language)
	if err != nil {
		return Message{}, err
	}
	if err := checkLinks("welcome", w.PreferencesURL, w.UnsubscribeURL); err != nil {
		return Message{}, err
	}
	n := noticeWords(lang)
	list := r.listNameFor(lang, w.ListName)
	none := n.None
	mode := n.ModeAny
	if w.Narrow {
		mode = n.ModeNarrow
	}
	rows := []noticeRow{{n.Countries, joinOr(w.Countries, none)}, {n.Topics, joinOr(w.Topics, none)}, {n.Stories, mode}}
	if w.All {
		rows = []noticeRow{{n.Stories, n.AllStories}}
	}
	v := noticeView{
		page:    noticePage(lang, list, fmt.Sprintf(n.WelcomeSubject, list), n.WelcomePreview, s, w.PreferencesURL, w.UnsubscribeURL, w.PostalAddress),
		Heading: fmt.Sprintf(n.WelcomeHeading, list),
		Body:    n.WelcomeBody,
		Rows: append(rows,
			noticeRow{n.Language, i18n.LanguageName(lang, w.DigestLanguage)},
			noticeRow{n.When, welcomeWhen(lang, n, w)}),
		Change:      n.WelcomeChange,
		Button:      n.PreferencesButton,
		ButtonURL:   w.PreferencesURL,
		Unsubscribe: n.UnsubscribeLine,
		UnsubURL:    w.UnsubscribeURL,
	}
	return r.execute("welcome", v.Subject, r.notices.welcomeHTML, r.notices.welcomeText, v)
}

// welcomeWhen is the welcome's "when": the schedule, and for a schedule
// of the reader's own what a short digest does.
func welcomeWhen(lang string, n noticeUI, w Welcome) string {
	switch {
	case !w.OwnSchedule || w.ThinBelow == 0:
		return w.Schedule
	case w.SendThin:
		return fmt.Sprintf(n.WhenThinSends, w.Schedule, w.ThinBelow)
	}
	return i18n.Plural(lang, "mail.when_thin_waits", w.WaitDays, w.Schedule, w.ThinBelow, w.WaitDays)
}

// Known renders the mail to an address that was signed up again while
// subscribed.
func (r *Renderer) Known(k Known) (Message, error) {
	lang, s, err := r.language(k.Language)
	if err != nil {
		return Message{}, err
	}
	if err := checkLinks("known", k.PreferencesURL, k.UnsubscribeURL); err != nil {
		return Message{}, err
	}
	n := noticeWords(lang)
	list := r.listNameFor(lang, k.ListName)
	v := noticeView{
		page:        noticePage(lang, list, fmt.Sprintf(n.KnownSubject, list), n.KnownPreview, s, k.PreferencesURL, k.UnsubscribeURL, k.PostalAddress),
		Heading:     n.KnownHeading,
		Body:        fmt.Sprintf(n.KnownBody, list),
		Change:      knownChange(n, k.PausedUntil),
		Button:      n.PreferencesButton,
		ButtonURL:   k.PreferencesURL,
		Unsubscribe: n.UnsubscribeLine,
		UnsubURL:    k.UnsubscribeURL,
		Ignore:      n.KnownIgnore,
	}
	return r.execute("known", v.Subject, r.notices.knownHTML, r.notices.knownText, v)
}

// knownChange is what the known mail says of the preferences: a paused
// reader is told they are paused, and until when, not offered a pause.
func knownChange(n noticeUI, pausedUntil string) string {
	if pausedUntil != "" {
		return fmt.Sprintf(n.KnownPaused, pausedUntil)
	}
	return n.KnownChange
}

func noticePage(lang, list, subject, preview string, s ui, prefs, unsub, postal string) page {
	return page{
		Lang:      lang,
		Subject:   subject,
		Preheader: preview,
		ListName:  list,
		Colon:     s.Colon,
		Role:      s.Role,
		Footer: footer{
			Colon:            s.Colon,
			Why:              fmt.Sprintf(s.DigestWhy, list),
			PreferencesLabel: s.Preferences,
			PreferencesURL:   prefs,
			UnsubscribeLabel: s.Unsubscribe,
			UnsubscribeURL:   unsub,
			Postal:           lines(postal),
		},
	}
}

// checkLinks refuses a notice without working links: each is the point
// of the mail.
func checkLinks(what, prefs, unsub string) error {
	if !isHTTPURL(prefs) || !isHTTPURL(unsub) {
		return errs.New(errs.Invalid, "render %s: preferences and unsubscribe URLs must be http(s) URLs", what)
	}
	return nil
}

func listName(name string) string {
	if name == "" {
		return DefaultListName
	}
	return name
}

func joinOr(names []string, none string) string {
	if len(names) == 0 {
		return none
	}
	return oneLine(strings.Join(names, ", "))
}
