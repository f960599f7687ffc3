package web

import (
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/schedule"
)

// welcomeData is what the welcome page adds to the confirmation's list of
// choices: when digests go out, and the ways to change them.
type welcomeData struct {
	Schedule string // in words, in the page's language, in the reader's zone or the desk's
	PrefsURL string
	UnsubURL string
}

// welcome answers a confirmation: what the person will get (their
// choices by name), when, and how to change it, in their language. The
// same goes to them by mail: confirming queued the welcome notice.
func (s *Server) welcome(c *gin.Context, sub domain.Subscriber) {
	ctx := c.Request.Context()
	lang := pageLang(c.Request, sub.Language)
	tax, err := s.taxonomy(ctx)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	// A reader on their own schedule is told their own next digest, on
	// their clock; the record holds it.
	rec, err := s.subscribers.Record(ctx, sub.ID)
	if err != nil {
		s.pageFail(c, lang, err)
		return
	}
	s.renderPage(c, "welcome", pageData{Lang: lang, Title: msg(lang, "confirmed_title"), Email: sub.Email,
		Form: chosen(tax, lang, sub.Filter),
		Welcome: &welcomeData{
			Schedule: schedule.ForReader(rec.Schedule, rec.NextDueAt, s.cfg.DigestCron, s.cfg.DigestTZ, time.Now(), lang),
			PrefsURL: "/preferences/" + sub.Token + "?lang=" + lang,
			UnsubURL: unsubscribeURL(sub.Token, lang),
		}})
}
