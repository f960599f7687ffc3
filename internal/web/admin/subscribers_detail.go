package admin

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/domain"
	"newsdigest/internal/schedule"
	"newsdigest/internal/subscribers"
)

type subscriberView struct {
	subscribers.Page
	CountryNames, TopicNames []string
	Actions                  []string // what may be done to the person now
	// ScheduleText says when their digest goes out, in the console's
	// language: their own schedule on their clock, or the desk's.
	ScheduleText string
}

func (a *Console) subscriberDetail(c *gin.Context) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	lang := pageLang(c)
	p, err := a.Subscribers.Person(ctx, id)
	if err != nil {
		a.failErr(c, err)
		return
	}
	tax, err := a.Taxonomy.Taxonomy(ctx)
	if err != nil {
		a.failErr(c, err)
		return
	}
	v := subscriberView{Page: p,
		CountryNames: chosenCountries(tax, lang, p.Record.Filter),
		TopicNames:   chosenTopics(tax, lang, p.Record.Filter)}
	r := p.Record
	v.ScheduleText = schedule.ForReader(r.Schedule, r.NextDueAt, a.Config.DigestCron, a.Config.DigestTZ, time.Now(), lang)
	if r.Schedule == nil {
		v.ScheduleText = tf(lang, "sub_schedule_desk", v.ScheduleText)
	}
	for _, action := range []string{domain.ActionUnsubscribe, domain.ActionSuppress, domain.ActionErase} {
		if domain.ActionAllowed(action, p.Record.Status) {
			v.Actions = append(v.Actions, action)
		}
	}
	a.render(c, http.StatusOK, "subscriber", page{Title: tf(lang, "sub_title", id), Section: "subscribers", Data: v})
}

type actionView struct {
	ID     int64
	Email  string
	Status string
	Action string
}

// subscriberActionConfirm says what an action will do before it is done.
func (a *Console) subscriberActionConfirm(c *gin.Context) {
	id, action, ok := a.subscriberActionParams(c)
	if !ok {
		return
	}
	r, err := a.Subscribers.Record(c.Request.Context(), id)
	if err != nil {
		a.failErr(c, err)
		return
	}
	lang := pageLang(c)
	a.render(c, http.StatusOK, "subscriber_action", page{Title: msg(lang, "sub_confirm_"+action), Section: "subscribers",
		Data: actionView{ID: id, Email: r.Email, Status: string(r.Status), Action: action}})
}

func (a *Console) subscriberActionPost(c *gin.Context) {
	id, action, ok := a.subscriberActionParams(c)
	if !ok {
		return
	}
	if err := a.Subscribers.Act(c.Request.Context(), currentUser(c).Name, id, action); err != nil {
		a.failErr(c, err)
		return
	}
	done(c, fmt.Sprintf("/admin/subscribers/%d", id), "sub_"+action)
}

func (a *Console) subscriberActionParams(c *gin.Context) (int64, string, bool) {
	id, ok := a.idParam(c, "id")
	if !ok {
		return 0, "", false
	}
	action := c.Param("action")
	if !domain.IsAction(action) {
		a.fail(c, http.StatusNotFound, msg(pageLang(c), "not_found"))
		return 0, "", false
	}
	return id, action, true
}
