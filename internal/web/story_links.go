package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

// storyRedirect follows a story link of a mail (/r/{link}/{stamp}) to the
// story's own address, which the clicks service reads from the database:
// a link this site did not sign is a 404 and goes nowhere. The click is
// counted, per story and nothing per person, when it is a reader's
// (package clicks).
func (s *Server) storyRedirect(c *gin.Context) {
	target, err := s.clicks.Follow(c.Request.Context(), c.Param("link"), c.Param("stamp"), c.Request.Method, c.Request.UserAgent())
	if err != nil {
		s.pageFail(c, pageLang(c.Request, ""), err)
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Robots-Tag", "noindex")
	c.Redirect(http.StatusFound, target)
}

// apiStoryStats answers GET /api/v1/stats/stories?from=&to= (days,
// YYYY-MM-DD, both included; the last 30 days by default):
// {stories:[{id, title, clicks}], countries:[{code, clicks}],
// topics:[{code, clicks}]}, counted clicks and nothing per person.
func (s *Server) apiStoryStats(c *gin.Context) {
	to := time.Now().UTC()
	from := to.AddDate(0, 0, -30)
	for _, p := range []struct {
		name string
		into *time.Time
		end  bool
	}{{"from", &from, false}, {"to", &to, true}} {
		v := c.Query(p.name)
		if v == "" {
			continue
		}
		d, err := domain.ParseDate(v)
		if err != nil {
			s.apiFail(c, errs.New(errs.Malformed, "%s: %v, got %q", p.name, err, v))
			return
		}
		if p.end {
			d.Time = d.AddDate(0, 0, 1)
		}
		*p.into = d.Time
	}
	st, err := s.clicks.Stats(c.Request.Context(), from, to, 1000)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"stories": st.Stories, "countries": st.Countries, "topics": st.Topics})
}
