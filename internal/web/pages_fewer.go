package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/taxonomy"
)

// fewerData is the "fewer like this" page: the choice a story's link
// offers to drop, and the reader's choices.
type fewerData struct {
	Intro     string   // what the button does, or why it cannot be done
	Button    string   // "" when there is nothing to drop
	Done      string   // after the button: what was dropped
	Countries []string // the reader's countries, named
	Topics    []string // the reader's topics, named
	All       bool     // the reader gets all stories
	Prefs     string   // the preferences page
	Unsub     string   // the unsubscribe page, offered for the last choice
}

// fewerPage shows what a story's "fewer like this" link would drop, with
// one button: a GET changes nothing, so a link scanner that follows the
// mail's links drops no one's choices.
func (s *Server) fewerPage(c *gin.Context) {
	s.fewer(c, false)
}

// fewerPost drops the choice (CSRF-protected, like every form here) and
// shows the reader's new choices.
func (s *Server) fewerPost(c *gin.Context) {
	s.fewer(c, true)
}

func (s *Server) fewer(c *gin.Context, drop bool) {
	tok, sub, lang, ok := s.linkSubscriber(c)
	if !ok {
		return
	}
	kind, key := c.Param("kind"), c.Param("key")
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	name, known := choiceName(tax, lang, kind, key)
	if !known {
		s.pageFail(c, lang, errs.New(errs.NotFound, "choice not found"))
		return
	}
	if stopped(sub) {
		s.showStatus(c, http.StatusConflict, lang, tok, sub)
		return
	}
	d := &fewerData{Prefs: "/preferences/" + tok + "?lang=" + lang, Unsub: unsubscribeURL(tok, lang)}
	status := http.StatusOK
	_, why := subscribers.Without(sub.Filter, kind, key)
	switch {
	case errors.Is(why, subscribers.ErrAllStories):
		d.Intro = msg(lang, "fewer_all")
	case errors.Is(why, subscribers.ErrLastChoice):
		d.Intro = fmt.Sprintf(msg(lang, "fewer_last"), name)
	case why != nil:
		s.pageFail(c, lang, why)
		return
	case !subscribers.Holds(sub.Filter, kind, key):
		d.Intro = fmt.Sprintf(msg(lang, "fewer_not_held"), name)
	case drop:
		if sub, err = s.subscribers.DropChoice(c.Request.Context(), tok, kind, key, consentOf(c)); err != nil {
			s.pageFail(c, lang, err)
			return
		}
		d.Done = fmt.Sprintf(msg(lang, "fewer_done"), name)
	default:
		d.Intro = fmt.Sprintf(msg(lang, "fewer_intro"), name)
		d.Button = fmt.Sprintf(msg(lang, "fewer_button"), name)
	}
	if drop && d.Done == "" {
		status = http.StatusConflict // nothing was changed
	}
	d.All = sub.Filter.All
	d.Countries, d.Topics = choicesNamed(tax, lang, sub.Filter)
	c.Header("Cache-Control", "no-store")
	s.renderPageStatus(c.Writer, c.Request, status, "fewer", pageData{Lang: lang, Title: msg(lang, "fewer_title"),
		Action: "/preferences/" + tok + "/fewer/" + kind + "/" + url.PathEscape(key) + "?lang=" + lang, Fewer: d})
}

// choiceName names a country or topic in lang; known is false for a kind
// or key the taxonomy does not have.
func choiceName(tax *taxonomy.Taxonomy, lang, kind, key string) (name string, known bool) {
	switch kind {
	case subscribers.DropCountry:
		if c, ok := tax.Country(key); ok {
			return c.Name(lang), true
		}
	case subscribers.DropTopic:
		if t, ok := tax.Topic(key); ok {
			return t.Name(lang), true
		}
	}
	return key, false
}

// choicesNamed names a reader's countries and topics in lang, the
// countries by name, as the confirmation page and the welcome list them,
// the topics in the taxonomy's order.
func choicesNamed(tax *taxonomy.Taxonomy, lang string, f domain.Filter) (countries, topics []string) {
	for _, code := range f.Countries {
		n, _ := choiceName(tax, lang, subscribers.DropCountry, code)
		countries = append(countries, n)
	}
	slices.SortFunc(countries, taxonomy.Compare(lang))
	for _, slug := range f.Topics {
		n, _ := choiceName(tax, lang, subscribers.DropTopic, slug)
		topics = append(topics, n)
	}
	return countries, topics
}
