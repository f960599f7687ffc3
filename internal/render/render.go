package render

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
	"unicode/utf8"

	"newsdigest/internal/errs"
	"newsdigest/templates"
)

// DefaultListName names the list when a Digest or Confirmation leaves
// ListName empty.
const DefaultListName = "News Digest"

// Renderer turns digests and confirmation requests into messages. It parses
// the templates once, in New; after that it is safe for concurrent use and a
// render costs only template execution.
type Renderer struct {
	digestHTML  *htmltemplate.Template
	digestText  *texttemplate.Template
	confirmHTML *htmltemplate.Template
	confirmText *texttemplate.Template
	notices     *noticeTemplates // the welcome and known mails (notices.go)
	ui          map[string]ui
	frags       *fragCache
	frames      *frameCache
	// framed says digests are made by filling frames (frame.go), which
	// New found to give what executing the templates gives.
	framed bool
	// tokenMark stands for TokenPlaceholder in a digest's links while it
	// is rendered (token.go). It is secret: it never leaves the process.
	tokenMark string
	// viewMark stands for a digest's view URL in the stories that link
	// to the web digest, so that one rendering of a story serves every
	// group; secret like tokenMark (framedDigest, placeViewURL).
	viewMark string
	marks    []string // what frames are split at (frameMarks)
	// names, when set, is the list's name in a language as the desk set
	// it (package listname); it wins over the ListName a caller gives.
	names func(lang string) string
}

// UseListNames makes every mail and web digest rendered from now on name
// the list as names says for its language: the desk's one name, in the
// header, the subjects and the footers alike. Call it before rendering.
func (r *Renderer) UseListNames(names func(lang string) string) { r.names = names }

// listNameFor is the list's name for a mail in lang: the desk's when
// UseListNames was called, else given, else DefaultListName.
func (r *Renderer) listNameFor(lang, given string) string {
	if r.names != nil {
		if n := r.names(lang); n != "" {
			return n
		}
	}
	return listName(given)
}

// New parses the email templates embedded in package templates and checks
// that they render, so that a broken template stops the program at start
// rather than at the first send.
func New() (*Renderer, error) {
	return newRenderer(templates.Email)
}

func newRenderer(fsys fs.FS) (*Renderer, error) {
	r := &Renderer{ui: catalog(), frags: newFragCache(), frames: newFrameCache(), tokenMark: newTokenMark(),
		viewMark: "https://view.invalid/" + newTokenMark()}
	r.marks = frameMarks(r.viewMark)
	var err error
	if r.digestHTML, err = parseHTML(fsys, "digest"); err != nil {
		return nil, err
	}
	if r.digestText, err = parseText(fsys, "digest"); err != nil {
		return nil, err
	}
	if r.confirmHTML, err = parseHTML(fsys, "confirm"); err != nil {
		return nil, err
	}
	if r.confirmText, err = parseText(fsys, "confirm"); err != nil {
		return nil, err
	}
	if r.notices, err = parseNotices(fsys); err != nil {
		return nil, err
	}
	if err := r.checkNotices(); err != nil {
		return nil, err
	}
	// html/template escapes a template on its first execution; doing it now
	// also reports template errors that parsing alone does not.
	for lang := range r.ui {
		if _, err := r.Digest(sampleDigest(lang)); err != nil {
			return nil, fmt.Errorf("render: check digest templates: %w", err)
		}
		if _, err := r.Confirmation(sampleConfirmation(lang)); err != nil {
			return nil, fmt.Errorf("render: check confirmation templates: %w", err)
		}
	}
	r.framed = r.framesAgree()
	return r, nil
}

// framesAgree reports whether filling frames gives exactly what executing
// the templates gives, for sample digests in every language: with and
// without a link to the web view, with characters that need escaping.
func (r *Renderer) framesAgree() bool {
	for lang := range r.ui {
		for _, d := range []Digest{sampleDigest(lang), frameCheckDigest(lang)} {
			r.framed = false
			want, err1 := r.Digest(d)
			r.framed = true
			got, err2 := r.Digest(d)
			if err1 != nil || err2 != nil || !got.equal(want) {
				r.framed = false
				return false
			}
		}
	}
	return true
}

// Digest renders the digest of one group of subscribers. Its links carry
// TokenPlaceholder, at the offsets the Message records; a placeholder in a
// story is left as it is.
func (r *Renderer) Digest(d Digest) (Message, error) {
	lang, s, err := r.language(d.Language)
	if err != nil {
		return Message{}, err
	}
	d.ListName = r.listNameFor(lang, d.ListName)
	for _, link := range []struct{ field, url string }{
		{"unsubscribe URL", d.UnsubscribeURL},
		{"preferences URL", d.PreferencesURL},
	} {
		// Every digest mailed must let its reader leave, and a link
		// without the placeholder would send everyone in the group to the
		// same page. The copy on the web (Full) is anyone's who holds its
		// link, so it has no reader's links at all.
		if d.Full && link.url == "" {
			continue
		}
		if !isHTTPURL(link.url) || !strings.Contains(link.url, TokenPlaceholder) {
			return Message{}, errs.New(errs.Invalid, "render digest: %s: must be an http(s) URL containing %s", link.field, TokenPlaceholder)
		}
	}
	// The digest's own links carry the mark, so that what it marks after
	// rendering is theirs and nothing a story brought (token.go).
	d.UnsubscribeURL = r.markTokens(d.UnsubscribeURL)
	d.PreferencesURL = r.markTokens(d.PreferencesURL)
	d.ViewURL = r.markTokens(d.ViewURL)
	d.Sections = r.markStoryTokens(d.Sections)
	frags := &fragments{r: r, lang: lang, s: s}
	if isHTTPURL(d.ViewURL) {
		frags.viewURL = d.ViewURL
	}
	v, err := newDigestView(d, lang, s, frags)
	if err != nil {
		return Message{}, err
	}
	if r.framed {
		return r.framedDigest(v, frags.viewURL)
	}
	m, err := r.execute("digest", v.Subject, r.digestHTML, r.digestText, v)
	if err != nil {
		return Message{}, err
	}
	if m.HTML, m.Text, err = r.placeViewURL(m.HTML, m.Text, frags.viewURL); err != nil {
		return Message{}, err
	}
	m.HTML, m.HTMLTokens = r.placeTokens(m.HTML)
	m.Text, m.TextTokens = r.placeTokens(m.Text)
	return m, nil
}

// Confirmation renders the double opt-in mail.
func (r *Renderer) Confirmation(c Confirmation) (Message, error) {
	lang, s, err := r.language(c.Language)
	if err != nil {
		return Message{}, err
	}
	c.ListName = r.listNameFor(lang, c.ListName)
	if !isHTTPURL(c.ConfirmURL) {
		return Message{}, errs.New(errs.Invalid, "render confirmation: confirm URL: must be an http(s) URL")
	}
	v := newConfirmView(c, lang, s)
	return r.execute("confirmation", v.Subject, r.confirmHTML, r.confirmText, v)
}

// language resolves a language code to its strings; empty means English.
func (r *Renderer) language(code string) (string, ui, error) {
	code = strings.ToLower(strings.TrimSpace(code))
	if code == "" {
		code = "en"
	}
	s, ok := r.ui[code]
	if !ok {
		return "", ui{}, errs.New(errs.Invalid, "render: language: %q is not supported", code)
	}
	return code, s, nil
}

func (r *Renderer) execute(what, subject string, h *htmltemplate.Template, t *texttemplate.Template, view any) (Message, error) {
	m, err := r.executeRaw(what, h, t, "layout", view)
	if err != nil {
		return Message{}, err
	}
	m.Subject, m.Text = subject, tidyText(m.Text, textWidth)
	return m, nil
}

// executeRaw executes the template name in both formats, the text left as
// the template wrote it.
func (r *Renderer) executeRaw(what string, h *htmltemplate.Template, t *texttemplate.Template, name string, view any) (Message, error) {
	var hb, tb bytes.Buffer
	hb.Grow(32 << 10)
	if err := h.ExecuteTemplate(&hb, name, view); err != nil {
		return Message{}, fmt.Errorf("render %s html: %w", what, err)
	}
	tb.Grow(16 << 10)
	if err := t.ExecuteTemplate(&tb, name, view); err != nil {
		return Message{}, fmt.Errorf("render %s text: %w", what, err)
	}
	return Message{HTML: hb.String(), Text: tb.String()}, nil
}

// parseHTML parses the HTML layout together with one body file. Each body
// gets its own template set because every body defines "content".
func parseHTML(fsys fs.FS, name string) (*htmltemplate.Template, error) {
	t, err := htmltemplate.New(name).Funcs(htmlFuncs()).
		ParseFS(fsys, "email/layout.html.tmpl", "email/"+name+".html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("render: parse %s html templates: %w", name, err)
	}
	return t, nil
}

// parseText is parseHTML for the plain-text part. text/template, unlike
// html/template, leaves "<" and "&" in titles as they are.
func parseText(fsys fs.FS, name string) (*texttemplate.Template, error) {
	t, err := texttemplate.New(name).Funcs(textFuncs()).
		ParseFS(fsys, "email/layout.txt.tmpl", "email/"+name+".txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("render: parse %s text templates: %w", name, err)
	}
	return t, nil
}

// htmlFuncs are constants only: template.HTML is trusted markup, so nothing
// that depends on the data may pass through it.
func htmlFuncs() htmltemplate.FuncMap {
	return htmltemplate.FuncMap{
		// Outlook for Windows ignores max-width; it alone reads these conditional
		// comments (html/template would strip comments written in the file).
		"msoOpen": func() htmltemplate.HTML {
			return `<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" align="center"><tr><td><![endif]-->`
		},
		"msoClose": func() htmltemplate.HTML {
			return `<!--[if mso]></td></tr></table><![endif]-->`
		},
		// Padding after the preheader keeps inbox previews from running on into
		// the first words of the body.
		"preheaderPad": func() htmltemplate.HTML {
			return htmltemplate.HTML(strings.Repeat("&#847;&zwnj;&nbsp;", 40))
		},
	}
}

func textFuncs() texttemplate.FuncMap {
	return texttemplate.FuncMap{
		// underline returns a row of char as wide as s, for Setext-style headings.
		"underline": func(s, char string) string {
			return strings.Repeat(char, utf8.RuneCountInString(s))
		},
	}
}

func sampleDigest(lang string) Digest {
	return Digest{
		Language:    lang,
		EditionDate: "2026-01-05",
		Sections: []Section{{Title: "Section", Items: []Item{
			{Title: "Title", Summary: "Summary.", URL: "https://example.org/", PublishedOn: "2026-01-01", Tags: []string{"Tag"}},
			{Title: "Title", Summary: "Summary.", Anchor: "story-2"},
		}}},
		UnsubscribeURL: "https://example.org/unsubscribe/" + TokenPlaceholder,
		PreferencesURL: "https://example.org/preferences/" + TokenPlaceholder,
		PostalAddress:  "Street 1\nCity",
	}
}

// frameCheckDigest is a digest whose every part is present and needs
// escaping somewhere, with a story that carries the token placeholder.
func frameCheckDigest(lang string) Digest {
	d := sampleDigest(lang)
	d.ListName = `Noticias <&> "Región" + 'más'`
	d.Sections = append(d.Sections, Section{Title: `Tom & "Jerry's" <b>+`, Items: []Item{
		{Title: `A <b>bold</b> & "quoted" 'title' + more ` + TokenPlaceholder, Summary: "Línea <uno> & dos + tres.", URL: "https://example.org/a?b=1&c=2&t=" + TokenPlaceholder, PublishedOn: "2026-01-02", Tags: []string{"A & B"}},
	}})
	d.Omitted = 3
	d.ViewURL = "https://example.org/digest/1/" + TokenPlaceholder
	d.PostalAddress = "Calle <1> & 2\nCiudad"
	return d
}

func sampleConfirmation(lang string) Confirmation {
	return Confirmation{Language: lang, ConfirmURL: "https://example.org/confirm/x", PostalAddress: "Street 1"}
}
