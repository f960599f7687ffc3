package render

import (
	"fmt"
	"time"

	"newsdigest/internal/errs"
)

// Export is the mail that brings a person the link to a copy of their
// data, which they asked for on their preferences page.
type Export struct {
	Language       string
	ListName       string
	DownloadURL    string        // works once, for ValidFor
	ValidFor       time.Duration // how long the link works
	PreferencesURL string
	UnsubscribeURL string
	PostalAddress  string
}

// Export renders the mail with the link to a person's data.
func (r *Renderer) Export(x Export) (Message, error) {
	lang, s, err := r.language(x.Language)
	if err != nil {
		return Message{}, err
	}
	if err := checkLinks("export", x.PreferencesURL, x.UnsubscribeURL); err != nil {
		return Message{}, err
	}
	if !isHTTPURL(x.DownloadURL) {
		return Message{}, errs.New(errs.Invalid, "render export: the download URL must be an http(s) URL")
	}
	n := noticeWords(lang)
	list := r.listNameFor(lang, x.ListName)
	v := noticeView{
		page:        noticePage(lang, list, fmt.Sprintf(n.ExportSubject, list), n.ExportPreview, s, x.PreferencesURL, x.UnsubscribeURL, x.PostalAddress),
		Heading:     n.ExportHeading,
		Body:        fmt.Sprintf(n.ExportBody, list),
		Change:      fmt.Sprintf(n.ExportChange, int(x.ValidFor.Minutes())),
		Button:      n.ExportButton,
		ButtonURL:   x.DownloadURL,
		Unsubscribe: n.UnsubscribeLine,
		UnsubURL:    x.UnsubscribeURL,
		Ignore:      n.ExportIgnore,
	}
	return r.execute("export", v.Subject, r.notices.exportHTML, r.notices.exportText, v)
}
