package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/subscribers"
)

func (s *Server) preferencesPage(c *gin.Context) {
	s.showPreferences(c, false)
}

func (s *Server) showPreferences(c *gin.Context, saved bool) {
	tok, sub, lang, ok := s.linkSubscriber(c)
	if !ok {
		return
	}
	if stopped(sub) {
		s.showStatus(c, http.StatusOK, lang, tok, sub)
		return
	}
	p, err := s.pauseBlock(c.Request.Context(), lang, tok, sub)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	s.showPreferencesWith(c, http.StatusOK, tok, sub, lang, p, saved)
}

// stopped reports whether a subscriber gets no digests and has no choices
// to change: the preferences page shows them their status instead.
func stopped(sub domain.Subscriber) bool {
	return sub.Status != domain.StatusActive && sub.Status != domain.StatusPending
}

// showStatus tells a stopped subscriber why they get nothing. Someone who
// unsubscribed may subscribe again (a fresh double opt-in, see
// preferencesPost); a bounced or suppressed address may not, as it was the
// desk or the mail system that stopped it, not the person.
func (s *Server) showStatus(c *gin.Context, status int, lang, tok string, sub domain.Subscriber) {
	d := pageData{Lang: lang, Title: msg(lang, "prefs_title"), Email: sub.Email, Action: "/preferences/" + tok,
		Message: msg(lang, "stuck_status_stopped")}
	if sub.Status == domain.StatusUnsubscribed {
		d.Message = msg(lang, "stuck_status_unsubscribed")
		d.Link = "/preferences/" + tok + "?lang=" + lang
	}
	s.renderPageStatus(c.Writer, c.Request, status, "preferences", d)
}

// preferencesPost saves the form, or, with resubscribe set (the button an
// unsubscribed person is shown), signs the address up again with the
// choices it had, through the same double opt-in as the front page. The
// page's language comes from ?lang= on the form's action, falling back to
// the subscriber's, as on the GET.
func (s *Server) preferencesPost(c *gin.Context) {
	// A link that does not work says so first, whatever the form holds.
	tok, sub, lang, ok := s.linkSubscriber(c)
	if !ok {
		return
	}
	if c.PostForm("resubscribe") != "" && sub.Status == domain.StatusUnsubscribed {
		s.resubscribe(c, lang, tok, sub)
		return
	}
	if stopped(sub) {
		// A form from before they stopped: nothing is saved (409), and
		// they see where they stand and what they can do.
		s.showStatus(c, http.StatusConflict, lang, tok, sub)
		return
	}
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	f, err := choicesOf(c.Request.PostForm, tax)
	if err == nil {
		err = f.Validate(tax)
	}
	var problem fieldError
	if err != nil {
		problem = fieldErrorOf(lang, err)
	}
	// When the digest arrives: checked before anything is saved.
	in, schedErr := scheduleInputOf(c.Request.PostForm)
	var rs domain.ReaderSchedule
	var own bool
	if schedErr == nil {
		rs, own, schedErr = s.editions.ResolveSchedule(c.Request.Context(), in)
	}
	if schedErr != nil && err == nil {
		fe, ok := scheduleError(lang, schedErr)
		if !ok {
			s.pageFail(c, lang, schedErr)
			return
		}
		err, problem = schedErr, fe
	}
	if err != nil {
		fd := buildForm(tax, lang, f)
		fd.Errors, fd.Button = []fieldError{problem}, msg(lang, "prefs_button")
		fd.Estimate = s.estimateLine(c.Request.Context(), lang, tax, f)
		shown, chose := shownSchedule(in)
		if fd.Schedule, err = s.scheduleFormOf(c.Request.Context(), lang, shown, chose); err != nil {
			s.pageFail(c, lang, err)
			return
		}
		p, err := s.pauseBlock(c.Request.Context(), lang, tok, sub)
		if err != nil {
			s.pageFail(c, lang, err)
			return
		}
		s.renderPageStatus(c.Writer, c.Request, http.StatusUnprocessableEntity, "preferences",
			pageData{Lang: lang, Title: msg(lang, "prefs_title"), Email: sub.Email, Action: "/preferences/" + tok, Form: fd,
				Pause: p, Unsub: unsubscribeURL(tok, lang)})
		return
	}
	if _, err := s.subscribers.UpdatePreferences(c.Request.Context(), tok, f, consentOf(c)); err != nil {
		s.pageFail(c, lang, err)
		return
	}
	if in.Given() {
		if err := s.editions.SetReaderSchedule(c.Request.Context(), tok, rs, own); err != nil {
			s.pageFail(c, lang, err)
			return
		}
	}
	s.showPreferences(c, true)
}

// resubscribe starts a new double opt-in for an unsubscribed address with
// its old choices and schedule. This page's link works until the person
// confirms; the confirmation gives the address a new token, which the
// welcome mail brings.
func (s *Server) resubscribe(c *gin.Context, lang, tok string, sub domain.Subscriber) {
	ctx := c.Request.Context()
	rs, own, err := s.editions.ReaderSchedule(ctx, tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	req := subscribers.Request{Email: sub.Email, Filter: sub.Filter, Schedule: domain.SignupSchedule{Own: ownSchedule(rs, own)}}
	if err := s.subscribers.Subscribe(ctx, req, consentOf(c), s.limiter); err != nil {
		s.pageSignupFail(c, lang, err)
		return
	}
	s.renderPage(c, "message", pageData{Lang: lang, Title: msg(lang, "check_inbox_title"), Message: msg(lang, "stuck_resubscribe_sent")})
}

// unsubscribeURL is the unsubscribe page of a token, in lang: the page
// with one button that the preferences page, the welcome page and the
// "fewer like this" page link to.
func unsubscribeURL(tok, lang string) string {
	return "/unsubscribe/" + tok + "?lang=" + lang
}

func (s *Server) unsubscribePage(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	// A token a later sign-up replaced still unsubscribes: the mail it
	// came in is still in the reader's inbox.
	sub, err := s.subscribers.ByUnsubscribeToken(c.Request.Context(), tok)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	if sub.Status == domain.StatusUnsubscribed {
		s.renderPage(c, "message", unsubscribedPage(lang, tok, sub))
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
	if err := s.subscribers.Unsubscribe(c.Request.Context(), tok, consentOf(c)); err != nil {
		s.pageFail(c, lang, err)
		return
	}
	sub, err := s.subscribers.ByUnsubscribeToken(c.Request.Context(), tok)
	if err != nil {
		s.renderPage(c, "message", pageData{Lang: lang, Title: msg(lang, "unsubscribed_title"), Message: msg(lang, "unsubscribed")})
		return
	}
	s.renderPage(c, "message", unsubscribedPage(pageLang(c.Request, sub.Language), tok, sub))
}

// unsubscribedPage tells someone who left that they get no more digests
// and how to come back: by their preferences page, which signs them up
// again with the choices they had, when tok is their current token; a
// token a later sign-up replaced only unsubscribes (whoever holds an old
// mail may not be them), so then from the front page.
func unsubscribedPage(lang, tok string, sub domain.Subscriber) pageData {
	d := pageData{Lang: lang, Title: msg(lang, "unsubscribed_title"), Message: msg(lang, "unsubscribed")}
	if sub.Status == domain.StatusUnsubscribed && tok == sub.Token {
		d.Message = msg(lang, "unsubscribed_again")
		d.Link, d.LinkLabel = "/preferences/"+tok+"?lang="+lang, msg(lang, "unsubscribed_again_link")
	}
	return d
}
