package admin

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/overview"
	"newsdigest/internal/schedule"
)

func (a *Console) dashboardRoutes(g *gin.RouterGroup) {
	g.GET("", a.dashboard)
	// /admin/ is the same page; gin's trailing-slash redirect would send
	// it on too, but only while no other route claims the path.
	g.GET("/", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/admin") })
}

type dashboardData struct {
	overview.Dashboard
	Queues []overview.QueueState
	// QueuesDown is set when Redis did not answer: the rest of the page
	// is still worth showing.
	QueuesDown bool
	QueueTotal int
	// DigestRule words the desk's schedule ("Every Monday at 07:00
	// (UTC)"), empty for one without a rule in words; DigestCron and
	// DigestTZ are how the operator set it.
	DigestRule string
	DigestCron string
	DigestTZ   string
	ByCountry  homeTally
	ByTopic    homeTally
	// Statuses are the subscriber counts with their names; EditionStatus
	// names the last edition's status.
	Statuses      []homeStatus
	EditionStatus string
	// Logins are the wrong passwords for console accounts the user may
	// see (dashboard_logins.go); AttackTries and AttackMinutes say how
	// much an account under attack is slowed.
	Logins        []loginWatch
	AttackTries   int
	AttackMinutes int
	// DueSoon: readers whose own digest is due in the next 24 hours.
	DueSoon int
}

type homeStatus struct {
	Key, Label string
	Count      int
}

// homeLabel names a status in lang; a status this page has no word for
// (one added after it was written) shows as it is stored.
func homeLabel(lang, prefix, status string) string {
	if hasMsg(prefix + status) {
		return msg(lang, prefix+status)
	}
	return status
}

// homeTally is one table of active subscribers by what they chose.
type homeTally struct {
	Lang, ID, Head string
	Param          string // the subscribers list's filter for a row
	Rows           []overview.Named
	Linked         bool // rows link to the subscribers list (the user may see it)
}

func (a *Console) dashboard(c *gin.Context) {
	lang := pageLang(c)
	ctx := c.Request.Context()
	d, err := a.Overview.Dashboard(ctx, lang)
	if err != nil {
		a.failErr(c, err)
		return
	}
	linked := currentUser(c).Roles.Subscribers
	data := dashboardData{Dashboard: d, DigestCron: a.Config.DigestCronSpec, DigestTZ: a.Config.DigestTZ.String(),
		ByCountry: homeTally{Lang: lang, ID: "by-country", Head: "home_country", Param: "country", Rows: d.ActiveByCountry, Linked: linked},
		ByTopic:   homeTally{Lang: lang, ID: "by-topic", Head: "home_topic", Param: "topic", Rows: d.ActiveByTopic, Linked: linked},
	}
	data.DigestRule, _ = schedule.Rule(a.Config.DigestCron, a.Config.DigestTZ, time.Now(), lang)
	if data.DueSoon, err = a.Editions.DueWithin(ctx, time.Now(), 24*time.Hour); err != nil {
		a.failErr(c, err)
		return
	}
	for _, s := range d.SubscribersByStatus {
		data.Statuses = append(data.Statuses, homeStatus{Key: s.Key, Label: homeLabel(lang, "home_status_", s.Key), Count: s.Count})
	}
	if d.LastEdition != nil {
		data.EditionStatus = statusLabel(lang, *d.LastEdition)
	}
	data.Logins = a.loginWatches(ctx, currentUser(c))
	data.AttackTries, data.AttackMinutes = attackTriesPerClient, int(attackWindow.Minutes())
	data.Queues, err = overview.Queues(a.inspector)
	if err != nil {
		a.Log.Warn("dashboard: queues unavailable", "err", err)
		data.QueuesDown = true
	}
	for _, q := range data.Queues {
		data.QueueTotal += q.Waiting
	}
	a.render(c, http.StatusOK, "dashboard", page{Title: msg(lang, "nav_dashboard"), Section: "dashboard", Data: data})
}
