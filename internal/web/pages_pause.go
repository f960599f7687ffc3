package web

import (
	"context"
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
// nothing for anyone else (a pending one has no digests to pause). The
// day a pause ends is the reader's day: in their own schedule's zone,
// else the desk's.
func (s *Server) pauseBlock(ctx context.Context, lang, tok string, sub domain.Subscriber) (*pauseData, error) {
	if sub.Status != domain.StatusActive {
		return nil, nil
	}
	p := &pauseData{}
	if sub.PausedUntil != nil {
		until, err := s.readerDay(ctx, lang, tok, *sub.PausedUntil)
		if err != nil {
			return nil, err
		}
		p.Until = until
		return p, nil
	}
	for w := domain.MinPauseWeeks; w <= domain.MaxPauseWeeks; w++ {
		p.Weeks = append(p.Weeks, option{Value: strconv.Itoa(w), Label: msgN(lang, "pause_weeks_n", w), Checked: w == 2})
	}
	return p, nil
}

// readerDay writes t's day in lang as the reader of tok lives it: in
// their own schedule's zone, else the desk's.
func (s *Server) readerDay(ctx context.Context, lang, tok string, t time.Time) (string, error) {
	loc := s.cfg.DigestTZ
	rs, own, err := s.editions.ReaderSchedule(ctx, tok)
	if err != nil {
		return "", err
	}
	if own {
		if z, err := time.LoadLocation(rs.Timezone); err == nil {
			loc = z
		}
	}
	return schedule.Date(t, loc, lang), nil
}

// pausePost pauses the digests for the weeks chosen (1 to 8). A number
// out of range is refused with the page again (422) and changes nothing.
func (s *Server) pausePost(c *gin.Context) {
	s.changePause(c, "pause_done", func(tok string) (domain.Subscriber, error) {
		until, err := domain.PauseUntil(c.PostForm("weeks"), time.Now())
		if err != nil {
			return domain.Subscriber{}, err
		}
		return s.subscribers.Pause(c.Request.Context(), tok, until, consentOf(c))
	})
}

// resumePost ends a pause at once; resuming when not paused does nothing.
func (s *Server) resumePost(c *gin.Context) {
	s.changePause(c, "pause_resumed", func(tok string) (domain.Subscriber, error) {
		return s.subscribers.Resume(c.Request.Context(), tok, consentOf(c))
	})
}

// changePause makes a pause or a resume (change) for the active
// subscriber of the link, and shows their preferences with notice.
func (s *Server) changePause(c *gin.Context, notice string, change func(tok string) (domain.Subscriber, error)) {
	tok, sub, lang, ok := s.linkSubscriber(c)
	if !ok {
		return
	}
	if sub.Status != domain.StatusActive {
		s.pauseRefused(c, lang, tok, sub)
		return
	}
	changed, err := change(tok)
	switch {
	case errs.Is(err, errs.Invalid):
		p, err := s.pauseBlock(c.Request.Context(), lang, tok, sub)
		if err != nil {
			s.pageFail(c, lang, err)
			return
		}
		p.Error = msg(lang, "pause_bad_weeks")
		s.showPreferencesWith(c, http.StatusUnprocessableEntity, tok, sub, lang, p, false)
		return
	case errs.Is(err, errs.Conflict):
		// They left between the two reads: changed is them as they are.
		s.pauseRefused(c, lang, tok, changed)
		return
	case err != nil:
		s.pageFail(c, lang, err)
		return
	}
	p, err := s.pauseBlock(c.Request.Context(), lang, tok, changed)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	p.Notice = msg(lang, notice)
	s.showPreferencesWith(c, http.StatusOK, tok, changed, lang, p, false)
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

// showPreferencesWith shows the preferences page of an active or pending
// subscriber, with the pause block p and, if saved, a word that the
// choices were saved.
func (s *Server) showPreferencesWith(c *gin.Context, status int, tok string, sub domain.Subscriber, lang string, p *pauseData, saved bool) {
	tax, err := s.taxonomy(c.Request.Context())
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	fd := buildForm(tax, lang, sub.Filter)
	fd.Button = msg(lang, "prefs_button")
	fd.Estimate = s.estimateLine(c.Request.Context(), lang, tax, sub.Filter)
	if fd.Schedule, err = s.readerScheduleForm(c.Request.Context(), lang, tok); err != nil {
		s.pageFail(c, lang, err)
		return
	}
	s.renderPageStatus(c.Writer, c.Request, status, "preferences", pageData{Lang: lang, Title: msg(lang, "prefs_title"),
		Email: sub.Email, Action: "/preferences/" + tok, Form: fd, Saved: saved, Pause: p, Unsub: unsubscribeURL(tok, lang)})
}

// pauseFormAgain answers a GET of the pause or resume form's address,
// which a browser makes when the page the form answered is reloaded,
// restored from its history or reopened on a phone: it leads back to the
// preference centre's pause block, where the form is, not to a page
// saying the address is only for forms. It changes nothing.
func (s *Server) pauseFormAgain(c *gin.Context) {
	tok, _, lang, ok := s.linkSubscriber(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Redirect(http.StatusSeeOther, "/preferences/"+tok+"?lang="+lang+"#pause-heading")
}
