package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"newsdigest/internal/overview"
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

func init() {
	register(map[string]string{
		"home_subscribers":         "Subscribers",
		"home_subscribers_total":   "All subscribers",
		"home_by_status":           "Subscribers by status",
		"home_status":              "Status",
		"home_count":               "Count",
		"home_by_country":          "Active subscribers by country",
		"home_all_stories":         "Active subscribers who take all stories: %d. The tables below count the others' choices.",
		"home_by_topic":            "Active subscribers by topic",
		"home_country":             "Country",
		"home_topic":               "Topic",
		"home_top_hint":            "The %d most chosen.",
		"home_no_active":           "No active subscribers yet.",
		"home_editions":            "Editions",
		"home_last_edition":        "Last edition",
		"home_no_edition":          "No edition yet.",
		"home_edition_link":        "Edition %d",
		"home_edition_status":      "Status",
		"home_edition_total":       "Recipients",
		"home_edition_sent":        "Sent",
		"home_edition_failed":      "Failed",
		"home_edition_skipped":     "Skipped",
		"home_edition_items":       "Stories",
		"home_edition_created":     "Created",
		"home_next_edition":        "Next scheduled edition",
		"home_next_rule":           "Schedule: %s (%s)",
		"home_skipped":             "Skipped editions",
		"home_skipped_hint":        "No worker could make these scheduled editions within DIGEST_LATE_LIMIT of their time, so they were not sent late. Their stories go into the next edition.",
		"home_skipped_due":         "due %s, not made in time: nothing was sent, and its stories go into the next edition",
		"home_week":                "Items this week",
		"home_week_hint":           "Items first ingested in the last 7 days.",
		"home_week_tagged":         "Tagged",
		"home_week_untagged":       "Untagged",
		"home_week_hidden":         "Hidden",
		"home_sources":             "Sources with errors",
		"home_sources_none":        "Every source's last poll went well.",
		"home_source_url":          "Source",
		"home_source_error":        "Error",
		"home_source_when":         "When",
		"home_sources_link":        "All sources",
		"home_queues":              "Queue depth",
		"home_queues_hint":         "Tasks pending, running, scheduled or waiting to retry.",
		"home_queues_down":         "The queues are not answering (Redis unreachable).",
		"home_queues_link":         "Queue details",
		"home_queue":               "Queue",
		"home_waiting":             "Waiting",
		"home_status_pending":      "pending",
		"home_status_active":       "active",
		"home_status_unsubscribed": "unsubscribed",
		"home_status_bounced":      "bounced",
		"home_status_suppressed":   "suppressed",
		"home_status_erased":       "erased",
	}, map[string]string{
		"home_subscribers":         "Suscriptores",
		"home_subscribers_total":   "Total de suscriptores",
		"home_by_status":           "Suscriptores por estado",
		"home_status":              "Estado",
		"home_count":               "Cantidad",
		"home_by_country":          "Suscriptores activos por país",
		"home_all_stories":         "Suscriptores activos que reciben todas las noticias: %d. Las tablas de abajo cuentan lo que eligieron los demás.",
		"home_by_topic":            "Suscriptores activos por tema",
		"home_country":             "País",
		"home_topic":               "Tema",
		"home_top_hint":            "Los %d más elegidos.",
		"home_no_active":           "Aún no hay suscriptores activos.",
		"home_editions":            "Ediciones",
		"home_last_edition":        "Última edición",
		"home_no_edition":          "Aún no hay ninguna edición.",
		"home_edition_link":        "Edición %d",
		"home_edition_status":      "Estado",
		"home_edition_total":       "Destinatarios",
		"home_edition_sent":        "Enviados",
		"home_edition_failed":      "Fallidos",
		"home_edition_skipped":     "Omitidos",
		"home_edition_items":       "Noticias",
		"home_edition_created":     "Creada",
		"home_next_edition":        "Próxima edición programada",
		"home_next_rule":           "Programación: %s (%s)",
		"home_skipped":             "Ediciones omitidas",
		"home_skipped_hint":        "Ningún worker pudo hacer estas ediciones programadas dentro de DIGEST_LATE_LIMIT tras su hora, así que no se enviaron tarde. Sus noticias van en la próxima edición.",
		"home_skipped_due":         "prevista para %s, no se hizo a tiempo: no se envió nada, y sus noticias van en la próxima edición",
		"home_week":                "Noticias de esta semana",
		"home_week_hint":           "Noticias recibidas por primera vez en los últimos 7 días.",
		"home_week_tagged":         "Etiquetadas",
		"home_week_untagged":       "Sin etiquetas",
		"home_week_hidden":         "Ocultas",
		"home_sources":             "Fuentes con errores",
		"home_sources_none":        "La última consulta de cada fuente salió bien.",
		"home_source_url":          "Fuente",
		"home_source_error":        "Error",
		"home_source_when":         "Cuándo",
		"home_sources_link":        "Todas las fuentes",
		"home_queues":              "Tareas en cola",
		"home_queues_hint":         "Tareas pendientes, en curso, programadas o a la espera de reintento.",
		"home_queues_down":         "Las colas no responden (Redis no está disponible).",
		"home_queues_link":         "Detalle de las colas",
		"home_queue":               "Cola",
		"home_waiting":             "En espera",
		"home_status_pending":      "pendiente",
		"home_status_active":       "activo",
		"home_status_unsubscribed": "dado de baja",
		"home_status_bounced":      "rebotado",
		"home_status_suppressed":   "bloqueado",
		"home_status_erased":       "borrado",
	})
}
