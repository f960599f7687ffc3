package web

import (
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
	"newsdigest/internal/i18n"
	"newsdigest/internal/schedule"
	"newsdigest/internal/subscribers"
	"newsdigest/internal/taxonomy"
)

// maxFormBody bounds form posts (the formBody and oneClickBody
// middleware read them, so no handler sees more).
const maxFormBody = 64 << 10

func (s *Server) home(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	ctx := c.Request.Context()
	d := func() (pageData, error) {
		sf, err := s.scheduleFormOf(ctx, lang, domain.ReaderSchedule{}, false)
		if err != nil {
			return pageData{}, err
		}
		fd := buildForm(tax, lang, domain.Filter{Language: lang})
		fd.Button, fd.Schedule = msg(lang, "subscribe_button"), sf
		return pageData{Lang: lang, Title: msg(lang, "subscribe_title"), Action: "/subscribe?lang=" + lang, Form: fd}, nil
	}
	key, err := s.homeKey(ctx, lang)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	// The page is the same for everyone but its CSRF field: rendered once
	// per language and frequencies offered (pages_cache.go).
	page, ok, err := s.homePages.get(lang, key, tax, func(field template.HTML) ([]byte, error) {
		pd, err := d()
		if err != nil {
			return nil, err
		}
		pd.CSRFField = field
		return s.executePage("home", pd)
	})
	if err == nil && ok {
		page.write(c.Writer, c.Request)
		return
	}
	pd, err := d()
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	s.renderPage(c, "home", pd)
}

// subscribeFormAgain answers a GET of the form's address (the "check your
// inbox" page reloaded, or reached from the browser's history): the form
// again, at the home page, in the page's language.
func (s *Server) subscribeFormAgain(c *gin.Context) {
	c.Redirect(http.StatusSeeOther, "/?lang="+pageLang(c.Request, ""))
}

// subscribeForm answers the same whether or not the address was known; a
// wrong field shows the form again with the choices kept, every mistake
// said next to its field, and the estimate of the choices made.
func (s *Server) subscribeForm(c *gin.Context) {
	lang := pageLang(c.Request, "")
	ctx := c.Request.Context()
	if err := s.limiter.AllowIP(ctx, c.ClientIP()); err != nil {
		s.pageSignupFail(c, lang, err)
		return
	}
	tax, err := s.taxonomy(ctx)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	email := c.PostForm("email")
	f, choiceErr := choicesOf(c.Request.PostForm, tax)
	if choiceErr == nil {
		choiceErr = f.Validate(tax)
	}
	// Both the address and the choices are checked before anything
	// else, so the person sees every mistake at once.
	var problems []fieldError
	if _, err := domain.NormalizeEmail(email); err != nil {
		problems = append(problems, fieldErrorOf(lang, err))
	}
	if choiceErr != nil {
		problems = append(problems, fieldErrorOf(lang, choiceErr))
	}
	// When the digest arrives: checked with the rest, written after.
	in, schedErr := scheduleInputOf(c.Request.PostForm)
	var rs domain.ReaderSchedule
	var own bool
	if schedErr == nil {
		rs, own, schedErr = s.editions.ResolveSchedule(ctx, in)
	}
	if schedErr != nil {
		fe, ok := scheduleError(lang, schedErr)
		if !ok {
			s.pageFail(c, lang, schedErr)
			return
		}
		problems = append(problems, fe)
	}
	if len(problems) == 0 {
		err = s.subscribers.Subscribe(ctx, subscribers.Request{Email: email, Filter: f, Schedule: signupSchedule(in, rs, own)},
			consentOf(c), s.limiter)
		if errs.Is(err, errs.Invalid) {
			problems = append(problems, fieldErrorOf(lang, err))
		} else if err != nil {
			s.pageSignupFail(c, lang, err)
			return
		}
	}
	if len(problems) > 0 {
		fd := buildForm(tax, lang, f)
		fd.Email, fd.Errors, fd.Button = email, problems, msg(lang, "subscribe_button")
		fd.Estimate = s.estimateLine(ctx, lang, tax, f)
		shown, chose := shownSchedule(in)
		if fd.Schedule, err = s.scheduleFormOf(ctx, lang, shown, chose); err != nil {
			s.pageFail(c, lang, err)
			return
		}
		s.renderPageStatus(c.Writer, c.Request, http.StatusUnprocessableEntity, "home",
			pageData{Lang: lang, Title: msg(lang, "subscribe_title"), Action: "/subscribe?lang=" + lang, Form: fd})
		return
	}
	s.renderPage(c, "message", pageData{Lang: lang, Title: msg(lang, "check_inbox_title"), Message: msg(lang, "check_inbox")})
}

// confirmPage shows the choices being confirmed, as they are now: a
// sign-up for a pending address replaces its choices, so the person sees
// what the button will confirm rather than what they remember asking for.
func (s *Server) confirmPage(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	s.showConfirm(c, tok, http.StatusOK, "")
}

// showConfirm renders the confirmation page of tok with the choices and
// the schedule as they are now; the form carries their signature, so that
// confirming checks they are still what was shown.
func (s *Server) showConfirm(c *gin.Context, tok string, status int, message string) {
	lang := pageLang(c.Request, "")
	sub, err := s.subscribers.ByConfirmToken(c.Request.Context(), tok)
	if errs.Is(err, errs.NotFound) {
		s.alreadyConfirmed(c, tok, err)
		return
	}
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	opts, err := s.editions.FormScheduleOptions(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	if message != "" {
		message = msg(lang, message)
	}
	s.renderPageStatus(c.Writer, c.Request, status, "confirm", pageData{Lang: lang, Title: msg(lang, "confirm_title"),
		Email: sub.Email, Action: "/confirm/" + tok + "?lang=" + lang, Form: chosen(tax, lang, sub.Filter), Choices: sub.ChoicesSignature(),
		Message: message, When: s.whenOf(lang, sub.Schedule, opts)})
}

// whenData says when a digest arrives, on the confirmation page: the
// schedule in words, and for a schedule of the reader's own whether a
// short digest goes out or waits for more.
type whenData struct {
	Schedule string
	Thin     string
}

// whenOf words rs (nil: the desk's schedule) in lang, in the reader's
// zone; what a short digest does by the desk's rule in opts (nothing is
// said when no digest ever waits).
func (s *Server) whenOf(lang string, rs *domain.ReaderSchedule, opts editions.ScheduleOptions) *whenData {
	w := &whenData{Schedule: schedule.ForReader(rs, nil, s.cfg.DigestCron, s.cfg.DigestTZ, time.Now(), lang)}
	switch {
	case rs == nil || opts.ThinBelow == 0:
	case rs.SendThin:
		w.Thin = fmt.Sprintf(msg(lang, "confirm_thin_yes"), opts.ThinBelow)
	default:
		w.Thin = i18n.Plural(lang, "page.confirm_thin_no", opts.WaitDays, opts.ThinBelow, opts.WaitDays)
	}
	return w
}

// chosen lists a filter's choices by name in lang, for the confirmation
// page: the countries in Others, the topics, and the one language and
// mode. A code the taxonomy no longer has is shown as it is.
func chosen(tax *taxonomy.Taxonomy, lang string, f domain.Filter) *formData {
	fd := &formData{All: f.All}
	for _, code := range f.Countries {
		label := code
		if c, ok := tax.Country(code); ok {
			label = c.Name(lang)
		}
		fd.Others = append(fd.Others, option{Value: code, Label: label, Checked: true})
	}
	sortByLabel(lang, fd.Others)
	for _, slug := range f.Topics {
		label := slug
		if t, ok := tax.Topic(slug); ok {
			label = t.Name(lang)
		}
		fd.Topics = append(fd.Topics, option{Value: slug, Label: label, Checked: true})
	}
	fd.Languages = []option{{Value: f.Language, Label: i18n.LanguageName(lang, f.Language), Checked: true}}
	fd.Modes = []option{{Value: f.Mode, Label: msg(lang, "mode_"+f.Mode), Checked: true}}
	return fd
}

func (s *Server) confirmPost(c *gin.Context) {
	lang := pageLang(c.Request, "")
	tok, ok := s.validToken(c, lang)
	if !ok {
		return
	}
	// The page carries the choices it showed; if a sign-up changed them
	// meanwhile, the new ones are shown to be confirmed instead.
	sub, err := s.subscribers.Confirm(c.Request.Context(), tok, c.PostForm("choices"), consentOf(c))
	if errs.Is(err, errs.Conflict) {
		// Nothing was confirmed (409): the choices as they are now are
		// shown, with a word that they changed.
		s.showConfirm(c, tok, http.StatusConflict, "confirm_changed")
		return
	}
	if errs.Is(err, errs.NotFound) {
		s.alreadyConfirmed(c, tok, err)
		return
	}
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	s.welcome(c, sub) // pages_welcome.go
}

// alreadyConfirmed answers a confirmation link that matches no pending
// sign-up: if it was the link an active subscriber used, it says they are
// subscribed and links to their preferences; any other token (unknown,
// expired, or of an address since unsubscribed) gets notFound's usual
// "link no longer works" page, so a guessed token learns nothing.
func (s *Server) alreadyConfirmed(c *gin.Context, tok string, notFound error) {
	lang := pageLang(c.Request, "")
	sub, err := s.subscribers.ByUsedConfirmToken(c.Request.Context(), tok)
	if errs.Is(err, errs.NotFound) {
		err = notFound
	}
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	lang = pageLang(c.Request, sub.Language)
	message := msg(lang, "stuck_already_confirmed")
	if sub.PausedUntil != nil && sub.PausedUntil.After(time.Now()) {
		// Not on their way: the reader paused them since.
		until, err := s.readerDay(c.Request.Context(), lang, sub.Token, *sub.PausedUntil)
		if err != nil {
			s.pageFail(c, lang, err)
			return
		}
		message = fmt.Sprintf(msg(lang, "stuck_already_confirmed_paused"), until)
	}
	s.renderPage(c, "message", pageData{Lang: lang, Title: msg(lang, "confirmed_title"),
		Message: message, Link: "/preferences/" + sub.Token + "?lang=" + lang})
}
