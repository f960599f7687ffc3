package admin

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/overview"
)

func (a *Console) queuesRoutes(g *gin.RouterGroup) {
	g.GET("/queues", a.queuesPage)
}

// queuesListed bounds each list of troubled tasks per queue.
const queuesListed = 20

type queuesData struct {
	Queues   []overview.QueueState
	Troubled []overview.QueueTasks
	Listed   int
	At       time.Time
}

// FailedLink is where a queue's "failed today" count leads: the list of
// its tasks waiting for a retry, else of those archived; "" when neither
// holds any (the failures were retried and went through).
func (d queuesData) FailedLink(queue string) string {
	for _, t := range d.Troubled {
		switch {
		case t.Queue != queue:
		case len(t.Retry) > 0:
			return "#h-retry-" + queue
		case len(t.Archived) > 0:
			return "#h-archived-" + queue
		}
	}
	return ""
}

// latency says how long a queue's oldest pending task has waited, in
// lang, as an operator reads it at a glance: to the second under an
// hour, to the minute under two days, to the hour beyond.
func latency(lang string, d time.Duration) string {
	switch {
	case d <= 0:
		return msg(lang, "queues_latency_none")
	case d < time.Second:
		return msg(lang, "queues_latency_under_second")
	case d < time.Minute:
		return tf(lang, "queues_latency_seconds", int(d/time.Second))
	case d < time.Hour:
		return tf(lang, "queues_latency_minutes", int(d/time.Minute), int(d%time.Minute/time.Second))
	case d < 48*time.Hour:
		return tf(lang, "queues_latency_hours", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return tf(lang, "queues_latency_days", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
}

// queuesPage is the asynq queues' state, read-only: what asynqmon would
// show, behind the console's login and in its languages.
func (a *Console) queuesPage(c *gin.Context) {
	lang := pageLang(c)
	qs, err := overview.Queues(a.inspector)
	if err != nil {
		a.failErr(c, err)
		return
	}
	troubled, err := overview.TroubledTasks(a.inspector, qs, queuesListed)
	if err != nil {
		a.failErr(c, err)
		return
	}
	a.render(c, http.StatusOK, "queues", page{Title: msg(lang, "nav_queues"), Section: "queues",
		Data: queuesData{Queues: qs, Troubled: troubled, Listed: queuesListed, At: time.Now()}})
}
