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

func init() {
	register(map[string]string{
		"queues_state":      "State of the queues",
		"queues_as_of":      "As of %s.",
		"queues_queue":      "Queue",
		"queues_size":       "Size",
		"queues_pending":    "Pending",
		"queues_active":     "Running",
		"queues_scheduled":  "Scheduled",
		"queues_retry":      "Retrying",
		"queues_archived":   "Given up (archived)",
		"queues_completed":  "Completed",
		"queues_processed":  "Processed today",
		"queues_failed":     "Failed today",
		"queues_paused":     "Paused",
		"queues_latency":    "Latency",
		"queues_latency_h":  "How long the oldest pending task has waited.",
		"queues_archived_h": "Tasks given up on in queue %s",
		"queues_retry_h":    "Tasks waiting to retry in queue %s",
		"queues_bounded":    "At most %d are listed.",
		"queues_type":       "Type",
		"queues_id":         "Task id",
		"queues_error":      "Last error",
		"queues_failed_at":  "Failed at",
		"queues_tries":      "Tries",
		"queues_next":       "Next try",
		"queues_no_trouble": "No task is retrying or given up on.",
	}, map[string]string{
		"queues_state":      "Estado de las colas",
		"queues_as_of":      "A las %s.",
		"queues_queue":      "Cola",
		"queues_size":       "Tamaño",
		"queues_pending":    "Pendientes",
		"queues_active":     "En curso",
		"queues_scheduled":  "Programadas",
		"queues_retry":      "Reintentando",
		"queues_archived":   "Abandonadas (archivadas)",
		"queues_completed":  "Completadas",
		"queues_processed":  "Procesadas hoy",
		"queues_failed":     "Fallidas hoy",
		"queues_paused":     "En pausa",
		"queues_latency":    "Latencia",
		"queues_latency_h":  "Cuánto ha esperado la tarea pendiente más antigua.",
		"queues_archived_h": "Tareas abandonadas en la cola %s",
		"queues_retry_h":    "Tareas a la espera de reintento en la cola %s",
		"queues_bounded":    "Se muestran como mucho %d.",
		"queues_type":       "Tipo",
		"queues_id":         "Id de la tarea",
		"queues_error":      "Último error",
		"queues_failed_at":  "Falló",
		"queues_tries":      "Intentos",
		"queues_next":       "Próximo intento",
		"queues_no_trouble": "Ninguna tarea está reintentando ni abandonada.",
	})
}
