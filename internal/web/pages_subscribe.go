package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/subscription"
)

// maxFormBody bounds form posts.
const maxFormBody = 64 << 10

func (s *Server) home(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	fd := buildForm(tax, lang, domain.Filter{Language: lang})
	fd.Button = msg(lang, "subscribe_button")
	s.renderPage(c, "home", pageData{Lang: lang, Title: msg(lang, "subscribe_title"), Action: "/subscribe?lang=" + lang, Form: fd})
}

// subscribeForm answers the same whether or not the address was known; a
// wrong field shows the form again with the choices kept.
func (s *Server) subscribeForm(c *gin.Context) {
	lang := pageLang(c.Request, "")
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBody)
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	req := subscription.Request{Email: c.PostForm("email"), Filter: filterFromForm(c)}
	err = s.subscriptions().Subscribe(c.Request.Context(), tax, req, consentOf(c))
	if errs.Is(err, errs.Invalid) {
		fd := buildForm(tax, lang, req.Filter)
		fd.Email, fd.Error, fd.Button = req.Email, formError(lang, err), msg(lang, "subscribe_button")
		s.renderPageStatus(c.Writer, c.Request, http.StatusUnprocessableEntity, "home",
			pageData{Lang: lang, Title: msg(lang, "subscribe_title"), Action: "/subscribe?lang=" + lang, Form: fd})
		return
	}
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	s.renderPage(c, "message", pageData{Lang: lang, Title: msg(lang, "check_inbox_title"), Message: msg(lang, "check_inbox")})
}

func (s *Server) confirmPage(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	sub, err := s.db.SubscriberByConfirmToken(c.Request.Context(), tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	s.renderPage(c, "confirm", pageData{Lang: lang, Title: msg(lang, "confirm_title"), Email: sub.Email, Action: "/confirm/" + tok})
}

func (s *Server) confirmPost(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	sub, err := s.db.Confirm(c.Request.Context(), tok, consentOf(c))
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	s.renderPage(c, "message", pageData{Lang: lang, Title: msg(lang, "confirmed_title"), Message: msg(lang, "confirmed")})
}
