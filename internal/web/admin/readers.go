package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/errs"
)

func (a *Console) readersRoutes(g *gin.RouterGroup) {
	g.GET("/readers", a.readersPage)
}

// readersDays are the periods the readers page offers, in days.
var readersDays = []int{7, 30, 90, 365}

// readersListed bounds the stories listed.
const readersListed = 100

type tagCount struct {
	Name   string
	Clicks int64
}

type readersData struct {
	On        bool // CLICK_COUNTING
	Days      int
	Options   []int
	Stories   []storyCount
	Countries []tagCount
	Topics    []tagCount
}

type storyCount struct {
	ID     int64
	Title  string
	Clicks int64
}

// readersPage shows what readers follow: each story's counted clicks
// (its readers) over the last days, and the countries and topics of the
// stories followed. Counts only: nothing is kept per person.
func (a *Console) readersPage(c *gin.Context) {
	lang := pageLang(c)
	days := 30
	if v := c.Query("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3660 {
			a.failErr(c, errs.New(errs.Invalid, "days: want a whole number of days from 1 to 3660, got %q", v))
			return
		}
		days = n
	}
	to := time.Now()
	st, err := a.Clicks.Stats(c.Request.Context(), to.AddDate(0, 0, -days), to, readersListed)
	if err != nil {
		a.failErr(c, err)
		return
	}
	tax, err := a.Taxonomy.Taxonomy(c.Request.Context())
	if err != nil {
		a.failErr(c, err)
		return
	}
	d := readersData{On: a.Clicks.On(), Days: days, Options: readersDays}
	for _, s := range st.Stories {
		d.Stories = append(d.Stories, storyCount{ID: s.ID, Title: s.Title, Clicks: s.Clicks})
	}
	for _, t := range st.Countries {
		d.Countries = append(d.Countries, tagCount{Name: countryName(tax, lang, t.Code), Clicks: t.Clicks})
	}
	for _, t := range st.Topics {
		d.Topics = append(d.Topics, tagCount{Name: topicName(tax, lang, t.Code), Clicks: t.Clicks})
	}
	a.render(c, http.StatusOK, "readers", page{Title: msg(lang, "nav_readers"), Section: "readers", Data: d})
}
