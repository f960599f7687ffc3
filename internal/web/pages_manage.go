package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
)

func (s *Server) preferencesPage(c *gin.Context) {
	s.showPreferences(c, false)
}

func (s *Server) showPreferences(c *gin.Context, saved bool) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	sub, err := s.db.SubscriberByToken(c.Request.Context(), tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	fd := buildForm(tax, lang, sub.Filter)
	fd.Button = msg(lang, "prefs_button")
	s.renderPage(c, "preferences", pageData{Lang: lang, Title: msg(lang, "prefs_title"), Email: sub.Email,
		Action: "/preferences/" + tok, Form: fd, Saved: saved})
}

func (s *Server) preferencesPost(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	// A link that does not work says so first, whatever the form holds.
	if _, err := s.db.SubscriberByToken(c.Request.Context(), tok); err != nil {
		s.pageFail(c, lang, err)
		return
	}
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	f := filterFromForm(c)
	f.Normalize()
	if err := f.Validate(tax); err != nil {
		fd := buildForm(tax, lang, f)
		fd.Error, fd.Button = formError(lang, err), msg(lang, "prefs_button")
		s.renderPageStatus(c.Writer, c.Request, http.StatusUnprocessableEntity, "preferences",
			pageData{Lang: lang, Title: msg(lang, "prefs_title"), Action: "/preferences/" + tok, Form: fd})
		return
	}
	if _, err := s.db.UpdatePreferences(c.Request.Context(), tok, f, consentOf(c)); err != nil {
		s.pageFail(c, lang, err)
		return
	}
	s.showPreferences(c, true)
}

func (s *Server) unsubscribePage(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	sub, err := s.db.SubscriberByToken(c.Request.Context(), tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	if sub.Status == domain.StatusUnsubscribed {
		s.renderPage(c, "message", pageData{Lang: lang, Title: msg(lang, "unsubscribed_title"), Message: msg(lang, "unsubscribed")})
		return
	}
	s.renderPage(c, "unsubscribe", pageData{Lang: lang, Title: msg(lang, "unsub_title"), Email: sub.Email, Action: "/unsubscribe/" + tok})
}

// unsubscribePost is both the page's button and RFC 8058 one-click
// unsubscribe: no cookie or CSRF token is needed (the token in the URL is
// the proof), and the answer is a 200 page, never a redirect.
func (s *Server) unsubscribePost(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	if err := s.db.Unsubscribe(c.Request.Context(), tok, consentOf(c)); err != nil {
		s.pageFail(c, lang, err)
		return
	}
	if sub, err := s.db.SubscriberByToken(c.Request.Context(), tok); err == nil {
		lang = pageLang(c.Request, sub.Language)
	}
	s.renderPage(c, "message", pageData{Lang: lang, Title: msg(lang, "unsubscribed_title"), Message: msg(lang, "unsubscribed")})
}
