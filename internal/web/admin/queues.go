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
