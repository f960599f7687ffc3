package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
	"newsdigest/internal/subscribers"
)

// estimatesPerMinute caps the estimates one client IP may ask for: the
// form's script asks once a pause after each change, so a person ticking
// boxes quickly stays far below it.
const estimatesPerMinute = 120

// estimateJSON is the answer of GET /estimate.
type estimateJSON struct {
	PerWeek int    `json:"per_week"`
	Stories int    `json:"stories"` // in the last subscribers.EstimateWeeks weeks
	Text    string `json:"text"`    // what the form's line says, in ?lang=
}

// estimate answers GET /estimate: how many stories a week the choices in
// the query would bring (the form's own fields: all, countries, regions,
// regions_was, topics, mode, language), said in ?lang=. It is public, so
// it answers from the estimator's snapshot, refuses what no form sends
// (400 naming the field) and counts against a limit per client IP.
func (s *Server) estimate(c *gin.Context) {
	ctx := c.Request.Context()
	lang := pageLang(c.Request, "")
	if l := c.Query("lang"); l != "" && !domain.IsLanguage(l) {
		apiStatus(c, http.StatusBadRequest, string(errs.Invalid), "lang: must be en or es")
		return
	}
	if err := s.limiter.AllowEstimate(ctx, c.ClientIP()); err != nil {
		s.apiSignupFail(c, err)
		return
	}
	tax, err := s.taxonomy(ctx)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	f, err := choicesOf(c.Request.URL.Query(), tax)
	if err == nil {
		err = f.CheckValues(tax)
	}
	if err != nil {
		apiStatus(c, http.StatusBadRequest, string(errs.Invalid), errs.MessageOf(err))
		return
	}
	est, text, err := s.estimateOf(ctx, lang, f)
	if err == nil && f.Chosen() {
		var wait string
		if wait, err = s.waitWords(ctx, lang, c.Request.URL.Query(), est); wait != "" {
			text += " " + wait
		}
	}
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, estimateJSON{PerWeek: est.PerWeek, Stories: est.Stories, Text: text})
}

// estimateOf estimates f, a normalised filter of known values, and says
// it in lang; with nothing chosen yet the words say how to get one.
func (s *Server) estimateOf(ctx context.Context, lang string, f domain.Filter) (subscribers.Estimate, string, error) {
	if !f.Chosen() {
		return subscribers.Estimate{}, msg(lang, "estimate_hint"), nil
	}
	est, err := s.subscribers.Estimate(ctx, f)
	if err != nil {
		return est, "", err
	}
	return est, estimateWords(lang, est), nil
}

// estimateLine is the estimate a page shows under the choices, or "" when
// there is none to give (nothing chosen, an unknown value, the database
// away): the page is still worth showing without it.
func (s *Server) estimateLine(ctx context.Context, lang string, known domain.Known, f domain.Filter) string {
	if !f.Chosen() || f.CheckValues(known) != nil {
		return ""
	}
	_, text, err := s.estimateOf(ctx, lang, f)
	if err != nil {
		s.log.Warn("estimate for a page", "err", err)
		return ""
	}
	return text
}

func estimateWords(lang string, e subscribers.Estimate) string {
	switch {
	case e.Stories == 0:
		return msg(lang, "estimate_zero")
	case e.PerWeek == 0:
		return fmt.Sprintf(msg(lang, "estimate_few"), e.Stories)
	}
	return msgN(lang, "estimate_many", e.PerWeek)
}
