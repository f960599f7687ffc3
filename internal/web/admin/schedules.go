package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
)

func (a *Console) schedulesRoutes(g *gin.RouterGroup) {
	g.GET("/schedules", a.schedulesPage)
	g.POST("/schedules", a.schedulesPost)
}

// slotsListed bounds the slots the page lists.
const slotsListed = 50

type schedulesData struct {
	Frequencies []frequencyBox
	MinStories  int
	WaitDays    int
	DueSoon     int
	Slots       []slotRow
	// Bad is the field the page's error is about ("frequencies",
	// "min_stories", "wait_days"), which the form marks; "" for none.
	Bad string
}

type frequencyBox struct {
	Value, Label string
	Offered      bool
}

// slotRow is a slot as the list shows it; its sending is shown, and
// retried or cancelled, on its edition page.
type slotRow struct {
	domain.Edition
	StatusText string
}

// schedulesPage shows the desk's rules for readers' own schedules (the
// frequencies offered, the minimum of stories a digest waits for and how
// long), how many readers are due in the next 24 hours, and the latest
// slots, each linked to its edition page.
func (a *Console) schedulesPage(c *gin.Context) {
	set, err := a.Editions.ScheduleSettings(c.Request.Context())
	if err != nil {
		a.failErr(c, err)
		return
	}
	a.renderSchedules(c, http.StatusOK, set, "", "")
}

func (a *Console) renderSchedules(c *gin.Context, status int, set domain.ScheduleSettings, problem, bad string) {
	lang := pageLang(c)
	ctx := c.Request.Context()
	due, err := a.Editions.DueWithin(ctx, time.Now(), 24*time.Hour)
	if err != nil {
		a.failErr(c, err)
		return
	}
	slots, err := a.Editions.Slots(ctx, slotsListed)
	if err != nil {
		a.failErr(c, err)
		return
	}
	d := schedulesData{MinStories: set.MinStories, WaitDays: set.WaitDays, DueSoon: due, Bad: bad}
	for _, f := range domain.Frequencies {
		d.Frequencies = append(d.Frequencies, frequencyBox{Value: f, Label: msg(lang, "schedules_frequency_"+f),
			Offered: slices.Contains(set.Frequencies, f)})
	}
	for _, e := range slots {
		d.Slots = append(d.Slots, slotRow{Edition: e, StatusText: statusLabel(lang, e)})
	}
	a.render(c, status, "schedules", page{Title: msg(lang, "nav_schedules"), Section: "schedules", Error: problem, Data: d})
}

// schedulesPost saves the desk's rules; a bad value shows the form again
// with what was typed and the field named, and saves nothing.
func (a *Console) schedulesPost(c *gin.Context) {
	set := domain.ScheduleSettings{Frequencies: c.PostFormArray("frequencies")}
	var err error
	if set.MinStories, err = strconv.Atoi(strings.TrimSpace(c.PostForm("min_stories"))); err != nil {
		err = errs.New(errs.Invalid, "min_stories: want a whole number from 0 to 100")
	} else if set.WaitDays, err = strconv.Atoi(strings.TrimSpace(c.PostForm("wait_days"))); err != nil {
		err = errs.New(errs.Invalid, "wait_days: want a whole number of days from 0 to 365")
	} else {
		err = a.Editions.SaveScheduleSettings(c.Request.Context(), currentUser(c).Name, set)
	}
	if errs.Is(err, errs.Invalid) {
		// The field the error names is marked, and tied to the error.
		bad, _, _ := strings.Cut(errs.MessageOf(err), ":")
		a.renderSchedules(c, http.StatusUnprocessableEntity, set, fieldProblem(pageLang(c), err, scheduleLabels), bad)
		return
	}
	if err != nil {
		a.failErr(c, err)
		return
	}
	done(c, "/admin/schedules", "schedules_saved")
}

// scheduleLabels names the settings' fields as the page labels them.
var scheduleLabels = map[string]string{"frequencies": "schedules_offered", "min_stories": "schedules_min", "wait_days": "schedules_wait"}
