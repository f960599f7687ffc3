package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/csrf"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
	"newsdigest/internal/taxonomy"
	"newsdigest/internal/token"
)

//go:embed templates/*.html
var pageFiles embed.FS

// pageData is what every page template receives.
type pageData struct {
	Lang      string
	Title     string
	Message   string
	CSRFField template.HTML
	Action    string // the form's target
	Form      *formData
	Email     string
	Saved     bool
	Choices   string // the signature of the choices a confirmation page shows
	Link      string // where a page sends the person on: their preferences, or the form to subscribe again
	LinkLabel string // Link's words, when not "Change your choices"
	Unsub     string // the preferences page's way out: the person's unsubscribe page
	Postal    string // the organisation's postal address, in the footer
	ListName  string // the list's name in the page's language, its header
	// The welcome page, the preferences page's pause block and the
	// language links of a page whose query they keep.
	Welcome   *welcomeData // pages_welcome.go
	Pause     *pauseData   // pages_pause.go
	LangLinks []langLink
	Fewer     *fewerData // pages_fewer.go
	When      *whenData  // the confirmation page's schedule (pages_subscribe.go)
}

// langLink is one language of a page's language switch.
type langLink struct{ Code, Label, URL string }

// formData fills the subscription and preferences form.
type formData struct {
	All       bool // "all stories" is chosen
	Groups    []countryGroup
	Others    []option
	Topics    []option
	Languages []option
	Modes     []option
	Email     string
	Button    string
	// Errors are the fields' mistakes, in the order the summary lists
	// them (the order of the fields on the page).
	Errors []fieldError
	// Estimate says how many stories a week the choices bring; "" when
	// there is nothing to estimate yet.
	Estimate string
	// Schedule is when the digest arrives (schedule_form.go); nil on
	// pages that do not ask it.
	Schedule *scheduleForm
}

// Err returns the message of a field's mistake, or "".
func (fd *formData) Err(field string) string {
	for _, e := range fd.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// OthersChosen counts the chosen countries of the "other countries" list.
func (fd *formData) OthersChosen() int { return chosenCount(fd.Others) }

// countryGroup is a region's countries, folded under its name.
type countryGroup struct {
	Code      string // the region's, for its "every country in" box
	Name      string
	Countries []option
	// AllChosen: every member of the region is chosen, so its box shows
	// ticked.
	AllChosen bool
}

// Chosen counts the group's chosen countries.
func (g countryGroup) Chosen() int { return chosenCount(g.Countries) }

func chosenCount(opts []option) int {
	n := 0
	for _, o := range opts {
		if o.Checked {
			n++
		}
	}
	return n
}

type option struct {
	Value, Label string
	Checked      bool
}

func parsePages() (*template.Template, error) {
	t, err := template.New("").Funcs(template.FuncMap{
		"t": msg,
		"tf": func(lang, key string, args ...any) string {
			return fmt.Sprintf(msg(lang, key), args...)
		},
		"tn": msgN,
		// languages is the language switch of a page that has no links of
		// its own: the same page in each language.
		"languages": func() []langLink {
			return languageLinks(func(l string) string { return "?lang=" + l })
		},
	}).ParseFS(pageFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse page templates: %w", err)
	}
	return t, nil
}

// renderPage writes a page with status 200.
func (s *Server) renderPage(c *gin.Context, name string, d pageData) {
	s.renderPageStatus(c.Writer, c.Request, http.StatusOK, name, d)
}

// renderPageStatus renders into a buffer first, so a template error is a
// clean 500 rather than half a page.
func (s *Server) renderPageStatus(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	if d.Lang == "" {
		d.Lang = "en"
	}
	if name == "error" && d.Title == "" {
		// The title is what a tab, a history list and a screen reader
		// announce first: never just the site's name.
		d.Title = msg(d.Lang, "error_title")
		if status == http.StatusNotFound {
			d.Title = msg(d.Lang, "not_found_title")
		}
	}
	if d.CSRFField == "" {
		d.CSRFField = csrf.TemplateField(r)
	}
	if d.LangLinks == nil {
		d.LangLinks = answerLanguageLinks(r)
	}
	body, err := s.executePage(name, d)
	if err != nil {
		s.log.Error("render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	// The security headers (policy, framing, referrer) are set for every
	// answer by track, in middleware.go.
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
}

// listName is the list's name in lang as the desk set it (the mails say
// the same), else the language file's.
func (s *Server) listName(lang string) string {
	if s.listNames == nil {
		return msg(lang, "title")
	}
	return s.listNames.Name(lang)
}

// executePage renders page name with d, the footer's postal address
// filled in.
func (s *Server) executePage(name string, d pageData) ([]byte, error) {
	if d.Lang == "" {
		d.Lang = "en"
	}
	d.Postal = s.cfg.OrgPostalAddress
	d.ListName = s.listName(d.Lang)
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name+".html", d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pageFail shows an error page for err.
func (s *Server) pageFail(c *gin.Context, lang string, err error) {
	kind := errs.KindOf(err)
	key := "internal"
	switch kind {
	case errs.NotFound:
		key = "link_invalid"
	case errs.Internal, errs.Unavailable:
		s.log.Error("page failed", "path", c.FullPath(), "err", err)
	default:
		key = ""
	}
	m := errs.MessageOf(err)
	if key != "" {
		m = msg(lang, key)
	}
	title := msg(lang, "error_title")
	if kind == errs.NotFound {
		title = msg(lang, "link_invalid_title")
	}
	s.renderPageStatus(c.Writer, c.Request, statusOf(kind), "error", pageData{Lang: lang, Title: title, Message: m})
	c.Abort()
}

// buildForm lays out the choices: countries grouped under the first
// region that holds them, the rest in one list, then topics.
func buildForm(tax *taxonomy.Taxonomy, lang string, f domain.Filter) *formData {
	fd := &formData{All: f.All}
	groups, others := tax.Groups(lang, f.Countries, f.All)
	for _, g := range groups {
		cg := countryGroup{Code: g.Code, Name: g.Name, AllChosen: g.AllChosen}
		for _, c := range g.Countries {
			cg.Countries = append(cg.Countries, option{c.Code, c.Name, c.Chosen})
		}
		fd.Groups = append(fd.Groups, cg)
	}
	for _, c := range others {
		fd.Others = append(fd.Others, option{c.Code, c.Name, c.Chosen})
	}
	for _, t := range tax.Topics {
		fd.Topics = append(fd.Topics, option{t.Slug, t.Name(lang), slices.Contains(f.Topics, t.Slug)})
	}
	for _, l := range domain.Languages {
		chosen := f.Language == l || l == "en" && !domain.IsLanguage(f.Language)
		fd.Languages = append(fd.Languages, option{l, i18n.Autonym(l), chosen})
	}
	fd.Modes = []option{
		{domain.ModeAny, msg(lang, "mode_any"), f.Mode != domain.ModeNarrow},
		{domain.ModeNarrow, msg(lang, "mode_narrow"), f.Mode == domain.ModeNarrow},
	}
	return fd
}

func containsAll(set, members []string) bool {
	for _, m := range members {
		if !slices.Contains(set, m) {
			return false
		}
	}
	return len(members) > 0
}

// sortByLabel sorts options by their labels in lang's alphabetical order,
// so that "États-Unis" is among the E's in French.
func sortByLabel(lang string, options []option) {
	compare := taxonomy.Compare(lang)
	slices.SortFunc(options, func(a, b option) int { return compare(a.Label, b.Label) })
}

// validToken returns the token of a subscriber link, or shows the "link no
// longer works" page when it cannot be one.
func (s *Server) validToken(c *gin.Context, lang string) (string, bool) {
	tok := c.Param("token")
	if s.testSendLink(c, lang, tok) {
		return "", false
	}
	if !token.Valid(tok) {
		s.pageFail(c, lang, errs.ErrNotFound)
		return "", false
	}
	return tok, true
}

// testSendLink answers a link of an editor's test send, which has no
// reader behind it, by saying so rather than that the link no longer
// works (which the editor checking the test would take for a fault);
// it reports whether tok was such a link.
func (s *Server) testSendLink(c *gin.Context, lang, tok string) bool {
	if tok != domain.TestSendToken {
		return false
	}
	s.renderPageStatus(c.Writer, c.Request, http.StatusNotFound, "error",
		pageData{Lang: lang, Title: msg(lang, "link_test_send_title"), Message: msg(lang, "link_test_send")})
	c.Abort()
	return true
}

// linkSubscriber finds the subscriber a link's token belongs to, and the
// page language (?lang=, else theirs); a token that does not work gets the
// "link no longer works" page and ok false.
func (s *Server) linkSubscriber(c *gin.Context) (tok string, sub domain.Subscriber, lang string, ok bool) {
	lang = pageLang(c.Request, "")
	if tok, ok = s.validToken(c, lang); !ok {
		return "", sub, lang, false
	}
	sub, err := s.subscribers.ByToken(c.Request.Context(), tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return "", sub, lang, false
	}
	return tok, sub, pageLang(c.Request, sub.Language), true
}
