package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/schedule"
)

// pauseData is the preferences page's pause block: the date a pause ends
// while there is one, else the choice of weeks.
type pauseData struct {
	Until  string   // the day the pause ends, in words; empty when not paused
	Weeks  []option // 1 to 8 weeks
	Notice string   // what was just done: paused, resumed
	Error  string   // a refused number of weeks
}

// pauseBlock lays out the pause block for an active subscriber, and
// nothing for anyone else (a pending one has no digests to pause).
func (s *Server) pauseBlock(lang string, sub domain.Subscriber) *pauseData {
	if sub.Status != domain.StatusActive {
		return nil
	}
	p := &pauseData{}
	if sub.PausedUntil != nil {
		p.Until = schedule.Date(*sub.PausedUntil, s.cfg.DigestTZ, lang)
		return p
	}
	for w := domain.MinPauseWeeks; w <= domain.MaxPauseWeeks; w++ {
		label := msg(lang, "pause_weeks_n")
		if w == 1 {
			label = msg(lang, "pause_week_one")
		}
		p.Weeks = append(p.Weeks, option{Value: strconv.Itoa(w), Label: fmt.Sprintf(label, w), Checked: w == 2})
	}
	return p
}

// pausePost pauses the digests for the weeks chosen (1 to 8). A number
// out of range is refused with the page again (422) and changes nothing.
func (s *Server) pausePost(c *gin.Context) {
	tok, sub, lang, ok := s.linkSubscriber(c)
	if !ok {
		return
	}
	if sub.Status != domain.StatusActive {
		s.pauseRefused(c, lang, tok, sub)
		return
	}
	until, err := domain.PauseUntil(c.PostForm("weeks"), time.Now())
	if err != nil {
		p := s.pauseBlock(lang, sub)
		p.Error = msg(lang, "pause_bad_weeks")
		s.showPreferencesWith(c, http.StatusUnprocessableEntity, tok, sub, lang, p)
		return
	}
	sub, err = s.db.Pause(c.Request.Context(), tok, until, consentOf(c))
	if errs.Is(err, errs.Conflict) {
		s.pauseRefused(c, lang, tok, sub)
		return
	}
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	p := s.pauseBlock(lang, sub)
	p.Notice = msg(lang, "pause_done")
	s.showPreferencesWith(c, http.StatusOK, tok, sub, lang, p)
}

// resumePost ends a pause at once; resuming when not paused does nothing.
func (s *Server) resumePost(c *gin.Context) {
	tok, sub, lang, ok := s.linkSubscriber(c)
	if !ok {
		return
	}
	if sub.Status != domain.StatusActive {
		s.pauseRefused(c, lang, tok, sub)
		return
	}
	sub, err := s.db.Resume(c.Request.Context(), tok, consentOf(c))
	if errs.Is(err, errs.Conflict) {
		s.pauseRefused(c, lang, tok, sub)
		return
	}
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	p := s.pauseBlock(lang, sub)
	p.Notice = msg(lang, "pause_resumed")
	s.showPreferencesWith(c, http.StatusOK, tok, sub, lang, p)
}

// pauseRefused answers a pause or resume from someone with no digests to
// pause: a pending sign-up is told to confirm first; anyone stopped sees
// their status, as the preferences form does (409 either way).
func (s *Server) pauseRefused(c *gin.Context, lang, tok string, sub domain.Subscriber) {
	if stopped(sub) {
		s.showStatus(c, http.StatusConflict, lang, tok, sub)
		return
	}
	s.renderPageStatus(c.Writer, c.Request, http.StatusConflict, "error",
		pageData{Lang: lang, Title: msg(lang, "error_title"), Message: msg(lang, "pause_pending")})
}

// showPreferencesWith shows the preferences page with the pause block p.
func (s *Server) showPreferencesWith(c *gin.Context, status int, tok string, sub domain.Subscriber, lang string, p *pauseData) {
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	fd := buildForm(tax, lang, sub.Filter)
	fd.Button = msg(lang, "prefs_button")
	s.renderPageStatus(c.Writer, c.Request, status, "preferences", pageData{Lang: lang, Title: msg(lang, "prefs_title"),
		Email: sub.Email, Action: "/preferences/" + tok, Form: fd, Pause: p})
}
