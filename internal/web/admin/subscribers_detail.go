package admin

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/robfig/cron/v3"

	"newsdigest/internal/domain"
	"newsdigest/internal/errs"
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
	v.ScheduleText = scheduleText(p.Record, a.Config.DigestCron, a.Config.DigestTZ, time.Now(), lang)
	for _, action := range []string{domain.ActionUnsubscribe, domain.ActionSuppress, domain.ActionErase} {
		if domain.ActionAllowed(action, p.Record.Status) {
			v.Actions = append(v.Actions, action)
		}
	}
	a.render(c, http.StatusOK, "subscriber", page{Title: tf(lang, "sub_title", id), Section: "subscribers", Data: v})
}

// scheduleText says when a person's digest goes out (desk: DIGEST_CRON
// in DIGEST_TZ), in lang: none for someone who is not active; for a
// paused reader, when the pause ends and the first digest after it, not
// one the pause skips; else their next, on their own schedule or the
// desk's.
func scheduleText(r domain.SubscriberRecord, desk cron.Schedule, deskTZ *time.Location, now time.Time, lang string) string {
	if r.Status != domain.StatusActive {
		return msg(lang, "sub_schedule_none")
	}
	from, due := now, r.NextDueAt
	if due == nil && r.DueBeforeChange != nil && r.Schedule != nil {
		// A reader who just moved their hour: the worker's next due
		// check works their next digest out from the one it replaced.
		due = movedDue(r.Schedule, *r.DueBeforeChange, desk, deskTZ, now)
	}
	paused := r.PausedUntil != nil && r.PausedUntil.After(now)
	if paused {
		from = *r.PausedUntil
		if r.Schedule != nil {
			due = firstAfterPause(r.Schedule, r.NextDueAt, desk, deskTZ, now, from)
		}
	}
	text := schedule.ForReader(r.Schedule, due, desk, deskTZ, from, lang)
	if r.Schedule == nil {
		text = tf(lang, "sub_schedule_desk", text)
	}
	if paused {
		text = tf(lang, "sub_schedule_paused", schedule.Date(from, deskTZ, lang), text)
	}
	return text
}

// movedDue is the digest the worker will set for a reader who moved the
// hour or zone of their own schedule, replacing the one due at before
// (schedule.Moved, as RunDue works it out).
func movedDue(rs *domain.ReaderSchedule, before time.Time, desk cron.Schedule, deskTZ *time.Location, now time.Time) *time.Time {
	loc, weekday := readerClock(rs, desk, deskTZ, now)
	due := schedule.Moved(rs.Frequency, loc, rs.Hour, weekday, before, now)
	return &due
}

// readerClock is the zone a reader's hours are in and the desk's
// weekday their weekly digests keep, as the worker reads them.
func readerClock(rs *domain.ReaderSchedule, desk cron.Schedule, deskTZ *time.Location, now time.Time) (*time.Location, time.Weekday) {
	loc, err := domain.LoadZone(rs.Timezone)
	if err != nil {
		loc = deskTZ // as schedule.ForReader does
	}
	weekday, _ := schedule.DeskDay(desk, deskTZ, now)
	return loc, weekday
}

// firstAfterPause is the first digest due to a reader on their own
// schedule once their pause ends at until: their due times go on through
// the pause, each one skipped, so an every-other-week reader keeps their
// weeks.
func firstAfterPause(rs *domain.ReaderSchedule, due *time.Time, desk cron.Schedule, deskTZ *time.Location, now, until time.Time) *time.Time {
	loc, weekday := readerClock(rs, desk, deskTZ, now)
	next := schedule.ReaderNext(rs.Frequency, loc, rs.Hour, weekday, due, now)
	// A pause is at most domain.MaxPauseWeeks: a daily reader's days.
	for i := 0; next.Before(until) && i <= 7*domain.MaxPauseWeeks; i++ {
		next = schedule.NextDue(rs.Frequency, loc, rs.Hour, weekday, next)
	}
	return &next
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
	err := a.Subscribers.Act(c.Request.Context(), currentUser(c).Name, id, action)
	if errs.Is(err, errs.Conflict) {
		// The person's status no longer allows it: a second click, a
		// confirmation sent again from the browser's history, or another
		// editor or the reader acted first. Their page shows where they
		// stand now.
		done(c, fmt.Sprintf("/admin/subscribers/%d", id), "sub_action_moot")
		return
	}
	if err != nil {
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
