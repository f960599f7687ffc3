package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/editions"
	"newsdigest/internal/errs"
)

// The editions section: the list, "send now" with its confirmation, one
// edition's live progress, failures, retry and cancel (editions_show.go),
// and the preview and test send of a digest (editions_preview.go).
func (a *Console) editionsRoutes(g *gin.RouterGroup) {
	g.GET("/editions", a.editionsList)
	g.GET("/editions/new", a.editionsNew)
	g.POST("/editions", a.editionsCreate)
	g.GET("/editions/preview", a.editionsPreview)
	g.GET("/editions/preview.html", a.editionsPreviewFrame)
	g.POST("/editions/test-send", a.editionsTestSend)
	g.GET("/editions/:id", a.editionsShow)
	g.GET("/editions/:id/progress", a.editionsProgress)
	g.GET("/editions/:id/cancel", a.editionsCancelConfirm)
	g.POST("/editions/:id/cancel", a.editionsCancel)
	g.POST("/editions/:id/retry", a.editionsRetry)
	g.POST("/editions/:id/resume", a.editionsResume)
}

// editionsListSize is how many editions the list shows: a year of weekly
// ones, and some.
const editionsListSize = 60

func (a *Console) editionsList(c *gin.Context) {
	list, err := a.Editions.List(c.Request.Context(), editionsListSize)
	if err != nil {
		a.failErr(c, err)
		return
	}
	lang := pageLang(c)
	rows := make([]editionRow, len(list))
	for i, e := range list {
		rows[i] = editionRow{Edition: e, StatusText: statusLabel(lang, e), WindowText: windowLabel(lang, a.Config.DigestTZ, e.Window)}
	}
	a.render(c, http.StatusOK, "editions", page{Title: msg(lang, "editions_title"), Section: "editions", Data: rows})
}

// editionRow is an edition as the list shows it.
type editionRow struct {
	domain.Edition
	StatusText, WindowText string
}

// editionRange is the optional published-date range of "send now", as
// the editor typed it.
type editionRange struct {
	From, To       string
	FromDate       *domain.Date
	ToDate         *domain.Date
	ByPublishedDay bool
	// Bad names the field ("from" or "to") an error is about, so the
	// form marks it.
	Bad string
}

// readRange reads from/to (YYYY-MM-DD, each optional) from the query or
// the form; a bad one is an error naming the field.
func readRange(c *gin.Context, get func(string) string) (editionRange, error) {
	r := editionRange{From: strings.TrimSpace(get("from")), To: strings.TrimSpace(get("to"))}
	var bad string
	r.FromDate, r.ToDate, bad = dateRange(r.From, r.To)
	if bad != "" {
		r.Bad = bad
		value := map[string]string{"from": r.From, "to": r.To}[bad]
		return r, errs.New(errs.Invalid, msg(pageLang(c), "editions_bad_date"), msg(pageLang(c), "editions_field_"+bad), value)
	}
	if r.FromDate != nil && r.ToDate != nil && r.ToDate.Before(r.FromDate.Time) {
		r.Bad = "to"
		return r, errs.New(errs.Invalid, "%s", msg(pageLang(c), "editions_to_before_from"))
	}
	r.ByPublishedDay = r.FromDate != nil || r.ToDate != nil
	return r, nil
}

type editionsNewData struct {
	Range editionRange
	Plan  editions.Plan
	Shown []editions.PlanStory // the first stories, far ones first
	Far   int                  // how many are dated far outside the period
}

// planListed is how many of an edition's stories the confirmation lists.
const planListed = 100

// newData lists the far stories first, so none hides past the cut.
func newData(r editionRange, plan editions.Plan) editionsNewData {
	d := editionsNewData{Range: r, Plan: plan}
	for _, far := range []bool{true, false} {
		for _, st := range plan.Items {
			if st.Far == far && len(d.Shown) < planListed {
				d.Shown = append(d.Shown, st)
			}
			if far && st.Far {
				d.Far++
			}
		}
	}
	return d
}

// editionsNew is the confirmation step of "send now": what an edition
// made now would hold and whom it would reach. Nothing is written.
func (a *Console) editionsNew(c *gin.Context) {
	lang := pageLang(c)
	p := page{Title: msg(lang, "editions_new_title"), Section: "editions"}
	r, err := readRange(c, c.Query)
	if err != nil {
		p.Error = errorText(lang, err)
		p.Data = editionsNewData{Range: r}
		a.render(c, http.StatusUnprocessableEntity, "editions_new", p)
		return
	}
	plan, err := a.Editions.Plan(c.Request.Context(), r.FromDate, r.ToDate)
	if err != nil {
		a.failErr(c, err)
		return
	}
	p.Data = newData(r, plan)
	a.render(c, http.StatusOK, "editions_new", p)
}

// editionsCreate makes the edition the editor confirmed, as
// POST /api/v1/editions does, and shows its progress.
func (a *Console) editionsCreate(c *gin.Context) {
	r, err := readRange(c, c.PostForm)
	if err != nil {
		a.failErr(c, err)
		return
	}
	e, made, err := a.Editions.Create(c.Request.Context(), currentUser(c).Name, r.FromDate, r.ToDate)
	if errs.Is(err, errs.Invalid) && errs.MessageOf(err) == domain.ErrNoStories {
		// The stories went (hidden, or sent by another edition) between
		// the confirmation and the click: the confirmation again, as it
		// is now, says so, with its range to change and a way back.
		plan, err := a.Editions.Plan(c.Request.Context(), r.FromDate, r.ToDate)
		if err != nil {
			a.failErr(c, err)
			return
		}
		lang := pageLang(c)
		p := page{Title: msg(lang, "editions_new_title"), Section: "editions", Data: newData(r, plan)}
		if plan.Stories > 0 {
			// Others came meanwhile: nothing was sent, and the page
			// says why it asks again.
			p.Flash = msg(lang, "editions_plan_changed")
		}
		a.render(c, http.StatusUnprocessableEntity, "editions_new", p)
		return
	}
	if err != nil {
		a.failErr(c, err)
		return
	}
	if !made {
		// A second click, or the same edition asked again while it sends.
		done(c, "/admin/editions/"+strconv.FormatInt(e.ID, 10), "edition_on_its_way")
		return
	}
	done(c, "/admin/editions/"+strconv.FormatInt(e.ID, 10), "edition_created")
}
